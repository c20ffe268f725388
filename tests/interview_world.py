"""An interview round for tests, over tests/recruitment_world.py: Emily and Olivia (British)
screened in at London, Liam (Irish) at Dublin, three assessors of the programme (an officer, a
former participant, an educator), and London's panel L1 of all three with one morning session
ten days from now on London's clock: 10:00-12:00, 30 minutes + 10, so slots at 10:00, 10:40
and 11:20."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tests.recruitment_world import RecruitWorld, answers, build_recruitment, complete_application
from tests.season_world import PASSWORD, _actor

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import recruitment as repo
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.rulebook.recruitment import Decision
from altmatch.services.accounts.users import create_user
from altmatch.services.season.interview_planner import (
    MemberIn,
    PanelIn,
    SessionIn,
    add_panel,
    plan_session,
    set_member,
)
from altmatch.services.season.online_application import submit_application
from altmatch.services.season.screening import ScreeningIn, decide_screening

ASSESSORS = (
    ("officer@example.org", "officer"),
    ("alumna@example.org", "former_participant"),
    ("teacher@example.org", "educator"),
)
OLIVIA = "olivia@example.org"


@dataclass(frozen=True)
class InterviewWorld:
    rw: RecruitWorld
    olivia: Actor
    candidates: dict[str, int]  # name -> season application id
    panel: int  # London's L1
    slots: list[int]  # L1's slot ids in time order
    day: dt.date  # the session's day on London's clock


def screen_in(sessions: Sessions, rw: RecruitWorld, who: Actor, name: str, country: str) -> int:
    """Apply, submit, and be screened in by the office's screener: the season application id."""
    version = complete_application(sessions, rw, who, answers(name, country))
    out = submit_application(sessions, who, rw.season_id, version=version)
    office, screener = (
        (rw.london, rw.london_screener) if country == "GB" else (rw.dublin, rw.dublin_screener)
    )
    decide_screening(
        sessions,
        screener,
        office,
        out.id,
        ScreeningIn(decision=Decision.SCREEN_IN, reason_code="eligible", note="Complete."),
        version=out.version,
    )
    with sessions() as session:
        row = repo.own_application(session, rw.season_id, who.own_user_id())
        assert row is not None and row.candidate_id is not None
        return row.candidate_id


def build_interviews(sessions: Sessions, *, plan: bool = True) -> InterviewWorld:
    rw = build_recruitment(sessions)
    create_user(
        sessions,
        actor=OPERATOR,
        email=OLIVIA,
        display_name="Olivia Smith",
        role=Role.CANDIDATE,
        password=PASSWORD,
    )
    olivia = _actor(sessions, OLIVIA)
    candidates = {
        "Emily Carter": screen_in(sessions, rw, rw.emily, "Emily Carter", "GB"),
        "Olivia Smith": screen_in(sessions, rw, olivia, "Olivia Smith", "GB"),
        "Liam Walsh": screen_in(sessions, rw, rw.liam, "Liam Walsh", "IE"),
    }
    for email, _ in ASSESSORS:
        create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=email.split("@")[0].title(),
            role=Role.ASSESSOR,
            password=PASSWORD,
            organisation_id=rw.world.programme_id,
        )
    out = add_panel(
        sessions, rw.london_screener, rw.london, rw.season_id, PanelIn(code="L1", room="Room 3")
    )
    panel = out.panels[0].id
    for email, background in ASSESSORS:
        set_member(
            sessions,
            rw.london_screener,
            rw.london,
            rw.season_id,
            panel,
            MemberIn(email=email, background=background),  # type: ignore[arg-type]
        )
    day = (utc_now().astimezone(ZoneInfo("Europe/London")) + dt.timedelta(days=10)).date()
    slots: list[int] = []
    if plan:
        planned = plan_session(
            sessions,
            rw.london_screener,
            rw.london,
            rw.season_id,
            SessionIn(
                panel_id=panel,
                day=day,
                starts=dt.time(10),
                ends=dt.time(12),
                minutes=30,
                gap_minutes=10,
            ),
        )
        slots = [s.id for s in planned.slots]
    return InterviewWorld(rw, olivia, candidates, panel, slots, day)
