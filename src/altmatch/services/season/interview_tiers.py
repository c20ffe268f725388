"""What the interview round's decision did to a run, as the run's pages tell it.

The decision binds the match (domain.shortlist.match_tier; services.season.snapshot keeps it
in the run's snapshot): the not selected are left out, the shortlisted come before every
alternate on every request list, alternates in their order. These read models say so from the
run's own snapshot, so a draft made before another decision shows the decision it was made
with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import interview_decisions as decisions_repo
from altmatch.db.models import SeasonCandidate
from altmatch.domain.shortlist import ShortlistReason, tier_message
from altmatch.i18n import N_, Message, render
from altmatch.services.season.interview_result import reason_message
from altmatch.services.season.snapshot import run_interview_decisions


class RunInterviewOut(BaseModel):
    """How many of a run's candidates entered it in each tier, and how many it left out."""

    shortlisted: int  # tier 0: ahead of every alternate on every request list
    alternates: int  # tiers 1, 2, …: after the shortlisted, in their order
    not_selected: int  # left out of the match
    undecided: int  # not covered by the decision: ranked as if shortlisted


def run_interview(snapshot: Mapping[str, Any]) -> RunInterviewOut | None:
    """The decision's effect on the run with this snapshot; None: made without a decision."""
    found = run_interview_decisions(snapshot)
    if found is None:
        return None
    tiers, left_out = found
    shortlisted = sum(1 for t in tiers.values() if t == 0)
    return RunInterviewOut(
        shortlisted=shortlisted,
        alternates=len(tiers) - shortlisted,
        not_selected=len(left_out),
        undecided=len(snapshot["candidates"]) - len(tiers),
    )


def tier_labels(snapshot: Mapping[str, Any]) -> dict[str, str] | None:
    """Each candidate's tier in the run as the pages show it ("Shortlisted", "Alternate 3",
    "Not selected at interview", "Not decided"), by external id, in the current locale; None
    when the run was made without a decision."""
    found = run_interview_decisions(snapshot)
    if found is None:
        return None
    tiers, left_out = found
    labels = {c: render(tier_message(t)) for c, t in tiers.items()}
    labels |= {c: render(tier_message(None)) for c in left_out}
    undecided = render(Message(N_("Not decided")))
    labels |= {c["id"]: undecided for c in snapshot["candidates"] if c["id"] not in tiers}
    return labels


def left_out_text(session: Session, row: SeasonCandidate) -> str:
    """Why the match left this application out, in the current locale: not selected at
    interview, with the reasons the round recorded (with its figures)."""
    found = decisions_repo.decision_of(session, row.id)
    reasons = (
        " ".join(render(reason_message(found, ShortlistReason(c))) for c in found.reasons)
        if found
        else ""
    )
    return render(
        Message(
            N_(
                "Not selected at interview: the interview round did not select this "
                "application, so the match did not consider it. {reasons}"
            ),
            {"reasons": reasons},
        )
    ).strip()
