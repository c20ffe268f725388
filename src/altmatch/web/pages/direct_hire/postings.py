"""Direct-hire pages: the public jobs board and a posting (with the eligibility check and the
application form for candidates and ALTs), a BoE's postings and applications, and an
applicant's own applications.

JSON twins: /api/v1/postings, /api/v1/postings/{id}, /api/v1/boe/postings,
/api/v1/boe/postings/{id} and /api/v1/me/applications.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from altmatch.domain.access import Actor, Permission
from altmatch.domain.direct_hire import PostingStage
from altmatch.rulebook.prefectures import load_prefectures
from altmatch.rulebook.vocabulary import Jlpt, Residence, SchoolLevel, StatusOfResidence
from altmatch.services.direct_hire.applications import (
    ApplyIn,
    DeclaredIn,
    EligibilityOut,
    IneligibleError,
    MoveIn,
    apply_to_posting,
    boe_posting_detail,
    check_eligibility,
    move_application,
    my_applications,
    preview_hire,
    unmet_out,
    withdraw_application,
)
from altmatch.services.direct_hire.postings import (
    PostingFields,
    close_posting,
    create_posting,
    get_open_posting,
    list_boe_postings,
    list_open_postings,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import OptionalActorDep, PostingApplicantDep, PostingManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


def _vocabulary() -> dict[str, Any]:
    return {
        "school_levels": list(SchoolLevel),
        "jlpt_levels": list(Jlpt),
        "residences": list(Residence),
        "statuses": list(StatusOfResidence),
    }


def _form(form: FormData) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A form's single values and its repeated ones (checkbox groups)."""
    single = {k: str(v) for k, v in form.items()}
    lists = {k: [str(v) for v in form.getlist(k)] for k in form}
    return single, lists


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _enum(value: str | None, kind: type[Jlpt] | type[SchoolLevel]) -> Any:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


# --- the public jobs board ----------------------------------------------------------------------


@router.get("/postings", response_class=HTMLResponse)
def postings_page(
    request: Request,
    sessions: SessionsDep,
    locale: LocaleDep,
    prefecture: str | None = None,
    school_level: str | None = None,
    jlpt: str | None = None,
) -> HTMLResponse:
    # A prefecture typed as 兵庫, 兵庫県 or 28 finds the postings stored under "Hyogo".
    known = load_prefectures().find(prefecture) if prefecture else None
    found = list_open_postings(
        sessions,
        locale=locale,
        prefecture=known.en if known else prefecture,
        school_level=_enum(school_level, SchoolLevel),
        jlpt=_enum(jlpt, Jlpt),
    )
    return render_page(request, "postings.html", locale, {"found": found} | _vocabulary())


def _declared_values(single: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in single.items() if v != ""}
    data["driving_licence"] = "driving_licence" in single
    return data


def _posting_context(
    sessions: SessionsDep,
    actor: Actor | None,
    posting_id: int,
    locale: str,
    **extra: Any,
) -> dict[str, Any]:
    detail = get_open_posting(sessions, posting_id, locale=locale)
    can_apply = actor is not None and actor.can(Permission.POSTING_APPLY)
    mine = None
    if actor is not None and can_apply:
        mine = next(
            (
                a
                for a in my_applications(sessions, actor, locale=locale).applications
                if a.posting_id == posting_id
            ),
            None,
        )
    context: dict[str, Any] = {
        "detail": detail,
        "can_apply": can_apply,
        "mine": mine,
        "values": {},
        "errors": FormErrors(),
        "eligibility": None,
    }
    return context | _vocabulary() | extra


@router.get("/postings/{posting_id}", response_class=HTMLResponse)
def posting_page(
    request: Request,
    posting_id: Id,
    actor: OptionalActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    context = _posting_context(sessions, actor, posting_id, locale)
    return render_page(request, "postings_detail.html", locale, context)


@router.post("/postings/{posting_id}/eligibility", response_class=HTMLResponse)
def posting_eligibility(
    request: Request,
    posting_id: Id,
    actor: PostingApplicantDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> HTMLResponse:
    single, _ = _form(form)
    values = _declared_values(single)
    try:
        declared = DeclaredIn.model_validate(values)
    except ValidationError as exc:
        context = _posting_context(
            sessions,
            actor,
            posting_id,
            locale,
            values=values,
            errors=FormErrors.from_validation(exc, locale),
        )
        return render_page(request, "postings_detail.html", locale, context, status_code=422)
    result = check_eligibility(sessions, actor, posting_id, declared, locale=locale)
    context = _posting_context(
        sessions, actor, posting_id, locale, values=values, eligibility=result
    )
    return render_page(request, "postings_detail.html", locale, context)


@router.post("/postings/{posting_id}/apply", response_class=HTMLResponse)
def posting_apply(
    request: Request,
    posting_id: Id,
    actor: PostingApplicantDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    single, _ = _form(form)
    values = _declared_values(single)
    errors = FormErrors()
    eligibility = None
    try:
        apply_to_posting(sessions, actor, posting_id, ApplyIn.model_validate(values), locale=locale)
    except IneligibleError as exc:
        unmet = unmet_out(exc.unmet, locale)
        eligibility = EligibilityOut(posting_id=posting_id, eligible=False, unmet=unmet)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse("/my/applications", status_code=303)
    context = _posting_context(
        sessions, actor, posting_id, locale, values=values, errors=errors, eligibility=eligibility
    )
    return render_page(request, "postings_detail.html", locale, context, status_code=422)


# --- a BoE's postings ---------------------------------------------------------------------------


def _boe_context(sessions: SessionsDep, actor: Actor, locale: str, **extra: Any) -> dict[str, Any]:
    found = list_boe_postings(sessions, actor, locale=locale)
    return {"found": found, "values": {}, "errors": FormErrors()} | _vocabulary() | extra


@router.get("/boe/postings", response_class=HTMLResponse)
def boe_postings_page(
    request: Request, actor: PostingManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return render_page(request, "boe_postings.html", locale, _boe_context(sessions, actor, locale))


_POSTING_BOXES = ("requires_residence_in_japan", "requires_driving_licence")
_POSTING_LISTS = ("school_levels", "allowed_statuses", "benefits")


def posting_fields(single: dict[str, str], lists: dict[str, list[str]]) -> dict[str, Any]:
    """HTML forms omit unchecked boxes and send blanks: turn them into the fields' values."""
    data: dict[str, Any] = {k: v for k, v in single.items() if v != "" and k not in _POSTING_LISTS}
    for box in _POSTING_BOXES:
        data[box] = box in single
    for name in _POSTING_LISTS:
        data[name] = lists.get(name, [])
    return data


@router.post("/boe/postings", response_class=HTMLResponse)
def boe_posting_create(
    request: Request,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    single, lists = _form(form)
    data = posting_fields(single, lists)
    try:
        created = create_posting(sessions, actor, PostingFields.model_validate(data), locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse(f"/boe/postings/{created.id}", status_code=303)
    context = _boe_context(sessions, actor, locale, values=data, errors=errors)
    status = errors.status_code
    return render_page(request, "boe_postings.html", locale, context, status_code=status)


@router.get("/boe/postings/{posting_id}", response_class=HTMLResponse)
def boe_posting_page(
    request: Request,
    posting_id: Id,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    context = {"found": boe_posting_detail(sessions, actor, posting_id, locale=locale)}
    return render_page(request, "boe_posting.html", locale, context | _vocabulary())


@router.post("/boe/postings/{posting_id}/close")
def boe_posting_close(
    request: Request,
    posting_id: Id,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> RedirectResponse:
    single, _ = _form(form)
    close_posting(sessions, actor, posting_id, version=_int(single.get("version")), locale=locale)
    return RedirectResponse(f"/boe/postings/{posting_id}", status_code=303)


@router.post("/boe/postings/{posting_id}/applications/{application_id}/stage")
def boe_application_move(
    request: Request,
    posting_id: Id,
    application_id: Id,
    actor: PostingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    single, _ = _form(form)
    try:
        move = MoveIn.model_validate(
            {
                "stage": single.get("stage", ""),
                "version": _int(single.get("version")),
                "note": single.get("note", ""),
            }
        )
    except ValidationError as exc:
        message = " ".join(FormErrors.from_validation(exc, locale).messages)
        return render_page(request, "refused.html", locale, {"message": message}, status_code=422)
    if move.stage is PostingStage.HIRED and single.get("confirm") != "yes":
        # Hiring is final: show what it does and who is told, and hire only once confirmed.
        preview = preview_hire(
            sessions, actor, posting_id, application_id, version=move.version, locale=locale
        )
        context = {
            "found": boe_posting_detail(sessions, actor, posting_id, locale=locale),
            "hire": preview,
            "hire_note": move.note,
        }
        return render_page(request, "boe_posting.html", locale, context | _vocabulary())
    move_application(sessions, actor, posting_id, application_id, move, locale=locale)
    return RedirectResponse(
        f"/boe/postings/{posting_id}#application-{application_id}", status_code=303
    )


# --- an applicant's own applications ------------------------------------------------------------


@router.get("/my/applications", response_class=HTMLResponse)
def my_applications_page(
    request: Request, actor: PostingApplicantDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    context = {"found": my_applications(sessions, actor, locale=locale)}
    return render_page(request, "my_applications.html", locale, context)


@router.post("/my/applications/{application_id}/withdraw")
def my_application_withdraw(
    request: Request,
    application_id: Id,
    actor: PostingApplicantDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> RedirectResponse:
    single, _ = _form(form)
    withdraw_application(
        sessions, actor, application_id, version=_int(single.get("version")), locale=locale
    )
    return RedirectResponse("/my/applications", status_code=303)
