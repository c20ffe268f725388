"""Support case pages: each shows what its JSON twin serves, in English and Japanese; the ALT
never sees internal notes; other organisations get 404; emergencies show the numbers to call."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.support_world import SupportWorld, build_support_world

from altmatch.db import Sessions
from altmatch.db.models import Organisation
from altmatch.rulebook import load_rulebook

pytestmark = pytest.mark.date_sensitive

CASE = {
    "category": "pay_contract",
    "urgency": "normal",
    "subject": "My November pay is short",
    "description": "The payslip shows 180,000 yen instead of 250,000.",
    "language": "en",
}


@pytest.fixture
def world(sessions: Sessions) -> SupportWorld:
    return build_support_world(sessions)


def _open(client: TestClient, world: SupportWorld, alt: str = "jet_alt", **fields: str) -> int:
    sign_in(client, world.emails[alt])
    made = client.post("/api/v1/me/cases", json={**CASE, **fields}, headers=SAME_ORIGIN)
    assert made.status_code == 201, made.text
    case_id: int = made.json()["id"]
    return case_id


def _ids(html: str, attribute: str) -> list[int]:
    return [int(found) for found in re.findall(rf'{attribute}="(\d+)"', html)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_alts_page_lists_the_same_cases_as_its_twin_and_the_emergency_numbers(
    client: TestClient, world: SupportWorld, lang: str
) -> None:
    first = _open(client, world)
    second = _open(client, world, category="housing", subject="Mould in my flat")
    page = client.get(f"/my/cases?lang={lang}")
    twin = client.get(f"/api/v1/me/cases?lang={lang}").json()
    assert page.status_code == 200
    assert _ids(page.text, "data-case") == [c["id"] for c in twin["cases"]] == [second, first]
    assert "Mould in my flat" in page.text and 'data-category="housing"' in page.text
    assert page.text.count('data-status="open"') == 2
    contacts = load_rulebook().support.emergency_contacts
    section = page.text.split('id="emergency-contacts"')[1].split("</section>")[0]
    for contact in contacts:
        assert contact.number in section and escape(contact.label.get(lang)) in section
    assert 'id="case-form"' in page.text and 'enctype="multipart/form-data"' in page.text
    limits = load_rulebook().support.attachments
    hint = page.text.split('id="attachment-limits">')[1].split("</p>")[0]
    assert str(limits.max_files) in hint and f"{limits.max_bytes / 1_000_000:g}" in hint


def test_an_alt_opens_a_case_with_an_attachment_and_a_refused_form_keeps_the_input(
    client: TestClient, world: SupportWorld
) -> None:
    sign_in(client, world.emails["dispatch_alt"])
    fields = {**CASE, "subject": "Payslip attached"}
    files = [("attachments", ("payslip.pdf", b"%PDF-1.4 test", "application/pdf"))]
    opened = client.post(
        "/my/cases", data=fields, files=files, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert opened.status_code == 303
    case_id = int(opened.headers["location"].rsplit("/", 1)[1])
    twin = client.get(f"/api/v1/cases/{case_id}").json()
    assert twin["subject"] == "Payslip attached" and twin["attachments"][0]["size"] == 13
    page = client.get(f"/cases/{case_id}")
    link = f"/api/v1/cases/{case_id}/attachments/{twin['attachments'][0]['id']}"
    assert page.status_code == 200 and link in page.text and "payslip.pdf" in page.text
    assert client.get(link).content == b"%PDF-1.4 test"

    bad_type = [("attachments", ("run.sh", b"#!/bin/sh", "application/x-sh"))]
    refused = client.post(
        "/my/cases",
        data={**fields, "subject": "Kept subject"},
        files=bad_type,
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 422
    assert "run.sh is not a file type we accept" in refused.text
    assert 'value="Kept subject"' in refused.text and CASE["description"] in refused.text
    empty = client.post("/my/cases", data={"category": "housing"}, headers=SAME_ORIGIN)
    assert empty.status_code == 422 and 'data-field="subject"' in empty.text
    assert client.get("/api/v1/me/cases").json()["cases"][0]["id"] == case_id  # nothing new


def test_an_alt_without_a_current_contract_is_told_why_on_the_page(
    client: TestClient, world: SupportWorld
) -> None:
    sign_in(client, world.emails["jobless_alt"])
    refused = client.post("/my/cases", data=CASE, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and "no current employment contract" in refused.text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_queue_and_the_case_page_show_what_their_twins_serve(
    client: TestClient, world: SupportWorld, lang: str
) -> None:
    first = _open(client, world)
    second = _open(client, world, urgency="high", subject="Visa renewal letter")
    dispatch = _open(client, world, alt="dispatch_alt")
    sign_in(client, world.emails["kobe_supervisor"])
    page = client.get(f"/cases?lang={lang}")
    twin = client.get(f"/api/v1/cases?lang={lang}").json()
    assert page.status_code == 200
    assert _ids(page.text, "data-case") == [c["id"] for c in twin["cases"]]
    assert set(_ids(page.text, "data-case")) == {first, second}  # not the company's case
    assert dispatch not in _ids(page.text, "data-case")

    replied = client.post(
        f"/cases/{first}/reply",
        data={"body": "We will check with payroll today.", "version": "1"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert replied.status_code == 303 and replied.headers["location"] == f"/cases/{first}"
    client.post(
        f"/cases/{first}/reply",
        data={"body": "Payroll error confirmed by Tanaka.", "internal": "true"},
        headers=SAME_ORIGIN,
    )
    page = client.get(f"/cases/{first}?lang={lang}")
    twin = client.get(f"/api/v1/cases/{first}?lang={lang}").json()
    assert _ids(page.text, "data-message") == [m["id"] for m in twin["messages"]]
    assert [m["internal"] for m in twin["messages"]] == [False, True]
    assert 'data-internal="true"' in page.text and "internal-note" in page.text
    assert 'id="case-status" data-status="answered"' in page.text
    assert twin["status"] == "answered"
    assert 'id="resolve-form"' in page.text and 'id="note-form"' in page.text
    assert all(f'data-user="{h["user_id"]}"' in page.text for h in twin["handlers"])
    assert 'id="case-level" data-level="1" data-levels="3"' in page.text


def test_the_alt_never_sees_internal_notes_on_the_page(
    client: TestClient, world: SupportWorld
) -> None:
    case_id = _open(client, world)
    sign_in(client, world.emails["kobe_supervisor"])
    for body, internal in (("Secret: budget is tight.", "true"), ("Public answer.", "")):
        client.post(
            f"/cases/{case_id}/reply",
            data={"body": body, "internal": internal},
            headers=SAME_ORIGIN,
        )
    sign_in(client, world.emails["jet_alt"])
    for lang in ("en", "ja"):
        page = client.get(f"/cases/{case_id}?lang={lang}")
        assert page.status_code == 200
        assert "Public answer." in page.text and "Secret: budget is tight." not in page.text
        assert 'data-internal="true"' not in page.text and 'id="note-form"' not in page.text
        assert 'id="resolve-form"' not in page.text
    twin = client.get(f"/api/v1/cases/{case_id}").json()
    assert [m["body"] for m in twin["messages"]] == ["Public answer."]
    assert _ids(page.text, "data-message") == [m["id"] for m in twin["messages"]]
    # The ALT writes back: the case is open again.
    client.post(f"/cases/{case_id}/reply", data={"body": "Thanks!"}, headers=SAME_ORIGIN)
    assert client.get(f"/api/v1/cases/{case_id}").json()["status"] == "open"


@pytest.mark.parametrize("outsider", ["osaka_staff", "other_company_staff", "company_desk"])
def test_another_organisations_staff_get_404_on_the_case_pages(
    client: TestClient, world: SupportWorld, outsider: str
) -> None:
    case_id = _open(client, world)
    sign_in(client, world.emails[outsider])
    assert client.get(f"/cases/{case_id}").status_code == 404
    reply = client.post(f"/cases/{case_id}/reply", data={"body": "Hi"}, headers=SAME_ORIGIN)
    assert reply.status_code == 404
    resolve = client.post(f"/cases/{case_id}/resolve", data={"version": "1"}, headers=SAME_ORIGIN)
    assert resolve.status_code == 404
    assert case_id not in _ids(client.get("/cases").text, "data-case")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_emergency_case_page_shows_the_emergency_numbers_at_the_top(
    client: TestClient, world: SupportWorld, lang: str
) -> None:
    ordinary = _open(client, world)
    emergency = _open(client, world, category="emergency", subject="Flood in my flat")
    page = client.get(f"/cases/{emergency}?lang={lang}").text
    top = page.split("<h1>")[0]
    assert 'id="emergency-contacts"' in top
    for contact in load_rulebook().support.emergency_contacts:
        assert contact.number in top and escape(contact.hours.get(lang)) in top
    assert 'id="emergency-contacts"' not in client.get(f"/cases/{ordinary}").text
    sign_in(client, world.emails["hyogo_adviser"])  # an emergency reaches every level at once
    handler_page = client.get(f"/cases/{emergency}?lang={lang}")
    assert handler_page.status_code == 200 and 'id="emergency-contacts"' in handler_page.text


def test_resolve_reopen_mediation_and_a_stale_form(client: TestClient, world: SupportWorld) -> None:
    case_id = _open(client, world, category="school_relations", subject="Lesson plans")
    sign_in(client, world.emails["kobe_supervisor"])
    page = client.get(f"/cases/{case_id}").text
    assert 'id="mediation-form"' in page
    mediation = {
        "school_id": str(world.school_id),
        "contact_name": "Sato Hanako",
        "contact_role": "Head of English",
        "agreed": "Lesson plans two days ahead.",
        "version": "1",
    }
    client.post(f"/cases/{case_id}/mediation", data=mediation, headers=SAME_ORIGIN)
    stale = client.post(f"/cases/{case_id}/resolve", data={"version": "1"}, headers=SAME_ORIGIN)
    assert stale.status_code == 409
    missing = client.post(
        f"/cases/{case_id}/mediation", data={"contact_name": "X"}, headers=SAME_ORIGIN
    )
    assert missing.status_code == 422 and 'id="form-error"' in missing.text
    assert 'value="X"' in missing.text
    version = client.get(f"/api/v1/cases/{case_id}").json()["version"]
    client.post(
        f"/cases/{case_id}/resolve",
        data={"version": str(version), "note": "Agreed with the school."},
        headers=SAME_ORIGIN,
    )
    sign_in(client, world.emails["jet_alt"])
    page = client.get(f"/cases/{case_id}?lang=ja").text
    assert 'data-status="resolved"' in page and "Lesson plans two days ahead." in page
    assert "Kobe Minato Junior High" in page and "Agreed with the school." in page
    assert 'id="reopen-form"' in page and 'id="reply-form"' not in page
    version = client.get(f"/api/v1/cases/{case_id}").json()["version"]
    client.post(
        f"/cases/{case_id}/reopen",
        data={"version": str(version), "reason": "They stopped again."},
        headers=SAME_ORIGIN,
    )
    reopened = client.get(f"/api/v1/cases/{case_id}").json()
    assert reopened["status"] == "open" and reopened["reopened_count"] == 1


def test_the_case_page_names_the_employer_in_the_readers_language(
    client: TestClient, world: SupportWorld, sessions: Sessions
) -> None:
    with sessions.begin() as session:
        kobe = session.get(Organisation, world.kobe_id)
        assert kobe is not None
        kobe.name_en, kobe.name_ja = "Kobe City BoE", "神戸市教育委員会"
    case_id = _open(client, world)
    employer = client.get(f"/api/v1/cases/{case_id}").json()
    assert (employer["employer"], employer["employer_ja"]) == ("Kobe City BoE", "神戸市教育委員会")
    for lang, name in (("en", "Kobe City BoE"), ("ja", "神戸市教育委員会")):
        page = client.get(f"/cases/{case_id}?lang={lang}").text
        assert page.split('id="case-employer">')[1].split("</dd>")[0] == name


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_reply_and_an_internal_note_are_different_actions(
    client: TestClient, sessions: Sessions, world: SupportWorld, lang: str
) -> None:
    """Two forms: the reply (primary, the ALT sees it and is told) and the internal note
    (secondary, marked staff-only); a note neither reaches the ALT's page nor notifies them."""
    from sqlalchemy import select

    from altmatch.db.models import Notification, User

    case_id = _open(client, world)
    sign_in(client, world.emails["kobe_supervisor"])
    page = client.get(f"/cases/{case_id}?lang={lang}")
    reply = page.text[page.text.index('id="reply-form"') : page.text.index('id="note-form"')]
    note = page.text[page.text.index('id="note-form"') :]
    assert 'id="send-reply"' in reply and 'name="internal"' not in reply
    assert 'class="secondary" id="add-note"' in note and 'name="internal" value="true"' in note
    assert "internal-note-form" in page.text
    with sessions() as session:
        alt = session.scalars(select(User).where(User.email == world.emails["jet_alt"])).one()

    def told() -> int:
        with sessions() as session:
            rows = session.scalars(select(Notification).where(Notification.user_id == alt.id))
            return sum(1 for n in rows if n.kind == "case_update")

    before = told()
    client.post(
        f"/cases/{case_id}/reply",
        data={"body": "Staff only: check payroll.", "internal": "true"},
        headers=SAME_ORIGIN,
    )
    assert told() == before, "an internal note tells the ALT nothing"
    client.post(f"/cases/{case_id}/reply", data={"body": "We are on it."}, headers=SAME_ORIGIN)
    assert told() == before + 1
    sign_in(client, world.emails["jet_alt"])
    mine = client.get(f"/cases/{case_id}?lang={lang}").text
    assert "We are on it." in mine and "Staff only" not in mine
    twin = client.get(f"/api/v1/cases/{case_id}").json()
    assert all(not m["internal"] for m in twin["messages"])
    assert "Staff only" not in str(twin)
