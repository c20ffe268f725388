"""The online intake's interview round (issue 19): for the recruiting offices that have
screened-in applicants (demo.seed_recruitment), assessor accounts, two panels of three each
(an embassy officer, a former participant, an educator), a morning session per panel from a week
after the day the demo is seeded (one office after another, DAYS_AHEAD), and a slot for every
screened-in applicant: some booked by the candidates themselves, the others assigned by the
office.

Membership overlaps so calibration is connected: in each office the former participant sits on
both panels, and a programme officer from Tokyo sits on each office's first panel, which links
the offices into one design. Everything goes through the services, as the office's screener or
the applicant (the same checks as the web app). Idempotent: accounts by e-mail, panels by code,
a session only for a panel without one, a booking only for an applicant without one.

`booked_slots` lists the demo's booked interviews with their panel's assessors: the score
sheets of the assessing pages are seeded from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db.models import (
    InterviewPanel,
    InterviewSlot,
    OnlineApplication,
    PanelAssessor,
    RecruitingOffice,
    User,
)
from altmatch.demo.personas import DEMO_PASSWORD, LOGIN_DOMAIN
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_user
from altmatch.services.season.interview_assignment import (
    confirm_assignment,
    preview_assignment,
)
from altmatch.services.season.interview_booking import BookIn, book_interview, my_interview
from altmatch.services.season.interview_planner import (
    MemberIn,
    PanelIn,
    SessionIn,
    add_panel,
    plan_session,
    planner,
    set_member,
)

VISITOR = "assessor_tokyo_officer"  # sits on every office's first panel
# Per office: (login key suffix, background, panels it sits on)
SEATS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("officer", "officer", (2,)),
    ("alumnus", "former_participant", (1, 2)),
    ("educator_a", "educator", (1,)),
    ("educator_b", "educator", (2,)),
)
MAX_OFFICES = 3
# The first office's first panel sits a week after seeding, its second a day later; each next
# office two days after the one before: the Tokyo officer sits on every first panel, and
# mornings in Canberra and Manila overlap in UTC while Canberra keeps standard time.
DAYS_AHEAD = 7
SESSION = (dt.time(9, 30), dt.time(12, 0), 30, 10)  # starts, ends, minutes, gap


@dataclass(frozen=True)
class InterviewRoundSeeded:
    panels: int
    booked: int  # slots booked by this run


@dataclass(frozen=True)
class BookedInterview:
    """A booked slot of the demo: who is heard, by which panel, with its assessors."""

    slot_id: int
    panel_id: int
    candidate_id: int  # the season application
    starts_at: dt.datetime
    assessor_ids: tuple[int, ...]


def _login(key: str) -> str:
    return f"{key}@{LOGIN_DOMAIN}"


def _account(sessions: Sessions, programme_id: int, key: str, name: str) -> str:
    login = _login(key)
    with sessions() as session:
        if session.scalar(select(User.id).where(User.email == login)) is None:
            create_user(
                sessions,
                actor=OPERATOR,
                email=login,
                display_name=name,
                role=Role.ASSESSOR,
                password=DEMO_PASSWORD,
                organisation_id=programme_id,
            )
    return login


def new_accounts(offices: int) -> int:
    """The assessor accounts a round over `offices` offices creates: the visitor and four each."""
    return 1 + len(SEATS) * min(offices, MAX_OFFICES)


def seed_demo_interview_round(
    sessions: Sessions, programme_id: int, season_id: int, offices: tuple[str, ...]
) -> InterviewRoundSeeded:
    """Accounts, panels, sessions and bookings of the demo intake's interview round, in the
    first three of `offices` (by code)."""
    visitor = _account(sessions, programme_id, VISITOR, "Kenji Yamada")
    panels = booked = 0
    with sessions() as session:
        rows = {
            o.code: o
            for o in session.scalars(
                select(RecruitingOffice).where(RecruitingOffice.programme_id == programme_id)
            )
        }
    for number, code in enumerate(offices[:MAX_OFFICES]):
        office = rows.get(code)
        if office is None:
            continue
        screener = act_as(sessions, OPERATOR, _login(f"screener_{code}"))
        members = [(visitor, "officer", (1,))] + [
            (
                _account(sessions, programme_id, f"assessor_{code}_{key}", _name(code, key)),
                background,
                seats,
            )
            for key, background, seats in SEATS
        ]
        have = {p.code: p for p in planner(sessions, screener, office.id, season_id).panels}
        for seat in (1, 2):
            panel_code = f"{code}-{seat}"
            if panel_code not in have:
                out = add_panel(
                    sessions,
                    screener,
                    office.id,
                    season_id,
                    PanelIn(
                        code=panel_code,
                        room=f"Interview room {seat}",
                        mode="remote" if seat == 2 else "in_person",
                    ),
                )
                have = {p.code: p for p in out.panels}
                panels += 1
            panel = have[panel_code]
            for login, background, seats in members:
                if seat in seats and login not in {m.email for m in panel.members}:
                    set_member(
                        sessions,
                        screener,
                        office.id,
                        season_id,
                        panel.id,
                        MemberIn(email=login, background=background),
                    )
            if not panel.sessions:
                day = utc_now().astimezone(ZoneInfo(office.time_zone)).date()
                starts, ends, minutes, gap = SESSION
                plan_session(
                    sessions,
                    screener,
                    office.id,
                    season_id,
                    SessionIn(
                        panel_id=panel.id,
                        day=day + dt.timedelta(days=DAYS_AHEAD + 2 * number + seat - 1),
                        starts=starts,
                        ends=ends,
                        minutes=minutes,
                        gap_minutes=gap,
                    ),
                )
        booked += _book(sessions, office, season_id, by_candidates=number % 2 == 0)
    return InterviewRoundSeeded(panels, booked)


# Made-up people: an assessor's name is a person's, as on a real panel (their background is
# recorded on the panel, in the reader's language).
PEOPLE: dict[str, dict[str, str]] = {
    "london": {
        "officer": "Sarah Whitfield",
        "alumnus": "Tom Hughes",
        "educator_a": "Priya Shah",
        "educator_b": "Gareth Lloyd",
    },
    "canberra": {
        "officer": "Megan O'Brien",
        "alumnus": "Lachlan Reid",
        "educator_a": "Chloe Nguyen",
        "educator_b": "Daniel Morgan",
    },
    "manila": {
        "officer": "Maria Santos",
        "alumnus": "Paolo Reyes",
        "educator_a": "Angela Cruz",
        "educator_b": "Jose Mendoza",
    },
}
FALLBACK = {  # an office the table does not name
    "officer": "Alex Morgan",
    "alumnus": "Sam Taylor",
    "educator_a": "Jordan Lee",
    "educator_b": "Casey Brown",
}


def _name(code: str, key: str) -> str:
    return PEOPLE.get(code, FALLBACK)[key]


def _book(
    sessions: Sessions, office: RecruitingOffice, season_id: int, *, by_candidates: bool
) -> int:
    """Every screened-in applicant of the office gets a slot: by their own booking (the
    second open slot, so the first stays free for the office), or by the office's assignment."""
    screener = act_as(sessions, OPERATOR, _login(f"screener_{office.code}"))
    waiting = planner(sessions, screener, office.id, season_id).waiting
    if not waiting:
        return 0
    if not by_candidates:
        plan = preview_assignment(sessions, screener, office.id, season_id)
        if plan.seats:
            confirm_assignment(sessions, screener, office.id, season_id, plan.plan)
        return len(plan.seats)
    done = 0
    with sessions() as session:
        query = (
            select(OnlineApplication.candidate_id, User.email)
            .join(User, User.id == OnlineApplication.user_id)
            .where(OnlineApplication.season_id == season_id)
        )
        logins = {candidate: email for candidate, email in session.execute(query)}
    for person in waiting:
        applicant = act_as(sessions, OPERATOR, logins[person.candidate_id])
        mine = my_interview(sessions, applicant, season_id)
        if mine.booking is None and mine.open_slots:
            slot = mine.open_slots[min(1, len(mine.open_slots) - 1)]
            book_interview(sessions, applicant, season_id, BookIn(slot_id=slot.id))
            done += 1
    return done


def booked_slots(sessions: Sessions, season_id: int) -> list[BookedInterview]:
    """The season's booked interviews in time order, each with its panel's assessors."""
    with sessions() as session:
        rows = session.execute(
            select(InterviewSlot)
            .join(InterviewPanel, InterviewPanel.id == InterviewSlot.panel_id)
            .where(InterviewPanel.season_id == season_id, InterviewSlot.candidate_id.is_not(None))
            .order_by(InterviewSlot.starts_at, InterviewSlot.id)
        ).scalars()
        slots = list(rows)
        seats: dict[int, list[int]] = {}
        for panel_id, user_id in session.execute(
            select(PanelAssessor.panel_id, PanelAssessor.user_id).order_by(PanelAssessor.user_id)
        ):
            seats.setdefault(panel_id, []).append(user_id)
        return [
            BookedInterview(
                slot_id=s.id,
                panel_id=s.panel_id,
                candidate_id=s.candidate_id or 0,
                starts_at=s.starts_at,
                assessor_ids=tuple(seats.get(s.panel_id, ())),
            )
            for s in slots
        ]
