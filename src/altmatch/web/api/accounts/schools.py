"""A Board of Education's schools as JSON: the twin of the "Our schools" page."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.accounts.schools import (
    SchoolFields,
    SchoolOut,
    SchoolsOut,
    add_school,
    list_schools,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import SchoolEditorDep, SchoolViewerDep
from altmatch.web.deps import SessionsDep

router = APIRouter(prefix="/organisations", tags=["schools"])


@router.get("/{boe_id}/schools", response_model=SchoolsOut)
def get_schools(boe_id: Id, actor: SchoolViewerDep, sessions: SessionsDep) -> SchoolsOut:
    """The BoE's schools with level, area and position (404 for a BoE you may not see)."""
    return list_schools(sessions, actor, boe_id)


@router.post("/{boe_id}/schools", response_model=SchoolOut, status_code=201)
def post_school(
    boe_id: Id, body: SchoolFields, actor: SchoolEditorDep, sessions: SessionsDep
) -> SchoolOut:
    """Add a school to your BoE (administrators: to any BoE); recorded in the audit log."""
    return add_school(sessions, actor, boe_id, body)
