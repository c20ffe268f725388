"""Typed shape of `interview_conflicts:`, the reasons an assessor may give for a conflict of
interest with a candidate of their panel.

The programme publishes no list, so the reasons are an editorial default with a rationale
(`Reasoned`). A declared conflict bars the assessor's panels from hearing the candidate
(`altmatch.domain.interview_schedule`) and stops the assessor scoring them
(`altmatch.services.season.interview_scoring`).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from altmatch.rulebook.schema import Reasoned, Text


class InterviewConflicts(Reasoned):
    """Reason code -> its words in both languages, in the order a form lists them."""

    reasons: dict[str, Text] = Field(min_length=1)
    # The code whose declaration must say in the assessor's own words what the conflict is.
    explained: str

    @model_validator(mode="after")
    def _codes(self) -> InterviewConflicts:
        bad = [code for code in self.reasons if not code.replace("_", "").isalpha()]
        if bad or not all(code == code.lower() for code in self.reasons):
            raise ValueError(f"reason codes are lower-case words joined by _: {bad}")
        if self.explained not in self.reasons:
            raise ValueError("explained must be one of the reasons")
        return self
