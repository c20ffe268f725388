"""Taking an online application back over HTTP: deleting the draft and withdrawing the
submitted application by the pages (in English and Japanese, each asking to confirm) and by
the JSON twin, and the refusals (no confirmation, a stale version, someone else's, a draft
withdrawn or a submitted one deleted, a published outcome)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.recruitment_world import RecruitWorld, answers, build_recruitment, complete_application

from altmatch.db import Sessions
from altmatch.db.models import SeasonRow
from altmatch.services.season.online_application import submit_application

pytestmark = pytest.mark.date_sensitive  # the test season's request deadline is a month on

EMILY, LIAM = "emily@example.org", "liam@example.org"


@pytest.fixture
def rw(sessions: Sessions) -> RecruitWorld:
    return build_recruitment(sessions)


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, html
    return found.group(1)


def test_a_draft_is_deleted_by_the_pages_after_confirming(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    complete_application(sessions, rw, rw.emily, answers(), references=False)
    sign_in(client, EMILY)
    base = f"/seasons/{rw.season_id}/apply"
    assert f'href="{base}/delete"' in client.get(base).text
    page = client.get(f"{base}/delete")
    assert page.status_code == 200 and 'id="what-happens"' in page.text
    assert "The links sent to 2 referees stop working." in page.text
    assert f'href="/api/v1/seasons/{rw.season_id}/online-application/withdrawal"' in page.text
    twin = client.get(f"/api/v1/seasons/{rw.season_id}/online-application/withdrawal").json()
    assert twin["outstanding_links"] == 2 and len(twin["application"]["documents"]) == 2
    ja = client.get(f"{base}/delete", params={"lang": "ja"})
    assert (
        "削除されるもの" in ja.text and "2人の推薦者に送ったリンクは使えなくなります。" in ja.text
    )

    unconfirmed = client.post(
        f"{base}/delete", data={"version": _version(page.text)}, headers=SAME_ORIGIN
    )
    assert unconfirmed.status_code == 422 and "削除を確認するため" in unconfirmed.text  # still ja
    assert client.get(f"/api/v1/seasons/{rw.season_id}/online-application").json()["application"]

    done = client.post(
        f"{base}/delete",
        data={"version": _version(page.text), "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"{base}?done=deleted"
    after = client.get(base, params={"done": "deleted", "lang": "en"})
    assert "You may start a new application below." in after.text and 'id="delete-link"' not in (
        after.text
    )
    fresh = client.get(f"/api/v1/seasons/{rw.season_id}/online-application").json()
    assert (fresh["season_id"], fresh["season_name"], fresh["application"]) == (
        rw.season_id,
        "2027 intake",
        None,
    )


def test_the_api_deletes_a_draft_at_the_version_read_and_refuses_others(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    version = complete_application(sessions, rw, rw.emily, answers(), references=False)
    url = f"/api/v1/seasons/{rw.season_id}/online-application"
    sign_in(client, LIAM)
    assert client.delete(url, params={"version": version}, headers=SAME_ORIGIN).status_code == 404
    assert client.get(f"{url}/withdrawal").status_code == 404
    withdraw = client.post(
        f"{url}/withdraw", json={"version": version}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert withdraw.status_code == 404
    sign_in(client, EMILY)
    stale = client.delete(url, params={"version": version - 1}, headers=SAME_ORIGIN)
    assert stale.status_code == 409
    draft = client.post(f"{url}/withdraw", json={"version": version}, headers=SAME_ORIGIN)
    assert draft.status_code == 409 and "delete it instead" in draft.text
    done = client.delete(url, params={"version": version}, headers=SAME_ORIGIN)
    assert done.status_code == 200 and done.json()["application"] is None
    assert client.delete(url, params={"version": version}, headers=SAME_ORIGIN).status_code == 404


def test_a_submitted_application_is_withdrawn_by_the_pages_in_japanese(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    version = complete_application(sessions, rw, rw.emily, answers())
    submit_application(sessions, rw.emily, rw.season_id, version=version)
    sign_in(client, EMILY)
    base = f"/seasons/{rw.season_id}/apply"
    status = client.get(base, params={"lang": "ja"})
    assert f'href="{base}/withdraw"' in status.text and "応募を辞退する" in status.text
    page = client.get(f"{base}/withdraw", params={"lang": "ja"})
    assert page.status_code == 200 and "辞退は取り消せません。" in page.text
    assert "推薦状は、個人データが消去されるまで" in page.text
    unconfirmed = client.post(
        f"{base}/withdraw",
        data={"version": _version(page.text), "reason": "Another post"},
        headers=SAME_ORIGIN,
    )
    assert unconfirmed.status_code == 422 and "Another post" in unconfirmed.text
    done = client.post(
        f"{base}/withdraw",
        data={"version": _version(page.text), "reason": "Another post", "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"{base}?done=withdrawn"
    after = client.get(f"{base}?done=withdrawn")
    assert 'data-stage="withdrawn"' in after.text and 'id="withdraw-link"' not in after.text
    again = client.get(f"{base}/withdraw")
    assert 'data-refusal="withdrawn"' in again.text and "withdraw-form" not in again.text


def test_the_api_refuses_a_stale_a_repeated_and_a_published_withdrawal(
    client: TestClient, rw: RecruitWorld, sessions: Sessions
) -> None:
    version = complete_application(sessions, rw, rw.emily, answers())
    submitted = submit_application(sessions, rw.emily, rw.season_id, version=version)
    url = f"/api/v1/seasons/{rw.season_id}/online-application"
    sign_in(client, EMILY)
    deleted = client.delete(url, params={"version": submitted.version}, headers=SAME_ORIGIN)
    assert deleted.status_code == 409 and "withdraw it instead" in deleted.text
    stale = client.post(
        f"{url}/withdraw", json={"version": submitted.version - 1}, headers=SAME_ORIGIN
    )
    assert stale.status_code == 409
    long = client.post(
        f"{url}/withdraw",
        json={"version": submitted.version, "reason": "x" * 2001},
        headers=SAME_ORIGIN,
    )
    assert long.status_code == 422
    with sessions.begin() as session:  # the outcome is published
        session.execute(
            update(SeasonRow).where(SeasonRow.id == rw.season_id).values(status="published")
        )
    preview = client.get(f"{url}/withdrawal").json()
    assert preview["refusal"] == "published"
    published = client.post(
        f"{url}/withdraw", json={"version": submitted.version}, headers=SAME_ORIGIN
    )
    assert published.status_code == 409 and "contact the programme" in published.text
    page = client.get(f"/seasons/{rw.season_id}/apply/withdraw")
    assert 'data-refusal="published"' in page.text and "london@example.org" in page.text
    with sessions.begin() as session:
        session.execute(update(SeasonRow).where(SeasonRow.id == rw.season_id).values(status="open"))
    done = client.post(
        f"{url}/withdraw",
        json={"version": submitted.version, "reason": "Staying home"},
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 200 and done.json()["application"]["stage"] == "withdrawn"
    again = client.post(
        f"{url}/withdraw",
        json={"version": done.json()["application"]["version"]},
        headers=SAME_ORIGIN,
    )
    assert again.status_code == 409 and "already withdrawn" in again.text
