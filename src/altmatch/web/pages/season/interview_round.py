"""The interview round's pages (issue 19): an office's planner (/offices/{id}/interviews:
panels, assessors, sessions, the slot grid), its assignment preview and confirmation, moving a
booking with a reason, and the candidate's booking page (/seasons/{id}/apply/interview).

Each renders the read model of its JSON twin (web.api.season.interview_round). Assigning,
moving, deleting a session and booking are consequential: each shows what will happen and
asks for a ticked confirmation; the people affected are told.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor, NotFoundError
from altmatch.i18n import N_, Message
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.application_reads import recruitment_rules
from altmatch.services.season.interview_assignment import (
    RescheduleIn,
    confirm_assignment,
    preview_assignment,
    reschedule,
)
from altmatch.services.season.interview_booking import (
    BookIn,
    MoveBookingIn,
    TimeZoneIn,
    book_interview,
    change_time_zone,
    move_interview,
    my_interview,
)
from altmatch.services.season.interview_planner import (
    BACKGROUNDS,
    MODES,
    MemberIn,
    PanelIn,
    SessionIn,
    add_panel,
    delete_session,
    plan_session,
    planner,
    set_member,
)
from altmatch.web.auth import InterviewsPlanDep, OwnApplicationDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()
CONFIRM = "yes"


def _int(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _season_of(form: PostedForm) -> int:
    return _int(form.get("season")) or 0


# -- the office's planner -------------------------------------------------------------------------


def _planner(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    office_id: int,
    season_id: int | None,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    done: str = "",
) -> HTMLResponse:
    found = planner(sessions, actor, office_id, season_id)
    context = {
        "me": found,
        "errors": errors or FormErrors(),
        "values": values or {},
        "done": done,
        "modes": MODES,
        "backgrounds": BACKGROUNDS,
    }
    status = errors.status_code if errors else 200
    return render_page(request, "interview_planner.html", locale, context, status_code=status)


def _back(office_id: int, season_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(
        f"/offices/{office_id}/interviews?season={season_id}&done={done}", status_code=303
    )


@router.get("/offices/{office_id}/interviews", response_class=HTMLResponse)
def planner_page(
    request: Request,
    office_id: Id,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    season: int | None = None,
    done: str = "",
) -> HTMLResponse:
    return _planner(request, sessions, actor, locale, office_id, season, done=done[:20])


def _planner_write(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    office_id: int,
    form: PostedForm,
    write: Callable[[int], object],
    done: str,
) -> Response:
    """Run one planner write; a refusal re-renders the planner with the form as typed."""
    season = _season_of(form)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        write(season)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _planner(
            request, sessions, actor, locale, office_id, season, errors=errors, values=values
        )
    return _back(office_id, season, done)


@router.post("/offices/{office_id}/interviews/panels", response_class=HTMLResponse)
def planner_panel(
    request: Request,
    office_id: Id,
    form: PostedForm,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    def write(season: int) -> object:
        body = PanelIn.model_validate({k: str(form.get(k) or "") for k in ("code", "room", "mode")})
        return add_panel(sessions, actor, office_id, season, body)

    return _planner_write(request, sessions, actor, locale, office_id, form, write, "panel")


@router.post(
    "/offices/{office_id}/interviews/panels/{panel_id}/members", response_class=HTMLResponse
)
def planner_member(
    request: Request,
    office_id: Id,
    panel_id: Id,
    form: PostedForm,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Seat an assessor by e-mail, or unseat one (`member=no`)."""

    def write(season: int) -> object:
        body = MemberIn.model_validate(
            {"email": str(form.get("email") or ""), "background": form.get("background") or "other"}
        )
        member = form.get("member") != "no"
        return set_member(sessions, actor, office_id, season, panel_id, body, member=member)

    return _planner_write(request, sessions, actor, locale, office_id, form, write, "member")


@router.post("/offices/{office_id}/interviews/sessions", response_class=HTMLResponse)
def planner_session(
    request: Request,
    office_id: Id,
    form: PostedForm,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    def write(season: int) -> object:
        fields = ("panel_id", "day", "starts", "ends", "minutes", "gap_minutes")
        body = SessionIn.model_validate({k: str(form.get(k) or "") or None for k in fields})
        return plan_session(sessions, actor, office_id, season, body)

    return _planner_write(request, sessions, actor, locale, office_id, form, write, "session")


@router.post(
    "/offices/{office_id}/interviews/sessions/{session_id}/delete", response_class=HTMLResponse
)
def planner_session_delete(
    request: Request,
    office_id: Id,
    session_id: Id,
    form: PostedForm,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Delete an unbooked session once the box is ticked."""

    def write(season: int) -> object:
        if form.get("confirm") != CONFIRM:
            raise RuleError(_confirm_message(), "confirm")
        return delete_session(sessions, actor, office_id, season, session_id)

    return _planner_write(request, sessions, actor, locale, office_id, form, write, "deleted")


def _confirm_message() -> Message:
    return Message(N_("Tick the box to confirm: the people affected are told at once."))


# -- assignment -----------------------------------------------------------------------------------


def _assign(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    office_id: int,
    season_id: int | None,
    *,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    found = preview_assignment(sessions, actor, office_id, season_id)
    context = {"me": found, "errors": errors or FormErrors()}
    status = errors.status_code if errors else 200
    return render_page(request, "interview_assign.html", locale, context, status_code=status)


@router.get("/offices/{office_id}/interviews/assign", response_class=HTMLResponse)
def assign_page(
    request: Request,
    office_id: Id,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    season: int | None = None,
) -> HTMLResponse:
    """The preview: who would get which slot, who would wait and why; nothing written yet."""
    return _assign(request, sessions, actor, locale, office_id, season)


@router.post("/offices/{office_id}/interviews/assign", response_class=HTMLResponse)
def assign_confirm(
    request: Request,
    office_id: Id,
    form: PostedForm,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    season = _season_of(form)
    try:
        if form.get("confirm") != CONFIRM:
            raise RuleError(_confirm_message(), "confirm")
        confirm_assignment(sessions, actor, office_id, season, str(form.get("plan") or ""))
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _assign(request, sessions, actor, locale, office_id, season, errors=errors)
    return _back(office_id, season, "assigned")


# -- the office moves a booking -------------------------------------------------------------------


def _move(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    office_id: int,
    season_id: int | None,
    candidate_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    found = planner(sessions, actor, office_id, season_id)
    held = next((s for s in found.slots if s.candidate_id == candidate_id), None)
    if held is None:
        raise NotFoundError("booking")
    context = {
        "me": found,
        "held": held,
        "free": [s for s in found.slots if s.candidate_id is None and s.id != held.id],
        "errors": errors or FormErrors(),
        "values": values or {},
    }
    status = errors.status_code if errors else 200
    return render_page(request, "interview_move.html", locale, context, status_code=status)


@router.get("/offices/{office_id}/interviews/move", response_class=HTMLResponse)
def move_page(
    request: Request,
    office_id: Id,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    candidate: int = 0,
    season: int | None = None,
) -> HTMLResponse:
    """Choose the new slot and say why; the candidate is told."""
    return _move(request, sessions, actor, locale, office_id, season, candidate)


@router.post("/offices/{office_id}/interviews/move", response_class=HTMLResponse)
def move_confirm(
    request: Request,
    office_id: Id,
    form: PostedForm,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    season = _season_of(form)
    values = {k: str(form.get(k) or "") for k in ("candidate_id", "slot_id", "version", "reason")}
    candidate = _int(values["candidate_id"]) or 0
    try:
        if form.get("confirm") != CONFIRM:
            raise RuleError(_confirm_message(), "confirm")
        reschedule(sessions, actor, office_id, season, RescheduleIn.model_validate(values))
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _move(
            request,
            sessions,
            actor,
            locale,
            office_id,
            season,
            candidate,
            errors=errors,
            values=values,
        )
    return _back(office_id, season, "moved")


# -- the candidate --------------------------------------------------------------------------------


def _booking(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    *,
    errors: FormErrors | None = None,
    done: str = "",
) -> HTMLResponse:
    found = my_interview(sessions, actor, season_id)
    context = {
        "me": found,
        "errors": errors or FormErrors(),
        "done": done,
        "rules": recruitment_rules(),  # the time-zone question's wording
    }
    status = errors.status_code if errors else 200
    return render_page(request, "apply_interview.html", locale, context, status_code=status)


@router.get("/seasons/{season_id}/apply/interview", response_class=HTMLResponse)
def booking_page(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    done: str = "",
) -> HTMLResponse:
    notice = done if done in ("booked", "moved", "zone") else ""
    return _booking(request, sessions, actor, locale, season_id, done=notice)


@router.post("/seasons/{season_id}/apply/interview", response_class=HTMLResponse)
def booking_book(
    request: Request,
    season_id: Id,
    form: PostedForm,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Book the chosen slot (or move to it, when a booking is held: `version` is sent)."""
    slot = _int(form.get("slot_id"))
    version = _int(form.get("version"))
    try:
        if slot is None:
            raise RuleError(_choose_message(), "slot_id")
        if form.get("confirm") != CONFIRM:
            raise RuleError(_confirm_attend(), "confirm")
        if version is None:
            book_interview(sessions, actor, season_id, BookIn(slot_id=slot))
        else:
            move_interview(sessions, actor, season_id, MoveBookingIn(slot_id=slot, version=version))
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _booking(request, sessions, actor, locale, season_id, errors=errors)
    done = "booked" if version is None else "moved"
    return RedirectResponse(f"/seasons/{season_id}/apply/interview?done={done}", status_code=303)


@router.post("/seasons/{season_id}/apply/interview/time-zone", response_class=HTMLResponse)
def booking_time_zone(
    request: Request,
    season_id: Id,
    form: PostedForm,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Say where you will now be: times are shown on that clock; a booking stays put."""
    values = {"time_zone": str(form.get("time_zone") or ""), "version": form.get("version")}
    try:
        change_time_zone(sessions, actor, season_id, TimeZoneIn.model_validate(values))
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _booking(request, sessions, actor, locale, season_id, errors=errors)
    return RedirectResponse(f"/seasons/{season_id}/apply/interview?done=zone", status_code=303)


def _choose_message() -> Message:
    return Message(N_("Choose a slot."))


def _confirm_attend() -> Message:
    return Message(N_("Tick the box to confirm that you can attend at this time."))
