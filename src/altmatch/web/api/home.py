"""/api/v1/home: the signed-in person's next steps (twin of the home page `/`)."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.home import HomeOut, home
from altmatch.web.auth import ActorDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["home"])


@router.get("/home", response_model=HomeOut)
def get_home(actor: ActorDep, sessions: SessionsDep, locale: LocaleDep) -> HomeOut:
    """The next steps of the signed-in person's role, each with its screen, status and due
    date, in the reader's language."""
    return home(sessions, actor, locale=locale)
