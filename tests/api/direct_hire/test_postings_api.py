"""Direct hire over HTTP: the public board, a BoE's postings and applications, an applicant's
own applications, tenant isolation, and the pages in English and Japanese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.models import EmploymentContract, Posting
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.date_sensitive

TODAY = today_in_japan()


def _posting(**changes: Any) -> dict[str, Any]:
    return {
        "title_en": "Junior high ALT, Kobe",
        "title_ja": "神戸市 中学校ALT",
        "school_levels": ["junior_high"],
        "openings": 1,
        "min_alt_years": 2,
        "min_jlpt": "N2",
        "requires_residence_in_japan": True,
        "requires_driving_licence": False,
        "monthly_pay": 290_000,
        "benefits": ["housing", "social_insurance"],
        "start": (TODAY + dt.timedelta(days=120)).isoformat(),
        "closes_on": (TODAY + dt.timedelta(days=30)).isoformat(),
    } | changes


QUALIFIED = {
    "alt_years": 3,
    "jlpt": "N1",
    "residence": "japan",
    "status_of_residence": "instructor",
    "driving_licence": True,
}
UNQUALIFIED = {"alt_years": 0, "jlpt": "N3", "residence": "japan", "status_of_residence": "student"}


@pytest.fixture
def accounts(make_account: MakeAccount) -> dict[str, str]:
    return {
        "boe": make_account(Role.BOE_STAFF, name="Kenji Sato"),
        "candidate": make_account(Role.CANDIDATE, name="Emily Carter"),
        "alt": make_account(Role.ALT, name="Tom Reed"),
    }


@pytest.fixture
def other_boe(sessions: Sessions) -> str:
    org = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Sendai City BoE",
        name_ja="仙台市教育委員会",
        prefecture="Miyagi",
    )
    return create_user(
        sessions,
        actor=OPERATOR,
        email="sendai@example.org",
        display_name="Aiko Ito",
        role=Role.BOE_STAFF,
        password="correct horse battery",
        organisation_id=org.id,
    ).email


def _create(client: TestClient, email: str, **changes: Any) -> dict[str, Any]:
    sign_in(client, email)
    response = client.post("/api/v1/boe/postings", json=_posting(**changes), headers=SAME_ORIGIN)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _apply(client: TestClient, email: str, posting: int, facts: Mapping[str, Any]) -> Any:
    sign_in(client, email)
    return client.post(
        f"/api/v1/postings/{posting}/applications",
        json={**facts, "cover_note": "Happy to help."},
        headers=SAME_ORIGIN,
    )


def test_the_public_board_lists_open_postings_without_signing_in(
    client: TestClient, accounts: dict[str, str], sessions: Sessions
) -> None:
    kept = _create(client, accounts["boe"])
    closed = _create(client, accounts["boe"], title_en="Closed post")
    expired = _create(client, accounts["boe"], title_en="Expired post")
    response = client.post(
        f"/api/v1/boe/postings/{closed['id']}/close",
        json={"version": closed["version"]},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    with sessions.begin() as session:
        session.execute(
            update(Posting)
            .where(Posting.id == expired["id"])
            .values(closes_on=TODAY - dt.timedelta(days=1))
        )
    client.cookies.clear()

    listing = client.get("/api/v1/postings")
    assert listing.status_code == 200
    assert [p["id"] for p in listing.json()["postings"]] == [kept["id"]]
    one = client.get(f"/api/v1/postings/{kept['id']}?lang=ja").json()["posting"]
    assert one["title"] == "神戸市 中学校ALT" and one["boe"] == "神戸市教育委員会"
    assert one["prefecture"] == "Hyogo" and one["monthly_pay"] == 290_000
    assert [b["label"] for b in one["benefits"]] == ["住居支援", "社会保険"]
    for hidden in (closed, expired):
        assert client.get(f"/api/v1/postings/{hidden['id']}").status_code == 404
        assert client.get(f"/postings/{hidden['id']}").status_code == 404
    assert client.get("/api/v1/postings?prefecture=Miyagi").json()["postings"] == []
    assert client.get("/api/v1/postings?jlpt=N3").json()["postings"] == []
    assert (
        len(client.get("/api/v1/postings?jlpt=N1&school_level=junior_high").json()["postings"]) == 1
    )


@pytest.mark.parametrize(
    ("lang", "heading", "pay"), [("en", "Direct-hire jobs", "¥290,000"), ("ja", "ALT", "290,000")]
)
def test_the_public_pages_show_the_posting_in_both_languages(
    client: TestClient, accounts: dict[str, str], lang: str, heading: str, pay: str
) -> None:
    posting = _create(client, accounts["boe"])
    client.cookies.clear()
    board = client.get(f"/postings?lang={lang}")
    assert board.status_code == 200 and heading in board.text
    assert f'href="/postings/{posting["id"]}"' in board.text
    page = client.get(f"/postings/{posting['id']}?lang={lang}")
    assert page.status_code == 200
    assert pay in page.text
    assert "https://www.hyugacity.jp" in page.text  # the pay range's source
    assert 'id="sign-in-to-apply"' in page.text
    title = "神戸市 中学校ALT" if lang == "ja" else "Junior high ALT, Kobe"
    assert title in page.text
    if lang == "ja":
        assert "住居支援" in page.text and "教育委員会" in page.text


def test_a_candidate_checks_eligibility_with_reasons_then_applies_once(
    client: TestClient, accounts: dict[str, str]
) -> None:
    posting = _create(client, accounts["boe"])["id"]
    sign_in(client, accounts["candidate"])
    check = client.post(
        f"/api/v1/postings/{posting}/eligibility", json=UNQUALIFIED, headers=SAME_ORIGIN
    )
    assert check.status_code == 200
    body = check.json()
    assert body["eligible"] is False
    assert [u["requirement"] for u in body["unmet"]] == [
        "alt_years",
        "jlpt",
        "status_of_residence",
    ]
    assert body["unmet"][1]["reason"] == "This post needs JLPT N2; you declared N3."

    refused = _apply(client, accounts["candidate"], posting, UNQUALIFIED)
    assert refused.status_code == 422
    assert [d["loc"] for d in refused.json()["detail"]] == [
        ["body", "alt_years"],
        ["body", "jlpt"],
        ["body", "status_of_residence"],
    ]

    applied = _apply(client, accounts["candidate"], posting, QUALIFIED)
    assert applied.status_code == 201, applied.text
    assert applied.json()["stage"] == "applied"
    again = _apply(client, accounts["candidate"], posting, QUALIFIED)
    assert again.status_code == 422
    assert again.json()["detail"][0]["msg"] == "You have already applied to this posting."
    mine = client.get("/api/v1/me/applications").json()["applications"]
    assert [(a["posting_id"], a["stage"]) for a in mine] == [(posting, "applied")]


def _application(client: TestClient, accounts: dict[str, str]) -> tuple[int, int]:
    posting = _create(client, accounts["boe"])["id"]
    app = _apply(client, accounts["alt"], posting, QUALIFIED).json()["id"]
    sign_in(client, accounts["boe"])
    return posting, app


def _move(client: TestClient, posting: int, app: int, stage: str, version: int) -> Any:
    return client.post(
        f"/api/v1/boe/postings/{posting}/applications/{app}/stage",
        json={"stage": stage, "version": version, "note": f"to {stage}"},
        headers=SAME_ORIGIN,
    )


def test_the_boe_moves_an_application_to_hired_and_a_contract_follows(
    client: TestClient, accounts: dict[str, str], sessions: Sessions
) -> None:
    posting, app = _application(client, accounts)
    listing = client.get("/api/v1/boe/postings").json()
    assert listing["postings"][0]["by_stage"]["applied"] == 1
    version = 1
    for stage in ("screening", "interview", "offered", "hired"):
        response = _move(client, posting, app, stage, version)
        assert response.status_code == 200, response.text
        version = response.json()["version"]
    hired = response.json()
    assert hired["stage"] == "hired" and hired["contract_id"]
    assert [c["note"] for c in hired["history"]][-1] == "to hired"
    with sessions() as session:
        contract = session.get(EmploymentContract, hired["contract_id"])
        assert contract is not None and contract.path == "direct_hire"
    detail = client.get(f"/api/v1/boe/postings/{posting}").json()
    assert detail["posting"]["status"] == "closed" and detail["hired"] == 1
    assert detail["applications"][0]["declared"]["jlpt"] == "N1"


def test_a_stale_or_illegal_move_is_refused(client: TestClient, accounts: dict[str, str]) -> None:
    posting, app = _application(client, accounts)
    assert _move(client, posting, app, "screening", 1).status_code == 200
    stale = _move(client, posting, app, "interview", 1)
    assert stale.status_code == 409
    illegal = _move(client, posting, app, "hired", 2)
    assert illegal.status_code == 422
    assert "can move only to Interview" in illegal.json()["detail"][0]["msg"]


def test_another_boe_gets_404_for_the_posting_and_its_applications(
    client: TestClient, accounts: dict[str, str], other_boe: str
) -> None:
    posting, app = _application(client, accounts)
    sign_in(client, other_boe)
    assert client.get(f"/api/v1/boe/postings/{posting}").status_code == 404
    assert client.get(f"/boe/postings/{posting}").status_code == 404
    assert _move(client, posting, app, "rejected", 1).status_code == 404
    closing = client.post(
        f"/api/v1/boe/postings/{posting}/close", json={"version": 1}, headers=SAME_ORIGIN
    )
    assert closing.status_code == 404
    assert client.get("/api/v1/boe/postings").json()["postings"] == []


def test_the_applicant_withdraws_their_application(
    client: TestClient, accounts: dict[str, str]
) -> None:
    _, app = _application(client, accounts)
    sign_in(client, accounts["candidate"])
    assert (
        client.post(
            f"/api/v1/me/applications/{app}/withdraw", json={"version": 1}, headers=SAME_ORIGIN
        ).status_code
        == 404
    )
    sign_in(client, accounts["alt"])
    response = client.post(
        f"/api/v1/me/applications/{app}/withdraw", json={"version": 1}, headers=SAME_ORIGIN
    )
    assert response.status_code == 200 and response.json()["stage"] == "withdrawn"
    page = client.get("/my/applications?lang=ja")
    assert (page.status_code == 200 and "辞退" in page.text) or "Withdrawn" in page.text


def test_a_posting_outside_the_pay_range_is_refused(
    client: TestClient, accounts: dict[str, str]
) -> None:
    sign_in(client, accounts["boe"])
    response = client.post(
        "/api/v1/boe/postings", json=_posting(monthly_pay=900_000), headers=SAME_ORIGIN
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "monthly_pay"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_boe_pages_list_postings_and_applications(
    client: TestClient, accounts: dict[str, str], lang: str
) -> None:
    posting, app = _application(client, accounts)
    board = client.get(f"/boe/postings?lang={lang}")
    assert board.status_code == 200
    assert f'href="/boe/postings/{posting}"' in board.text and 'id="posting-form"' in board.text
    page = client.get(f"/boe/postings/{posting}?lang={lang}")
    assert page.status_code == 200
    assert f'id="application-{app}"' in page.text and "Tom Reed" in page.text
    assert 'value="screening"' in page.text


def test_the_boe_posts_and_moves_through_the_forms(
    client: TestClient, accounts: dict[str, str]
) -> None:
    sign_in(client, accounts["boe"])
    form = {k: v for k, v in _posting().items() if k not in {"school_levels", "benefits"}} | {
        "school_levels": ["elementary", "junior_high"],
        "benefits": ["housing"],
    }
    form["requires_residence_in_japan"] = "on"
    del form["requires_driving_licence"]
    created = client.post("/boe/postings", data=form, headers=SAME_ORIGIN, follow_redirects=False)
    assert created.status_code == 303, created.text
    posting = int(created.headers["location"].rsplit("/", 1)[1])
    bad = client.post("/boe/postings", data=form | {"monthly_pay": "1"}, headers=SAME_ORIGIN)
    assert bad.status_code == 422 and 'id="e-monthly_pay"' in bad.text

    app = _apply(client, accounts["candidate"], posting, QUALIFIED).json()["id"]
    sign_in(client, accounts["boe"])
    moved = client.post(
        f"/boe/postings/{posting}/applications/{app}/stage",
        data={"stage": "screening", "version": "1", "note": "CV looks good"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert moved.status_code == 303
    page = client.get(f"/boe/postings/{posting}")
    assert "CV looks good" in page.text and 'value="interview"' in page.text
    stale = client.post(
        f"/boe/postings/{posting}/applications/{app}/stage",
        data={"stage": "interview", "version": "1"},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409


def test_a_candidate_checks_and_applies_on_the_posting_page(
    client: TestClient, accounts: dict[str, str]
) -> None:
    posting = _create(client, accounts["boe"])["id"]
    sign_in(client, accounts["candidate"])
    page = client.get(f"/postings/{posting}")
    assert 'id="eligibility-form"' in page.text
    form = {"alt_years": "0", "jlpt": "N3", "residence": "japan", "status_of_residence": ""}
    checked = client.post(
        f"/postings/{posting}/eligibility?lang=ja", data=form, headers=SAME_ORIGIN
    )
    assert checked.status_code == 200 and 'id="not-eligible"' in checked.text
    assert 'data-requirement="jlpt"' in checked.text
    refused = client.post(f"/postings/{posting}/apply", data=form, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and 'data-requirement="alt_years"' in refused.text

    good = {
        "alt_years": "3",
        "jlpt": "N2",
        "residence": "japan",
        "status_of_residence": "permanent_resident",
    }
    checked = client.post(f"/postings/{posting}/eligibility", data=good, headers=SAME_ORIGIN)
    assert 'id="eligible"' in checked.text and 'id="apply-form"' in checked.text
    applied = client.post(
        f"/postings/{posting}/apply", data=good, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert applied.status_code == 303 and applied.headers["location"] == "/my/applications"
    mine = client.get("/my/applications")
    assert "神戸市 中学校ALT" in mine.text and "withdraw-button" in mine.text  # ja: the cookie
    assert 'id="already-applied"' in client.get(f"/postings/{posting}").text


EXPERIENCED_ALT: dict[str, Any] = {
    "degree": "bachelor",
    "citizenship": "GB",
    "english": "native",
    "alt_years": 3,
    "jlpt": "N2",
    "residence": "japan",
    "status_of_residence": "instructor",
}


def test_the_advisor_links_to_open_postings_the_profile_qualifies_for(
    client: TestClient, accounts: dict[str, str]
) -> None:
    fits = _create(client, accounts["boe"])["id"]
    _create(client, accounts["boe"], title_en="Needs a car", requires_driving_licence=True)
    _create(client, accounts["boe"], title_en="Needs N1", min_jlpt="N1")
    client.cookies.clear()
    body = client.post("/api/v1/advice", json=EXPERIENCED_ALT).json()
    direct = next(p for p in body["paths"] if p["path"] == "direct_hire")
    assert direct["eligible"]
    assert [(p["id"], p["url"]) for p in direct["postings"]] == [(fits, f"/postings/{fits}")]
    jet = next(p for p in body["paths"] if p["path"] == "jet")
    assert jet["postings"] == []

    page = client.post("/advisor?lang=ja", data=EXPERIENCED_ALT, headers=SAME_ORIGIN)
    assert page.status_code == 200
    assert 'id="matching-postings"' in page.text
    assert f'href="/postings/{fits}"' in page.text and "神戸市 中学校ALT" in page.text
    assert "Needs a car" not in page.text


def test_the_advisor_shows_no_postings_when_direct_hire_is_not_open(
    client: TestClient, accounts: dict[str, str]
) -> None:
    _create(client, accounts["boe"], min_alt_years=0, min_jlpt="none")
    client.cookies.clear()
    newcomer = {k: v for k, v in EXPERIENCED_ALT.items() if k != "status_of_residence"}
    newcomer |= {"alt_years": 0, "jlpt": "none", "residence": "overseas"}
    body = client.post("/api/v1/advice", json=newcomer).json()
    direct = next(p for p in body["paths"] if p["path"] == "direct_hire")
    assert not direct["eligible"] and direct["postings"] == []
    page = client.post("/advisor", data=newcomer, headers=SAME_ORIGIN)
    assert 'id="matching-postings"' not in page.text


def test_an_account_whose_address_is_unconfirmed_cannot_apply_until_it_is(
    client: TestClient, accounts: dict[str, str], sessions: Sessions
) -> None:
    """A BoE writes to and may hire an applicant at the account's address (issue 15, item 3)."""
    from altmatch.db.models import User

    posting = _create(client, accounts["boe"])["id"]
    with sessions.begin() as session:
        session.execute(
            update(User).where(User.email == accounts["candidate"]).values(email_verified_at=None)
        )
    refused = _apply(client, accounts["candidate"], posting, QUALIFIED)
    assert refused.status_code == 422, refused.text
    assert "Confirm your e-mail address" in refused.text
    good = {"alt_years": "3", "jlpt": "N2", "residence": "japan", "status_of_residence": ""}
    page = client.post(f"/postings/{posting}/apply?lang=ja", data=good, headers=SAME_ORIGIN)
    assert page.status_code == 422 and "メールアドレスを確認" in page.text
    assert client.get("/api/v1/me/applications").json()["applications"] == []

    proven = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with sessions.begin() as session:
        owner = update(User).where(User.email == accounts["candidate"])
        session.execute(owner.values(email_verified_at=proven))
    assert _apply(client, accounts["candidate"], posting, QUALIFIED).status_code == 201


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_hiring_on_the_page_asks_to_confirm_and_tells_everyone(
    client: TestClient,
    accounts: dict[str, str],
    sessions: Sessions,
    make_account: MakeAccount,
    lang: str,
) -> None:
    """A hire posted without the confirmation shows what will happen and hires nobody; once
    confirmed, the hired applicant is told, and the one still in the running is told they were
    not chosen, their application closed."""
    from sqlalchemy import select

    from altmatch.db.models import Notification, PostingApplication, User

    posting, app = _application(client, accounts)
    runner_up = make_account(Role.CANDIDATE, "ruth@example.org", "Ruth Park")
    other = _apply(client, runner_up, posting, QUALIFIED).json()["id"]
    sign_in(client, accounts["boe"])
    version = 1
    for stage in ("screening", "interview", "offered"):
        version = _move(client, posting, app, stage, version).json()["version"]
    preview = client.post(
        f"/api/v1/boe/postings/{posting}/applications/{app}/hire-preview",
        json={"version": version},
        headers=SAME_ORIGIN,
    ).json()
    assert preview["fills_posting"] is True and preview["others"] == ["Ruth Park"]
    url = f"/boe/postings/{posting}/applications/{app}/stage?lang={lang}"
    form = {"stage": "hired", "version": str(version), "note": ""}
    shown = client.post(url, data=form, headers=SAME_ORIGIN)
    assert shown.status_code == 200 and 'id="confirm-hire"' in shown.text
    assert "Tom Reed" in shown.text and "Ruth Park" in shown.text
    title = "神戸市 中学校ALT" if lang == "ja" else "Junior high ALT, Kobe"
    assert title in shown.text and 'name="confirm" value="yes"' in shown.text
    with sessions() as session:
        assert session.get_one(PostingApplication, app).stage == "offered", "not hired yet"
    done = client.post(url, data={**form, "confirm": "yes"}, headers=SAME_ORIGIN)
    assert done.status_code == 200
    with sessions() as session:
        assert session.get_one(PostingApplication, app).stage == "hired"
        assert session.get_one(PostingApplication, other).stage == "rejected"
        notices = {
            (email, n.kind)
            for n, email in session.execute(
                select(Notification, User.email).join(User, User.id == Notification.user_id)
            )
        }
    assert (accounts["alt"], "hired") in notices
    assert (runner_up, "not_hired") in notices
    assert (accounts["alt"], "not_hired") not in notices
