"""The interview planner of a recruiting office (issue 19): panels and their assessors,
sessions cut into slots on the office's clock, and the slot grid with who is booked and who
waits. Assigning the waiting applicants and moving a booking are
services.season.interview_assignment's.

Who plans follows recorded membership: the office's staff (`office_staff`, the same people who
screen its applications; services.season.recruiting_offices.access_office) and the operator.
Anyone else, another office's staff included, is told the office does not exist (404).

Who may be heard: the office's submitted online applications screened in (stage `screened` or
a later one that is not an exit). The pure rules (slots, conflicts of interest, a remote
candidate's waking hours, the assignment) are domain.interview_schedule's; booking a slot is one
conditional UPDATE (db.interview_round), so a race never books one slot twice and the unique
index keeps one slot per application. The candidate's side is services.season.interview_booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import interview_round as repo
from altmatch.db.models import (
    InterviewPanel,
    InterviewSession,
    InterviewSlot,
    OnlineApplication,
    PanelAssessor,
    RecruitingOffice,
    SeasonCandidate,
    SeasonRow,
    User,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, Role, require
from altmatch.domain.application import ApplicationStage
from altmatch.domain.interview_schedule import (
    Candidate,
    Conflict,
    Slot,
    candidate_zone,
    clashes,
    conflicted,
    open_to,
    slots,
)
from altmatch.domain.interview_schedule import Session as Sitting
from altmatch.i18n import N_, Message
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.interview_scheduling import InterviewScheduling
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.notifications import notify
from altmatch.services.season.application_reads import clock
from altmatch.services.season.recruiting_offices import access_office

# Screened in and still in the season: who an office interviews.
HEARD_STAGES = (
    ApplicationStage.SCREENED.value,
    ApplicationStage.INTERVIEWED.value,
    ApplicationStage.SHORTLISTED.value,
    ApplicationStage.ALTERNATE.value,
    ApplicationStage.PLACED.value,
    ApplicationStage.CONTRACTED.value,
)
MODES = ("in_person", "remote")
BACKGROUNDS = ("officer", "former_participant", "educator", "other")
ASSESSING_ROLES = (Role.ASSESSOR.value, Role.COORDINATOR.value)


def rules() -> InterviewScheduling:
    return load_rulebook().interview_scheduling


# -- request and read models ----------------------------------------------------------------------


class PanelIn(BaseModel):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    room: str = Field(default="", max_length=200)
    mode: Literal["in_person", "remote"] = "in_person"


class MemberIn(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    background: Literal["officer", "former_participant", "educator", "other"]


class SessionIn(BaseModel):
    panel_id: int = Field(ge=1)
    day: date
    starts: time
    ends: time
    minutes: int = Field(ge=5, le=240)
    gap_minutes: int = Field(default=0, ge=0, le=120)


class MemberOut(BaseModel):
    user_id: int
    name: str
    email: str
    background: str


class SittingOut(BaseModel):
    id: int
    panel_id: int
    day: date
    starts: time
    ends: time
    minutes: int
    gap_minutes: int
    slots: int
    booked: int


class PanelOut(BaseModel):
    id: int
    code: str
    room: str
    mode: str
    members: list[MemberOut]
    sessions: list[SittingOut]


class GridSlotOut(BaseModel):
    id: int
    panel_id: int
    panel_code: str
    session_id: int
    starts_at: datetime
    ends_at: datetime
    office_time: str  # the start on the office's clock
    candidate_id: int | None
    candidate_name: str | None
    reference_number: str | None
    moves: int
    version: int
    # an assessor of this panel declared a conflict with the booked candidate: move them
    conflicted: bool = False


class WaitingOut(BaseModel):
    """A screened-in applicant of the office without a slot."""

    candidate_id: int
    name: str
    reference_number: str
    zone: str


class SeasonBriefOut(BaseModel):
    id: int
    name: str


class PlannerOut(BaseModel):
    office_id: int
    office_code: str
    office_name_en: str
    office_name_ja: str
    time_zone: str
    season: SeasonBriefOut
    seasons: list[SeasonBriefOut]  # the programme's open seasons, to switch between
    panels: list[PanelOut]
    slots: list[GridSlotOut]
    waiting: list[WaitingOut]
    heard: int  # screened-in applicants of the office
    booked: int


# -- the office's round as the rules see it ------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """An office's panels, slots and applicants in a season, loaded once per request."""

    office: RecruitingOffice
    season: SeasonRow
    panels: list[InterviewPanel]
    members: list[repo.Member]
    slots: list[InterviewSlot]
    heard: list[tuple[OnlineApplication, SeasonCandidate]]
    conflicts: list[Conflict]

    @property
    def assessors(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {str(p.id): [] for p in self.panels}
        for panel_id, user_id, _, _, _ in self.members:
            found[str(panel_id)].append(str(user_id))
        return found

    def candidate(self, application: OnlineApplication) -> Candidate:
        """The applicant as the rules see them: remote when their own clock is not the
        office's (they are heard by video from there)."""
        zone = candidate_zone(application.answers.get("time_zone"), self.office.time_zone)
        assert application.candidate_id is not None
        return Candidate(application.candidate_id, zone, remote=zone != self.office.time_zone)

    def slot(self, row: InterviewSlot) -> Slot:
        return Slot(str(row.panel_id), row.starts_at, row.ends_at)

    def open_to(self, application: OnlineApplication, row: InterviewSlot) -> bool:
        return open_to(
            self.candidate(application), self.slot(row), self.assessors, self.conflicts, rules()
        )


def load_round(session: Session, office: RecruitingOffice, season: SeasonRow) -> Round:
    panels = repo.panels_of(session, season.id, office.id)
    ids = [p.id for p in panels]
    heard = repo.screened_in(session, season.id, office.id, HEARD_STAGES)
    conflicts = repo.conflicts_of(session, [c.id for _, c in heard])
    return Round(
        office,
        season,
        panels,
        repo.members_of(session, ids),
        repo.slots_of(session, ids),
        heard,
        [Conflict(str(a), c) for a, c in conflicts],
    )


def office_season(
    session: Session, actor: Actor, office_id: int, season_id: int | None
) -> tuple[RecruitingOffice, SeasonRow]:
    """The office (its staff and the operator only, else 404) and a season of its programme
    (`None`: the newest open one)."""
    require(actor, Permission.INTERVIEWS_PLAN)
    office = access_office(session, actor, office_id)
    if season_id is None:
        found = repo.open_seasons_of(session, office.programme_id)
        if not found:
            raise NotFoundError("season")
        return office, found[-1]
    season = session.get(SeasonRow, season_id)
    if season is None or season.programme_id != office.programme_id:
        raise NotFoundError("season")
    return office, season


def refuse_unless_open(season: SeasonRow) -> None:
    if season.status != "open":
        raise StaleError(Message(N_("This season is closed: its interviews cannot change.")))


def planner(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int | None = None
) -> PlannerOut:
    """The office's interview round in a season: panels, sessions, the slot grid, who waits."""
    with sessions() as session:
        office, season = office_season(session, actor, office_id, season_id)
        return planner_out(session, load_round(session, office, season))


def planner_out(session: Session, r: Round) -> PlannerOut:
    sittings = repo.sessions_of(session, [p.id for p in r.panels])
    by_application = {c.id: (a, c) for a, c in r.heard}
    codes = {p.id: p.code for p in r.panels}
    names = repo.candidate_names(session, [s.candidate_id for s in r.slots if s.candidate_id])
    held = {s.candidate_id for s in r.slots if s.candidate_id}
    grid = [
        GridSlotOut(
            id=s.id,
            panel_id=s.panel_id,
            panel_code=codes[s.panel_id],
            session_id=s.session_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            office_time=clock(s.starts_at, r.office.time_zone),
            candidate_id=s.candidate_id,
            candidate_name=names.get(s.candidate_id, ("", ""))[0] if s.candidate_id else None,
            reference_number=names.get(s.candidate_id, ("", ""))[1] if s.candidate_id else None,
            moves=s.moves,
            version=s.version,
            conflicted=s.candidate_id is not None
            and bool(conflicted(r.assessors[str(s.panel_id)], s.candidate_id, r.conflicts)),
        )
        for s in r.slots
    ]
    panels = [
        PanelOut(
            id=p.id,
            code=p.code,
            room=p.room,
            mode=p.mode,
            members=[
                MemberOut(user_id=u, name=n, email=e, background=b)
                for pid, u, n, e, b in r.members
                if pid == p.id
            ],
            sessions=[
                SittingOut(
                    id=x.id,
                    panel_id=x.panel_id,
                    day=x.day,
                    starts=x.starts,
                    ends=x.ends,
                    minutes=x.minutes,
                    gap_minutes=x.gap_minutes,
                    slots=sum(1 for s in r.slots if s.session_id == x.id),
                    booked=sum(1 for s in r.slots if s.session_id == x.id and s.candidate_id),
                )
                for x in sittings
                if x.panel_id == p.id
            ],
        )
        for p in r.panels
    ]
    waiting = [
        WaitingOut(
            candidate_id=c.id,
            name=c.name,
            reference_number=a.reference_number or "",
            zone=r.candidate(a).zone,
        )
        for c_id, (a, c) in by_application.items()
        if c_id not in held
    ]
    return PlannerOut(
        office_id=r.office.id,
        office_code=r.office.code,
        office_name_en=r.office.name_en,
        office_name_ja=r.office.name_ja,
        time_zone=r.office.time_zone,
        season=SeasonBriefOut(id=r.season.id, name=r.season.name),
        seasons=[
            SeasonBriefOut(id=s.id, name=s.name)
            for s in repo.open_seasons_of(session, r.office.programme_id)
        ],
        panels=panels,
        slots=grid,
        waiting=waiting,
        heard=len(r.heard),
        booked=sum(1 for s in r.slots if s.candidate_id in by_application),
    )


# -- panels and assessors ---------------------------------------------------------------------


def add_panel(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int, body: PanelIn
) -> PlannerOut:
    """A new panel of the office in the season; its code is unique in the season (calibration
    joins panels across offices by it)."""
    with sessions.begin() as session:
        office, season = office_season(session, actor, office_id, season_id)
        refuse_unless_open(season)
        row = InterviewPanel(
            season_id=season.id,
            office_id=office.id,
            code=body.code.strip(),
            room=body.room.strip(),
            mode=body.mode,
            created_by=actor.user_id,
        )
        if not repo.add_panel(session, row):
            raise RuleError(
                Message(
                    N_("A panel of this season already has the code {code}."), {"code": row.code}
                ),
                "code",
            )
        record_audit(
            session,
            actor,
            "interview.panel_added",
            "interview_panel",
            row.id,
            None,
            body.model_dump(),
            tenant_id=office.programme_id,
        )
        return planner_out(session, load_round(session, office, season))


def _panel(session: Session, r: Round, panel_id: int) -> InterviewPanel:
    panel = next((p for p in r.panels if p.id == panel_id), None)
    if panel is None:
        raise NotFoundError("panel")
    return panel


def set_member(
    sessions: Sessions,
    actor: Actor,
    office_id: int,
    season_id: int,
    panel_id: int,
    body: MemberIn,
    *,
    member: bool = True,
) -> PlannerOut:
    """Seat an assessor on a panel by e-mail, or unseat them (`member=False`). An assessor is
    an account of the programme with the assessor or coordinator role; they are told."""
    with sessions.begin() as session:
        office, season = office_season(session, actor, office_id, season_id)
        refuse_unless_open(season)
        panel = _panel(session, load_round(session, office, season), panel_id)
        user = repo.user_by_email(session, body.email)
        if (
            user is None
            or user.disabled
            or user.role not in ASSESSING_ROLES
            or user.organisation_id != office.programme_id
        ):
            raise RuleError(
                Message(
                    N_(
                        "Only an assessor or a coordinator of this programme can sit on its "
                        "panels: check the e-mail address."
                    )
                ),
                "email",
            )
        if member:
            changed = repo.add_member(
                session,
                PanelAssessor(
                    panel_id=panel.id,
                    user_id=user.id,
                    background=body.background,
                    added_by=actor.user_id,
                ),
            )
        else:
            changed = repo.remove_member(session, panel.id, user.id)
        if changed:
            _tell_assessor(session, user, office, panel, member=member)
            record_audit(
                session,
                actor,
                "interview.assessor_added" if member else "interview.assessor_removed",
                "interview_panel",
                panel.id,
                None,
                {"user_id": user.id, "background": body.background},
                tenant_id=office.programme_id,
            )
        return planner_out(session, load_round(session, office, season))


def _tell_assessor(
    session: Session, user: User, office: RecruitingOffice, panel: InterviewPanel, *, member: bool
) -> None:
    notify(
        session,
        [user.id],
        kind="interview_panel",
        message=Message(
            N_("You now sit on interview panel {panel} of {office}.")
            if member
            else N_("You no longer sit on interview panel {panel} of {office}."),
            {
                "panel": panel.code,
                "office": office.name_ja if user.locale == "ja" else office.name_en,
            },
        ),
        link="/",
    )


# -- sessions -------------------------------------------------------------------------------------


def plan_session(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int, body: SessionIn
) -> PlannerOut:
    """Plan one panel's session on the office's clock: its slots are materialised at once.
    Refused when it would start in the past, or overlap another sitting of the panel or of
    one of its assessors (on any panel)."""
    with sessions.begin() as session:
        office, season = office_season(session, actor, office_id, season_id)
        refuse_unless_open(season)
        panel = _panel(session, load_round(session, office, season), body.panel_id)
        try:
            planned = slots(
                Sitting(
                    str(panel.id),
                    body.day,
                    body.starts,
                    body.ends,
                    office.time_zone,
                    body.minutes,
                    body.gap_minutes,
                )
            )
        except ValueError:
            raise RuleError(Message(N_("A session ends after it starts.")), "ends") from None
        if not planned:
            raise RuleError(
                Message(N_("Not even one interview fits between the start and the end.")),
                "minutes",
            )
        if planned[0].starts <= utc_now():
            raise RuleError(Message(N_("A session is planned for a time still to come.")), "day")
        taken = [
            Slot(str(s.panel_id), s.starts_at, s.ends_at)
            for s in repo.slots_of(session, repo.panels_sharing(session, panel.id))
        ]
        if clashes(planned, taken):
            raise RuleError(
                Message(
                    N_(
                        "This session overlaps another sitting of the panel or of one of its "
                        "assessors."
                    )
                ),
                "starts",
            )
        row = InterviewSession(
            panel_id=panel.id,
            day=body.day,
            starts=body.starts,
            ends=body.ends,
            minutes=body.minutes,
            gap_minutes=body.gap_minutes,
            created_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        session.add_all(
            InterviewSlot(
                session_id=row.id,
                panel_id=panel.id,
                starts_at=s.starts,
                ends_at=s.ends,
                reminders_sent=[],
            )
            for s in planned
        )
        session.flush()
        record_audit(
            session,
            actor,
            "interview.session_planned",
            "interview_session",
            row.id,
            None,
            {**body.model_dump(mode="json"), "slots": len(planned)},
            tenant_id=office.programme_id,
        )
        return planner_out(session, load_round(session, office, season))


def delete_session(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int, session_id: int
) -> PlannerOut:
    """Delete a session none of whose slots is booked (move its candidates first)."""
    with sessions.begin() as session:
        office, season = office_season(session, actor, office_id, season_id)
        refuse_unless_open(season)
        r = load_round(session, office, season)
        row = session.get(InterviewSession, session_id)
        if row is None or row.panel_id not in {p.id for p in r.panels}:
            raise NotFoundError("session")
        if not repo.delete_unbooked_session(session, row.id):
            raise StaleError(
                Message(N_("A slot of this session is booked: move its candidate first.")),
                "session",
            )
        record_audit(
            session,
            actor,
            "interview.session_deleted",
            "interview_session",
            session_id,
            {"panel_id": row.panel_id, "day": row.day.isoformat()},
            None,
            tenant_id=office.programme_id,
        )
        session.expunge(row)
        return planner_out(session, load_round(session, office, season))


# -- telling the candidate ------------------------------------------------------------------------


def tell_booking(
    session: Session,
    r: Round,
    application: OnlineApplication,
    slot: InterviewSlot,
    *,
    kind: str,
    reason: str = "",
) -> None:
    """The candidate's notice (and, by the mail sweep, e-mail) of a booking or a move: the time
    on their clock and on the office's, the panel and where it sits."""
    user = session.get(User, application.user_id)
    ja = user is not None and user.locale == "ja"
    panel = next(p for p in r.panels if p.id == slot.panel_id)
    zone = r.candidate(application).zone
    params = {
        "when": f"{clock(slot.starts_at, zone)} ({zone})",
        "office_time": f"{clock(slot.starts_at, r.office.time_zone)} ({r.office.time_zone})",
        "office": r.office.name_ja if ja else r.office.name_en,
        "panel": panel.code,
        "room": panel.room or "-",
    }
    link = f"/seasons/{r.season.id}/apply/interview"
    if kind == "interview_booked":
        message = Message(
            N_(
                "Your interview with {office} is booked: {when}; at the office {office_time}. "
                "Panel {panel}, {room}."
            ),
            params,
        )
    elif reason:
        message = Message(
            N_(
                "{office} moved your interview to {when}; at the office {office_time}. "
                "Panel {panel}, {room}. Reason: {reason}"
            ),
            {**params, "reason": reason},
        )
    else:
        message = Message(
            N_(
                "Your interview with {office} moved to {when}; at the office {office_time}. "
                "Panel {panel}, {room}."
            ),
            params,
        )
    notify(session, [application.user_id], kind=kind, message=message, link=link)
