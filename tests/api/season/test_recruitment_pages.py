"""The online application, a referee's link and an office's screening queue over HTTP: the
pages in English and Japanese, their JSON twins, and the refusals (other offices, other
candidates, stale versions, missing confirmations)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.recruitment_world import (
    PDF,
    STATEMENT,
    RecruitWorld,
    answers,
    build_recruitment,
    complete_application,
)

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.services.kernel.mail import folder_messages
from altmatch.services.season.online_application import (
    submit_application,
)

pytestmark = pytest.mark.date_sensitive  # the test season's request deadline is a month on

EMILY, LIAM = "emily@example.org", "liam@example.org"
LONDON, DUBLIN = "screener-london@example.org", "screener-dublin@example.org"
FORM = {
    "name": "Emily Carter",
    "citizenship": "gb",
    "degree": "bachelor",
    "english": "native",
    "jlpt": "N3",
    "teaching_years": "2",
    "prior_jet_years": "0",
    "years_in_japan_recent": "0",
    "driving_licence": "on",
    "preferred_prefectures": "Hyogo\nNagano",
    "statement": STATEMENT,
}


@pytest.fixture
def rw(sessions: Sessions) -> RecruitWorld:
    return build_recruitment(sessions)


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, html
    return found.group(1)


def _links(settings: Settings) -> list[str]:
    return [
        re.findall(r"/references/([A-Za-z0-9_-]+)", m.body)[0]
        for m in folder_messages(settings.mail_folder)
        if "/references/" in m.body
    ]


def test_an_applicant_fills_uploads_names_referees_and_submits_by_the_pages(
    client: TestClient, rw: RecruitWorld, settings: Settings
) -> None:
    sign_in(client, EMILY)
    base = f"/seasons/{rw.season_id}/apply"
    page = client.get(base)
    assert (
        page.status_code == 200
        and f'href="/api/v1/seasons/{rw.season_id}/online-application"' in page.text
    )
    saved = client.post(
        base, data={**FORM, "version": ""}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert saved.status_code == 303
    page = client.get(base)
    assert 'data-eligible="yes"' in page.text and "Embassy in London" in page.text
    for kind in ("degree", "transcript"):
        done = client.post(
            f"{base}/documents",
            data={"kind": kind, "version": _version(client.get(base).text)},
            files={"file": (f"{kind}.pdf", PDF, "application/pdf")},
            headers=SAME_ORIGIN,
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    for slot in (1, 2):
        done = client.post(
            f"{base}/referees",
            data={
                "slot": str(slot),
                "referee_name": f"Referee {slot}",
                "referee_email": f"ref{slot}@example.net",
                "version": _version(client.get(base).text),
            },
            headers=SAME_ORIGIN,
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    confirm = client.get(f"{base}/confirm")
    assert 'data-missing="references"' in confirm.text  # both letters must arrive first
    client.cookies.clear()
    tokens = _links(settings)
    assert len(tokens) == 2
    for token in tokens:
        link = client.get(f"/references/{token}?lang=ja")
        assert link.status_code == 200 and "推薦状" in link.text
        up = client.post(
            f"/references/{token}",
            files={"file": ("letter.pdf", PDF, "application/pdf")},
            headers=SAME_ORIGIN,
            follow_redirects=False,
        )
        assert up.status_code == 200 and 'id="reference-received"' in up.text
        assert client.get(f"/references/{token}").status_code == 404  # used
    sign_in(client, EMILY)
    confirm = client.get(f"{base}/confirm")
    assert "data-missing" not in confirm.text
    version = _version(confirm.text)
    refused = client.post(
        f"{base}/submit", data={"version": version}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert refused.status_code == 422 and 'id="e-confirm"' in refused.text
    done = client.post(
        f"{base}/submit",
        data={"version": version, "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303
    status = client.get(f"{base}?lang=ja")
    assert "受付番号" in status.text and "受付票" in status.text
    assert re.search(r'id="reference-number">2027-LONDON-\d{6}<', status.text)
    assert "(Europe/London)" in status.text and 'id="japan-time">20' in status.text


def test_a_page_save_shows_errors_beside_the_fields(client: TestClient, rw: RecruitWorld) -> None:
    sign_in(client, EMILY)
    bad = client.post(
        f"/seasons/{rw.season_id}/apply",
        data={**FORM, "citizenship": "G1", "teaching_years": "99", "version": ""},
        headers=SAME_ORIGIN,
    )
    assert bad.status_code == 422
    assert 'id="e-citizenship"' in bad.text and 'id="e-teaching_years"' in bad.text
    assert 'class="error-summary"' in bad.text


def test_eligibility_is_checked_as_json_without_saving(
    client: TestClient, rw: RecruitWorld
) -> None:
    sign_in(client, EMILY)
    url = f"/api/v1/seasons/{rw.season_id}/online-application/check"
    body = answers(citizenship="JM").model_dump(mode="json")
    result = client.post(url, json=body, headers=SAME_ORIGIN, follow_redirects=False).json()
    assert result["eligible"] is True  # Jamaica recruits; only no office serves it in this test
    body = answers(citizenship="FR").model_dump(mode="json")
    result = client.post(url, json=body, headers=SAME_ORIGIN, follow_redirects=False).json()
    assert [r["rule"] for r in result["failed"]] == ["jet.citizenship"]
    assert (
        client.get(f"/api/v1/seasons/{rw.season_id}/online-application").json()["application"]
        is None
    )


def test_the_api_saves_uploads_and_refuses_a_stale_version(
    client: TestClient, rw: RecruitWorld
) -> None:
    sign_in(client, EMILY)
    url = f"/api/v1/seasons/{rw.season_id}/online-application"
    first = client.put(
        url, json={**answers().model_dump(mode="json")}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert first.status_code == 200, first.text
    version = first.json()["version"]
    up = client.post(
        f"{url}/documents/degree",
        data={"version": str(version)},
        files={"file": ("d.pdf", PDF, "application/pdf")},
        headers=SAME_ORIGIN,
    )
    assert up.status_code == 200 and up.json()["documents"][0]["kind"] == "degree"
    stale = client.put(
        url,
        json={**answers().model_dump(mode="json"), "version": version},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert stale.status_code == 409
    fake = client.post(
        f"{url}/documents/transcript",
        data={"version": str(up.json()["version"])},
        files={"file": ("t.pdf", b"<html>not a pdf</html>", "application/pdf")},
        headers=SAME_ORIGIN,
    )
    assert fake.status_code == 422
    early = client.post(
        f"{url}/submit",
        json={"version": up.json()["version"]},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert early.status_code == 422


def test_another_candidate_sees_none_of_it(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    complete_application(sessions, rw, rw.emily, answers())
    sign_in(client, LIAM)
    mine = client.get(f"/api/v1/seasons/{rw.season_id}/online-application").json()
    assert mine["application"] is None
    assert client.get(f"/api/v1/offices/{rw.london}/queue").status_code == 403


def _submitted(sessions: Sessions, rw: RecruitWorld) -> int:
    version = complete_application(sessions, rw, rw.emily, answers())
    return submit_application(sessions, rw.emily, rw.season_id, version=version).id


def test_a_screener_decides_with_a_reason_and_the_applicant_reads_it(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    app_id = _submitted(sessions, rw)
    sign_in(client, LONDON)
    queue = client.get(f"/offices/{rw.london}/queue?lang=ja")
    assert queue.status_code == 200 and "Emily Carter" in queue.text
    assert client.get(f"/api/v1/offices/{rw.london}/queue").json()["items"][0]["id"] == app_id
    detail_url = f"/offices/{rw.london}/applications/{app_id}"
    detail = client.get(detail_url)
    assert detail.status_code == 200 and 'id="file-degree"' in detail.text
    download = client.get(f"/api/v1{detail_url}/files/degree")
    assert download.status_code == 200 and download.content == PDF
    form = {
        "decision": "screen_out",
        "reason_code": "statement_insufficient",
        "note": "The statement repeats one sentence.",
        "version": _version(detail.text),
    }
    unconfirmed = client.post(
        f"{detail_url}/decision", data=form, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert unconfirmed.status_code == 422 and 'id="e-confirm"' in unconfirmed.text
    mismatched = client.post(
        f"{detail_url}/decision",
        data={**form, "decision": "screen_in", "confirm": "yes"},
        headers=SAME_ORIGIN,
    )
    assert mismatched.status_code == 422
    done = client.post(
        f"{detail_url}/decision",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303
    again = client.post(
        f"{detail_url}/decision",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert again.status_code == 409
    client.cookies.clear()
    sign_in(client, EMILY)
    status = client.get(f"/seasons/{rw.season_id}/apply?lang=ja")
    assert 'data-decision="screen_out"' in status.text
    assert "志望動機が問いに答えていない" in status.text
    assert "The statement repeats one sentence." in status.text


def test_a_screener_of_another_office_is_refused_everywhere(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    app_id = _submitted(sessions, rw)
    sign_in(client, DUBLIN)
    assert client.get(f"/offices/{rw.london}/queue").status_code == 404
    assert client.get(f"/api/v1/offices/{rw.london}/applications/{app_id}").status_code == 404
    assert client.get(f"/api/v1/offices/{rw.dublin}/applications/{app_id}").status_code == 404
    assert (
        client.get(f"/api/v1/offices/{rw.london}/applications/{app_id}/files/degree").status_code
        == 404
    )
    decided = client.post(
        f"/api/v1/offices/{rw.london}/applications/{app_id}/decision",
        json={"decision": "screen_in", "reason_code": "eligible", "note": "ok", "version": 1},
        headers=SAME_ORIGIN,
    )
    assert decided.status_code == 404
    offices = client.get("/api/v1/offices").json()
    assert {o["code"]: o["screens"] for o in offices} == {"dublin": True, "london": False}


def test_a_coordinator_adds_and_removes_a_screener_on_the_offices_page(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    sign_in(client, "coordinator@example.org")
    page = client.get("/offices?lang=ja")
    assert page.status_code == 200 and 'id="add-london"' in page.text
    coordinator = rw.world.coordinator.user_id
    added = client.post(
        f"/offices/{rw.london}/staff",
        data={"user_id": str(coordinator)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert added.status_code == 303
    offices = {o["code"]: o for o in client.get("/api/v1/offices").json()}
    assert offices["london"]["screens"] and not offices["dublin"]["screens"]
    assert client.get(f"/offices/{rw.london}/queue").status_code == 200
    refused = client.post(
        f"/offices/{rw.london}/staff",
        data={"user_id": str(rw.emily.user_id)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "error-summary" in refused.text
    removed = client.post(
        f"/offices/{rw.london}/staff",
        data={"user_id": str(coordinator), "member": "no"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert client.get(f"/offices/{rw.london}/queue").status_code == 404
    client.cookies.clear()
    sign_in(client, EMILY)
    assert client.get("/offices").status_code == 403


def test_when_the_referees_e_mail_fails_the_page_says_so_and_sending_again_works(
    client: TestClient, rw: RecruitWorld, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mail server is down: the page tells the truth (as the API's `sent: false`), and
    "Send the link again" sends it once the server is back."""
    import contextlib
    from collections.abc import Iterator

    from altmatch.services.season import references

    @contextlib.contextmanager
    def down(_settings: Settings) -> Iterator[None]:
        raise OSError("connection refused")
        yield

    sign_in(client, EMILY)
    base = f"/seasons/{rw.season_id}/apply"
    client.post(base, data={**FORM, "version": ""}, headers=SAME_ORIGIN)
    referee = {"slot": "1", "referee_name": "Referee 1", "referee_email": "ref1@example.net"}
    monkeypatch.setattr(references, "connect", down)
    done = client.post(
        f"{base}/referees",
        data={**referee, "version": _version(client.get(base).text)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.headers["location"].endswith("done=unsent")
    page = client.get(done.headers["location"])
    assert "data-unsent" in page.text and "has been sent their link" not in page.text
    assert 'id="referee-1-submit"' in page.text and _links(settings) == []
    ja = client.get(done.headers["location"] + "&lang=ja")
    assert "data-unsent" in ja.text and "could not be sent" not in ja.text
    monkeypatch.undo()
    again = client.post(
        f"{base}/referees",
        data={**referee, "version": _version(page.text)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert again.headers["location"].endswith("done=requested")
    assert len(_links(settings)) == 1


def test_a_coordinator_outside_the_office_sees_the_season_row_but_not_the_files(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    """The season's coordinators run the match, so they see the season application (stage,
    preferences); the documents, statement and references stay with the office's staff: the
    office's application page, its twin and every file answer 404 to them."""
    from altmatch.db.models import OnlineApplication

    app_id = _submitted(sessions, rw)
    with sessions() as session:
        candidate = session.get_one(OnlineApplication, app_id).candidate_id
    sign_in(client, "coordinator@example.org")
    row = client.get(f"/api/v1/seasons/{rw.season_id}/candidates/{candidate}/review")
    assert row.status_code == 200 and row.json()["application"]["name"] == "Emily Carter"
    assert STATEMENT[:40] not in row.text and "statement" not in row.json()["application"]
    page = client.get(f"/seasons/{rw.season_id}/candidates/{candidate}")
    assert page.status_code == 200 and STATEMENT[:40] not in page.text
    detail = f"/offices/{rw.london}/applications/{app_id}"
    assert client.get(detail).status_code == 404
    assert client.get(f"/api/v1{detail}").status_code == 404
    for kind in ("degree", "transcript", "reference-1", "reference-2"):
        assert client.get(f"/api/v1{detail}/files/{kind}").status_code == 404
