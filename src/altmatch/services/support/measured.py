"""The measured support the path advisor shows, apart from `metrics` so that reading it needs
no database code: `altmatch advise` imports this, not SQLAlchemy (issue 16)."""

from __future__ import annotations

from pydantic import BaseModel


class MeasuredSupportOut(BaseModel):
    """Support as measured over every employer's closed cases on one hiring path."""

    cases: int
    median_first_response_hours: float | None
    resolved_within_target: float | None
    reopen_rate: float
    summary: str  # the figures in one sentence per figure, in the reader's language


class EmployerMeasuredOut(BaseModel):
    """One employer's measured support on one path, for the advisor (public: only employers
    with at least `support.metrics.min_cases_for_advisor` closed cases on that path)."""

    organisation_id: int
    name: str
    measured: MeasuredSupportOut
