"""An employed ALT sees their own contracts on /my/placement and /api/v1/me/placement; no one
else's, and nobody else reaches the page."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.api.helpers import MakeAccount, sign_in
from tests.dispatch_world import START, build_dispatch_world

from altmatch.db import Sessions
from altmatch.db.accounts import get_user_by_email
from altmatch.db.models import RosterAssignment
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import ContractType, HiringPath
from altmatch.services.accounts.users import create_organisation
from altmatch.services.my_placement import AltContractIn, record_alt_contract

pytestmark = pytest.mark.date_sensitive


def _contract(sessions: Sessions, email: str, employer: int, boe: int) -> int:
    with sessions() as session:
        user = get_user_by_email(session, email)
    assert user is not None
    return record_alt_contract(
        sessions,
        OPERATOR,
        AltContractIn(
            user_id=user.id,
            employer_id=employer,
            path=HiringPath.DISPATCH,
            start=date(2026, 8, 1),
            end=date(2027, 7, 31),
            recontract_year=2027,
            workplace_boe_id=boe,
        ),
    )


@pytest.fixture
def james(sessions: Sessions, make_account: MakeAccount) -> str:
    email = make_account(Role.ALT, "james@example.org", "James Okafor")
    company = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.COMPANY,
        name_en="Sakura Dispatch",
        name_ja="さくら派遣",
    ).id
    boe = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Nishinomiya BoE",
        name_ja="西宮市教育委員会",
    ).id
    _contract(sessions, email, company, boe)
    return email


def test_an_alt_sees_their_contract_with_employer_path_dates_and_workplace(
    client: TestClient, james: str
) -> None:
    sign_in(client, james)
    data = client.get("/api/v1/me/placement").json()
    (contract,) = data["contracts"]
    assert contract["employer"]["name"] == "Sakura Dispatch"
    assert contract["employer"]["name_ja"] == "さくら派遣"
    assert contract["path"] == "dispatch"
    assert (contract["start"], contract["end"]) == ("2026-08-01", "2027-07-31")
    assert contract["recontract_year"] == 2027
    assert contract["workplace_boe"]["name_ja"] == "西宮市教育委員会"
    page = client.get("/my/placement")
    assert page.status_code == 200
    assert "Sakura Dispatch" in page.text and "Nishinomiya BoE" in page.text
    assert 'id="nav-placement"' in page.text
    ja = client.get("/my/placement?lang=ja")
    assert (
        "さくら派遣" in ja.text and "西宮市教育委員会" in ja.text and "Nishinomiya" not in ja.text
    )


def test_the_placement_page_is_in_japanese_when_asked(client: TestClient, james: str) -> None:
    sign_in(client, james)
    page = client.get("/my/placement?lang=ja")
    assert "私の配置" in page.text and "2026年8月1日" in page.text


def test_an_alt_never_sees_another_alts_contract(
    client: TestClient, sessions: Sessions, make_account: MakeAccount, james: str
) -> None:
    other = make_account(Role.ALT, "ana@example.org", "Ana Silva")
    sign_in(client, other)
    assert client.get("/api/v1/me/placement").json() == {
        "contracts": [],
        "posts": [],
        "upcoming": [],
        "surveys": [],
    }
    assert "Sakura Dispatch" not in client.get("/my/placement").text


def test_recording_the_same_contract_twice_adds_nothing(
    sessions: Sessions, client: TestClient, james: str
) -> None:
    sign_in(client, james)
    (first,) = client.get("/api/v1/me/placement").json()["contracts"]
    again = _contract(sessions, james, first["employer"]["id"], first["workplace_boe"]["id"])
    assert again == first["id"]
    assert len(client.get("/api/v1/me/placement").json()["contracts"]) == 1


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ALT], ids=str)
def test_no_other_role_reaches_the_placement_page_or_its_twin(
    client: TestClient, make_account: MakeAccount, role: Role
) -> None:
    sign_in(client, make_account(role))
    assert client.get("/api/v1/me/placement").status_code == 403
    assert client.get("/my/placement", follow_redirects=False).status_code == 403
    assert 'id="nav-placement"' not in client.get("/account").text


def test_a_dispatch_alt_sees_the_schools_they_teach_at_and_who_directs_them(
    client: TestClient, sessions: Sessions
) -> None:
    world = build_dispatch_world(sessions)
    sign_in(client, world.alt_user_email)
    (post,) = client.get("/api/v1/me/placement").json()["posts"]
    assert (post["school"], post["school_ja"]) == ("K1 Junior High", "K1中学校")
    assert post["contract_type"] == "worker_dispatch"
    assert post["since"] == START.isoformat()
    directs = load_rulebook().dispatch_operations.contract_types[ContractType.WORKER_DISPATCH]
    assert post["who_directs"] == directs.who_directs.en
    page = client.get("/my/placement?lang=ja")
    assert "K1中学校" in page.text and directs.who_directs.ja in page.text


def test_an_alt_whose_post_ended_no_longer_sees_it(client: TestClient, sessions: Sessions) -> None:
    world = build_dispatch_world(sessions)
    with sessions.begin() as session:
        for row in session.scalars(select(RosterAssignment)):
            row.end = START
    sign_in(client, world.alt_user_email)
    assert client.get("/api/v1/me/placement").json()["posts"] == []


def test_the_placement_page_shows_a_coming_move_then_the_new_school_and_its_boe(
    client: TestClient, sessions: Sessions
) -> None:
    from datetime import timedelta

    from tests.dispatch_world import ON

    from altmatch.services.dispatch.transfers import (
        TransferIn,
        apply_due_transfers,
        approve_transfer,
        propose_transfer_moves,
        request_my_transfer,
    )

    world = build_dispatch_world(sessions)
    with sessions() as session:
        user = get_user_by_email(session, world.alt_user_email)
        assert user is not None
    alt = Actor(user_id=user.id, role=Role.ALT)
    made = request_my_transfer(sessions, alt, TransferIn(to_prefecture="Osaka", reasons="Family"))
    company = world.company_id
    proposed = propose_transfer_moves(
        sessions, OPERATOR, made.id, version=made.version, company_id=company, on=ON
    )
    later = ON + timedelta(days=14)
    approve_transfer(
        sessions,
        OPERATOR,
        made.id,
        version=proposed.version,
        company_id=company,
        effective_on=later,
    )
    sign_in(client, world.alt_user_email)
    before = client.get("/my/placement?lang=ja").text
    assert 'id="upcoming-' in before and "O2中学校" in before and "大阪市教委" in before
    posts = before[before.index('id="posts"') :]
    assert "K1中学校" in posts and "神戸市教委" in posts and "O2中学校" not in posts
    apply_due_transfers(sessions, on=later)
    after = client.get("/my/placement?lang=ja").text
    assert 'id="upcoming-' not in after
    posts = after[after.index('id="posts"') :]
    assert "O2中学校" in posts and "大阪市教委" in posts and "神戸市教委" not in posts
