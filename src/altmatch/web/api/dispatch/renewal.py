"""A dispatch ALT's renewal question as JSON: the twin of /my/renewal, and the answer."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.dispatch.renewal_asks import (
    MyRenewalOut,
    RenewalAnswerIn,
    answer_renewal,
    my_renewal,
)
from altmatch.web.auth import OwnTransferDep
from altmatch.web.deps import SessionsDep

router = APIRouter(tags=["dispatch"])


@router.get("/me/renewal", response_model=MyRenewalOut)
def get_my_renewal(actor: OwnTransferDep, sessions: SessionsDep) -> MyRenewalOut:
    """Your company's question whether you will renew your contract: its end, the deadline for
    your answer, and your answer if you gave one. `version` is your roster entry's."""
    return my_renewal(sessions, actor)


@router.post("/me/renewal", response_model=MyRenewalOut)
def post_my_renewal(
    body: RenewalAnswerIn, actor: OwnTransferDep, sessions: SessionsDep
) -> MyRenewalOut:
    """Answer: renewing, undecided or leaving, with an optional reason, and the `version` you
    read (409 if your entry changed since: reload and answer again). You may change your answer
    until your contract ends."""
    return answer_renewal(sessions, actor, body)
