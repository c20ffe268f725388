"""The administrator's organisation screens: the list (search, kind, paging), and a form to
create or edit one, with each field's problem beside it in the reader's language.

JSON twins: GET /api/v1/admin/organisations (same query parameters), GET/PUT
/api/v1/admin/organisations/{id}, POST /api/v1/admin/organisations.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from altmatch.domain.access import OrgKind
from altmatch.i18n import render
from altmatch.services.admin.organisations import (
    OrganisationFieldsIn,
    OrganisationProblemsError,
    admin_organisation,
    admin_organisations,
    create_organisation,
    update_organisation,
)
from altmatch.web.auth import UsersManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FieldError, FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


def parse_kind(value: str) -> OrgKind | None:
    try:
        return OrgKind(value.strip()) if value.strip() else None
    except ValueError:
        return None


@router.get("/admin/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    q: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(max_length=16)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    listing = admin_organisations(sessions, actor, q=q, kind=parse_kind(kind), page=page)
    context = {
        "listing": listing,
        "kinds": list(OrgKind),
        "saved": request.query_params.get("saved"),
    }
    return render_page(request, "admin_organisations.html", locale, context)


def _fields(form: FormData) -> OrganisationFieldsIn:
    programme = str(form.get("programme_id", "")).strip()
    return OrganisationFieldsIn(
        kind=str(form.get("kind", "")),
        name_en=str(form.get("name_en", "")),
        name_ja=str(form.get("name_ja", "")),
        prefecture=str(form.get("prefecture", "")),
        municipality=str(form.get("municipality", "")),
        programme_id=int(programme) if programme.isdigit() and int(programme) < 2**31 else None,
    )


def _problems(exc: OrganisationProblemsError, locale: str) -> FormErrors:
    return FormErrors(tuple(FieldError(field, render(m, locale)) for field, m in exc.problems))


def _form_page(
    request: Request,
    locale: str,
    *,
    programmes: list[Any],
    values: dict[str, Any],
    errors: FormErrors,
    organisation: Any = None,
) -> HTMLResponse:
    context = {
        "organisation": organisation,
        "programmes": programmes,
        "values": values,
        "errors": errors,
        "kinds": list(OrgKind),
    }
    status = errors.status_code if errors else 200
    return render_page(request, "admin_organisation.html", locale, context, status_code=status)


@router.get("/admin/organisations/new", response_class=HTMLResponse)
def new_organisation_page(
    request: Request, actor: UsersManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    listing = admin_organisations(sessions, actor, page=1, per_page=1)
    return _form_page(
        request, locale, programmes=listing.programmes, values={"kind": "boe"}, errors=FormErrors()
    )


@router.post("/admin/organisations/new", response_class=HTMLResponse)
def new_organisation_post(
    request: Request,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    fields = _fields(form)
    try:
        created = create_organisation(sessions, actor, fields)
    except OrganisationProblemsError as exc:
        listing = admin_organisations(sessions, actor, page=1, per_page=1)
        return _form_page(
            request,
            locale,
            programmes=listing.programmes,
            values=fields.model_dump(),
            errors=_problems(exc, locale),
        )
    target = f"/admin/organisations?saved={created.organisation.id}"
    return RedirectResponse(target, status_code=303)


@router.get("/admin/organisations/{organisation_id}", response_class=HTMLResponse)
def organisation_page(
    request: Request,
    organisation_id: Id,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    found = admin_organisation(sessions, actor, organisation_id)
    values = found.organisation.model_dump()
    values["kind"] = found.organisation.kind.value
    return _form_page(
        request,
        locale,
        programmes=found.programmes,
        values=values,
        errors=FormErrors(),
        organisation=found,
    )


@router.post("/admin/organisations/{organisation_id}", response_class=HTMLResponse)
def organisation_post(
    request: Request,
    organisation_id: Id,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    fields = _fields(form)
    try:
        update_organisation(sessions, actor, organisation_id, fields)
    except OrganisationProblemsError as exc:
        found = admin_organisation(sessions, actor, organisation_id)
        return _form_page(
            request,
            locale,
            programmes=found.programmes,
            values=fields.model_dump(),
            errors=_problems(exc, locale),
            organisation=found,
        )
    return RedirectResponse(f"/admin/organisations?saved={organisation_id}", status_code=303)
