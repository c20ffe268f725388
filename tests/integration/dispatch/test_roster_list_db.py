"""The roster searched, filtered, sorted and paged in SQL gives what a brute-force filter over
every ALT gives, on both databases, and never another company's ALTs (db.dispatch.roster_page,
services.dispatch.roster.roster_page)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

import pytest
from tests.dispatch_world import END, START, build_dispatch_world

from altmatch.db import Sessions
from altmatch.db.dispatch import assignment_history, contracts_of_company, roster_alts_of_company
from altmatch.db.models import RosterAlt, RosterAssignment
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.accounts.users import create_user
from altmatch.services.dispatch.roster import ROSTER, roster_page
from altmatch.services.kernel.errors import RuleError
from altmatch.web.listing import parse_list_query

NAMES = ("Emily", "grace", "Liam", "Noah", "Olivia", "Mia", "Ava_", "Zoë", "ken")
PREFECTURES = ("Hyogo", "Osaka", "Kyoto", "")


@dataclass(frozen=True)
class Alt:
    id: int
    alt_id: str
    name: str
    prefecture: str
    jlpt: str
    renewal: str
    end: object
    contracts: frozenset[int]


@dataclass
class Seeded:
    sessions: Sessions
    staff: Actor
    other_staff: Actor
    contracts: list[int]
    alts: list[Alt]  # every ALT of the first company
    other_ids: set[int]  # the second company's ALTs


def _staff(sessions: Sessions, company_id: int, email: str) -> Actor:
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email,
        role=Role.COMPANY_STAFF,
        password="correct horse battery",
        organisation_id=company_id,
    )
    return Actor(user_id=user.id, role=Role.COMPANY_STAFF, organisation_id=company_id)


@pytest.fixture
def seeded(sessions: Sessions) -> Seeded:
    world = build_dispatch_world(sessions)
    other = build_dispatch_world(sessions, alt_email="alt-other@example.org")
    rng = random.Random(17)
    renewals = [r.value for r in RenewalIntention]
    with sessions.begin() as session:
        positions = list(world.positions.values())
        for n in range(70):
            alt = RosterAlt(
                company_id=world.company_id,
                external_id=f"X{n:03d}",
                name=f"{rng.choice(NAMES)} {rng.choice(NAMES)} {n % 7}",
                home_prefecture=rng.choice(PREFECTURES),
                home_municipality="Somewhere",
                home_latitude=34.7,
                home_longitude=135.2,
                school_experience=["elementary"],
                driving_licence=bool(n % 2),
                jlpt=rng.choice(("none", "N5", "N3", "N1")),
                contract_end=END + timedelta(days=rng.randrange(0, 40)),
                renewal_intention=rng.choice(renewals),
                preferred_prefectures=[],
            )
            session.add(alt)
            session.flush()
            kind = n % 3  # 0: none, 1: open assignment, 2: ended assignment only
            if kind:
                session.add(
                    RosterAssignment(
                        alt_id=alt.id,
                        position_id=rng.choice(positions),
                        start=START,
                        end=None if kind == 1 else START + timedelta(days=10),
                    )
                )
    with sessions() as session:
        rows = roster_alts_of_company(session, world.company_id)
        current: dict[int, set[int]] = {}
        for a, _p, c, _s in assignment_history(session, [r.id for r in rows], current_only=True):
            current.setdefault(a.alt_id, set()).add(c.id)
        alts = [
            Alt(
                r.id,
                r.external_id,
                r.name,
                r.home_prefecture,
                r.jlpt,
                r.renewal_intention,
                r.contract_end,
                frozenset(current.get(r.id, set())),
            )
            for r in rows
        ]
        other_ids = {r.id for r in roster_alts_of_company(session, other.company_id)}
        contracts = [c.id for c in contracts_of_company(session, world.company_id)]
        other_contracts = [c.id for c in contracts_of_company(session, other.company_id)]
    return Seeded(
        sessions,
        _staff(sessions, world.company_id, "staff-a@example.org"),
        _staff(sessions, other.company_id, "staff-b@example.org"),
        contracts + other_contracts[:1],
        alts,
        other_ids,
    )


def _expected(alts: list[Alt], params: dict[str, str]) -> list[Alt]:
    found = alts
    q = params.get("q", "").lower()
    if q:
        found = [a for a in found if q in a.alt_id.lower() or q in a.name.lower()]
    contract = params.get("contract", "")
    if contract == "unassigned":
        found = [a for a in found if not a.contracts]
    elif contract:
        found = [a for a in found if int(contract) in a.contracts]
    for name, attr in (
        ("renewal_intention", "renewal"),
        ("jlpt", "jlpt"),
        ("prefecture", "prefecture"),
    ):
        if params.get(name):
            found = [a for a in found if getattr(a, attr) == params[name]]
    order = [r.value for r in RenewalIntention]
    keys = {
        "name": lambda a: a.name,
        "alt": lambda a: a.alt_id,
        "contract_end": lambda a: a.end,
        "renewal": lambda a: order.index(a.renewal),
    }
    sort = params.get("sort", "name")
    desc = params.get("dir") == "desc"
    return sorted(found, key=lambda a: (keys[sort](a), a.id), reverse=desc)


def test_the_roster_pages_like_a_brute_force_filter_and_only_its_own_company(
    seeded: Seeded,
) -> None:
    s = seeded
    assert len(s.alts) == 74
    queries: list[dict[str, str]] = [
        {},
        {"q": "emily"},
        {"q": "X01", "sort": "alt", "dir": "desc"},
        {"q": "_"},  # a literal underscore, not a wildcard
        {"contract": "unassigned", "sort": "contract_end"},
        {"contract": str(s.contracts[0]), "sort": "renewal", "dir": "desc"},
        {"contract": str(s.contracts[1]), "jlpt": "N3"},
        {"contract": str(s.contracts[-1])},  # the other company's contract: nobody here
        {"contract": "123456789012"},  # beyond any row id: nobody, not an error
        {"renewal_intention": "leaving", "prefecture": "Osaka", "sort": "name", "dir": "desc"},
        {"prefecture": "Kyoto", "sort": "contract_end", "dir": "desc", "per_page": "3"},
        {"jlpt": "N1", "renewal_intention": "renewing", "q": "a"},
    ]
    for params in queries:
        want = _expected(s.alts, params)
        per_page = int(params.get("per_page", "20"))
        for page in range(1, max(1, -(-len(want) // per_page)) + 2):
            lq = parse_list_query({**params, "per_page": str(per_page), "page": str(page)}, ROSTER)
            for actor, mine in ((s.staff, True), (s.other_staff, False)):
                found = roster_page(s.sessions, actor, lq)
                ids = [a.id for a in found.alts]
                if mine:
                    chunk = want[(page - 1) * per_page : page * per_page]
                    assert ids == [a.id for a in chunk], (params, page)
                    assert found.listing.total == len(want), params
                    assert found.total == len(s.alts)
                else:
                    assert not set(ids) & {a.id for a in s.alts}, params
                    assert set(ids) <= s.other_ids
                    assert found.total == 4


def test_the_roster_refuses_a_sort_or_filter_value_it_does_not_have() -> None:
    for params in ({"sort": "salary"}, {"jlpt": "N9"}, {"renewal_intention": "maybe"}):
        with pytest.raises(RuleError):
            parse_list_query(params, ROSTER)
