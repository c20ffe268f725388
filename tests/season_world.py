"""A small placement season for tests: a programme, three BoEs, staff, candidates and files.

The season is examples/season: 12 candidates (C07 and C08 a couple), 5 requests in 3 BoEs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import season as season_repo
from altmatch.db.models import RunAlternateList, RunPlacement
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.domain.publication import PublicationCheck
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.season.alternates import ALTERNATES_STORED
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.setup import open_season

EXAMPLES = Path(__file__).parents[1] / "examples" / "season"
PASSWORD = "correct horse battery"
BOES = ("Kobe City BoE", "Toyooka City BoE", "Nagano Prefectural BoE")
BOES_JA = ("神戸市教育委員会", "豊岡市教育委員会", "長野県教育委員会")
# Candidate ids with an account (the email the candidates file gives them).
CANDIDATE_EMAILS = {"C01": "emily@example.org", "C02": "liam@example.org"}


@dataclass(frozen=True)
class World:
    programme_id: int
    boe_ids: dict[str, int]
    coordinator: Actor
    kobe: Actor
    toyooka: Actor
    emily: Actor  # C01
    liam: Actor  # C02


def _actor(sessions: Sessions, email: str) -> Actor:
    with sessions() as session:
        user = accounts_repo.get_user_by_email(session, email)
        assert user is not None
        return actor_for(session, user)


def build_world(sessions: Sessions) -> World:
    programme = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="JET", name_ja="JET"
    ).id
    boe_ids = {
        name: create_organisation(
            sessions,
            actor=OPERATOR,
            kind=OrgKind.BOE,
            name_en=name,
            name_ja=name_ja,
            programme_id=programme,
        ).id
        for name, name_ja in zip(BOES, BOES_JA, strict=True)
    }
    users = {
        "coordinator@example.org": (Role.COORDINATOR, programme),
        "kobe@example.org": (Role.BOE_STAFF, boe_ids["Kobe City BoE"]),
        "toyooka@example.org": (Role.BOE_STAFF, boe_ids["Toyooka City BoE"]),
        CANDIDATE_EMAILS["C01"]: (Role.CANDIDATE, None),
        CANDIDATE_EMAILS["C02"]: (Role.CANDIDATE, None),
    }
    for email, (role, org) in users.items():
        create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=email.split("@")[0].title(),
            role=role,
            password=PASSWORD,
            organisation_id=org,
        )
    return World(
        programme,
        boe_ids,
        _actor(sessions, "coordinator@example.org"),
        _actor(sessions, "kobe@example.org"),
        _actor(sessions, "toyooka@example.org"),
        _actor(sessions, CANDIDATE_EMAILS["C01"]),
        _actor(sessions, CANDIDATE_EMAILS["C02"]),
    )


def candidates_csv(*, encoding: str = "utf-8", extra_rows: list[list[str]] | None = None) -> bytes:
    """The example candidates with a name, the accounts' emails and the couple C07-C08."""
    rows = list(csv.reader((EXAMPLES / "candidates.csv").read_text().splitlines()))
    header, body = rows[0], rows[1:]
    names = {"C01": "Emily Carter", "C02": "Liam Walsh", "C07": "佐藤 花子"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*header, "name", "email", "partner_id"])
    for row in body:
        cid = row[0]
        partner = {"C07": "C08"}.get(cid, "")
        writer.writerow(
            [*row, names.get(cid, f"Candidate {cid}"), CANDIDATE_EMAILS.get(cid, ""), partner]
        )
    for row in extra_rows or []:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def requests_csv() -> bytes:
    return (EXAMPLES / "requests.csv").read_bytes()


def future_deadline() -> datetime:
    return datetime.now(UTC) + timedelta(days=30)


CONTRACT_START = date(2027, 7, 25)
# A reason for every overridable publication check: tests that are about something other than
# the checks publish a test season whose deadline may be open and whose candidates may be
# unscreened (tests/integration/season/test_publication_checks.py tests the checks).
PUBLISH_ANYWAY = {check.value: "a test season" for check in PublicationCheck}


def filled_season(sessions: Sessions, world: World, name: str = "2027 season") -> int:
    """A season of the world's programme with the example requests and candidates imported."""
    season = open_season(
        sessions,
        world.coordinator,
        name=name,
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    )
    for importer, content in (
        (import_requests, requests_csv()),
        (import_candidates, candidates_csv()),
    ):
        importer(
            sessions, world.coordinator, season.id, content=content, filename="f.csv", commit=True
        )
    return season.id


def first_places_of(lists: Mapping[int, Sequence[int]]) -> dict[int, tuple[int, int]]:
    """Each candidate's (request, position) called first in whole lists (request row id:
    candidate row ids, best first): the lowest position, the lower request id on a tie."""
    first: dict[int, tuple[int, int]] = {}
    for r in sorted(lists):
        for position, c in enumerate(lists[r], start=1):
            if c not in first or position < first[c][1]:
                first[c] = (r, position)
    return first


def replace_alternates(sessions: Sessions, run_id: int, lists: Mapping[int, Sequence[int]]) -> None:
    """Overwrite a run's stored alternates with whole lists (request row id: candidate row ids,
    best first; none longer than a run stores) and its candidates' first places with what
    they give, in plain SQL: no ORM, so no reader's cache and no immutability listener is
    involved, the stores themselves change underneath every reader."""
    assert all(len(c) <= ALTERNATES_STORED for c in lists.values())
    first = first_places_of(lists)
    with sessions.begin() as session:
        session.execute(delete(RunAlternateList).where(RunAlternateList.run_id == run_id))
        session.execute(
            insert(RunAlternateList),
            [
                {
                    "run_id": run_id,
                    "request_id": r,
                    "candidate_ids": season_repo.pack_ids(c),
                    "length": len(c),
                }
                for r, c in lists.items()
                if c
            ],
        )
        rows = session.execute(
            select(RunPlacement.id, RunPlacement.candidate_id).where(RunPlacement.run_id == run_id)
        ).all()
        session.execute(
            update(RunPlacement),
            [
                {
                    "id": row_id,
                    "alternate_request_id": first.get(c, (None, None))[0],
                    "alternate_position": first.get(c, (None, None))[1],
                }
                for row_id, c in rows
            ],
        )
