"""An interview round written straight through the ORM, for the assessors' tests: the tiny
season of tests.calibration_world (A01, B01 and six others), a London office with a screener,
and the round's two panels with their assessors, sessions and booked slots.

Panel PL (s, l1, l2) hears A01, F01, F02, F03 and panel PH (s, h1, h2) hears B01, F04, F05,
F06, one interview an hour from `START` (PL's first, then PH's). `s` is a programme coordinator
who sits on both panels; the others are assessor accounts. `outsider` is an assessor on no
panel. A01 applied online (statement and reference number); the others were imported.
`score_lines` gives, for each sheet, the scores of tests.calibration_world.flip_rows, so the
sheets and that file calibrate alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from tests.calibration_world import CRITERIA, flip_rows, tiny_season
from tests.season_world import PASSWORD, World, _actor, build_world

from altmatch.db import Sessions
from altmatch.db.models import (
    InterviewPanel,
    InterviewSession,
    InterviewSlot,
    OnlineApplication,
    PanelAssessor,
    SeasonCandidate,
)
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.services.accounts.users import create_user
from altmatch.services.season.recruiting_offices import OfficeIn, add_office_in, set_office_staff

START = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
PANELS = {"PL": ("s", "l1", "l2"), "PH": ("s", "h1", "h2")}
HEARD = {"PL": ("A01", "F01", "F02", "F03"), "PH": ("B01", "F04", "F05", "F06")}
STATEMENT = "I want to teach in Japan because I love languages and children."
REFERENCE = "LON-2027-0001"


@dataclass(frozen=True)
class Round:
    world: World
    season_id: int
    office_id: int
    screener: Actor  # the office's staff
    assessors: dict[str, Actor]  # s, l1, l2, h1, h2, outsider
    user_ids: dict[str, int]
    panels: dict[str, int]  # code -> panel id
    candidates: dict[str, int]  # external id -> season_candidates.id
    slots: dict[str, datetime]  # external id -> the interview's start


def _user(sessions: Sessions, email: str, role: Role, programme: int) -> int:
    return create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email.split("@")[0].title(),
        role=role,
        password=PASSWORD,
        organisation_id=programme,
    ).id


def build_round(sessions: Sessions) -> Round:
    world = build_world(sessions)
    season = tiny_season(sessions, world)
    programme = world.programme_id
    with sessions.begin() as session:
        office = add_office_in(
            session,
            OPERATOR,
            programme,
            OfficeIn(
                code="london",
                name_en="Embassy in London",
                name_ja="在英国日本国大使館",
                countries=["GB"],
                time_zone="Europe/London",
                email="london@example.org",
            ),
        )
    screener_id = _user(sessions, "screener@example.org", Role.COORDINATOR, programme)
    set_office_staff(sessions, OPERATOR, office, screener_id, member=True)
    ids = {"s": _user(sessions, "s@example.org", Role.COORDINATOR, programme)}
    for key in ("l1", "l2", "h1", "h2", "outsider"):
        ids[key] = _user(sessions, f"{key}@example.org", Role.ASSESSOR, programme)
    panels: dict[str, int] = {}
    slots: dict[str, datetime] = {}
    with sessions.begin() as session:
        candidates = {
            c.external_id: c.id
            for c in session.scalars(
                select(SeasonCandidate).where(SeasonCandidate.season_id == season)
            )
        }
        for number, (code, members) in enumerate(PANELS.items()):
            panel = InterviewPanel(season_id=season, office_id=office, code=code, room="Room 1")
            session.add(panel)
            session.flush()
            panels[code] = panel.id
            for key in members:
                session.add(PanelAssessor(panel_id=panel.id, user_id=ids[key], background="other"))
            day = START + timedelta(days=number)
            sitting = InterviewSession(
                panel_id=panel.id,
                day=day.date(),
                starts=day.time(),
                ends=(day + timedelta(hours=len(HEARD[code]))).time(),
                minutes=50,
                gap_minutes=10,
            )
            session.add(sitting)
            session.flush()
            # booked in reverse, so time order is not insertion order
            for i, external in reversed(list(enumerate(HEARD[code]))):
                starts = day + timedelta(hours=i)
                slots[external] = starts
                session.add(
                    InterviewSlot(
                        session_id=sitting.id,
                        panel_id=panel.id,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=50),
                        candidate_id=candidates[external],
                        booked_at=START - timedelta(days=7),
                    )
                )
        session.add(
            OnlineApplication(
                season_id=season,
                user_id=world.emily.own_user_id(),
                office_id=office,
                status="submitted",
                answers={"name": "A One"},
                statement=STATEMENT,
                reference_number=REFERENCE,
                submitted_at=START - timedelta(days=30),
                candidate_id=candidates["A01"],
            )
        )
    emails = {key: f"{key}@example.org" for key in ids}
    return Round(
        world,
        season,
        office,
        _actor(sessions, "screener@example.org"),
        {key: _actor(sessions, email) for key, email in emails.items()},
        ids,
        panels,
        candidates,
        slots,
    )


def score_lines(r: Round) -> dict[tuple[str, str], dict[str, int]]:
    """(assessor key, candidate external id) -> that sheet's scores, from flip_rows."""
    sheets: dict[tuple[str, str], dict[str, int]] = {}
    for line in flip_rows():
        candidate, _panel, assessor, criterion, score = line.split(",")
        sheets.setdefault((assessor, candidate), {})[criterion] = int(score)
    assert all(len(s) == len(CRITERIA) for s in sheets.values())
    return sheets


def as_file_rows(r: Round) -> list[str]:
    """flip_rows with each assessor named as calibration names a sheet's assessor."""
    rows = []
    for line in flip_rows():
        candidate, panel, assessor, criterion, score = line.split(",")
        rows.append(f"{candidate},{panel},A{r.user_ids[assessor]},{criterion},{score}")
    return rows
