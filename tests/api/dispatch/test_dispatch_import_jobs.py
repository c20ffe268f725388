"""Roster and positions imports as background jobs of the company: 202 and a job to poll, done
(every row) or failed (none, each row and column named); the pages start the same job and show
its progress page, which ends on the report, in English and Japanese. A company's jobs are its
staff's alone: another company's staff get 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.api.helpers import PASSWORD, SAME_ORIGIN, MakeAccount, sign_in

from altmatch.db import Sessions
from altmatch.db.models import ContractPosition, Job, JobFile, RosterAlt
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.rulebook.vocabulary import Area, ContractType, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_schools
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.dispatch.contracts import ContractFields, PositionFields, create_contract
from altmatch.web.uploads import import_limits

pytestmark = pytest.mark.date_sensitive

API = "/api/v1/dispatch"
HEADER = (
    "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,"
    "school_experience,driving_licence,jlpt,contract_end,renewal_intention,preferred_prefectures"
)
ROSTER = (
    f"{HEADER}\n"
    "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary,yes,N3,2027-03-31,renewing,Hyogo\n"
    "A02,Liam Walsh,Osaka,Sakai,34.57,135.48,junior_high,no,none,2027-07-31,undecided,\n"
    "A03,Grace Obi,Hyogo,Himeji,34.82,134.69,elementary,yes,N2,2027-03-31,renewing,\n"
).encode()
# Row 3 (the header is row 1) has an unknown school level and a JLPT level that does not exist.
BAD_ROSTER = (
    f"{HEADER}\n"
    "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary,yes,N3,2027-03-31,renewing,Hyogo\n"
    "A02,Liam Walsh,Osaka,Sakai,34.57,135.48,college,no,N9,2027-07-31,undecided,\n"
).encode()
OTHER_STAFF = "fuji@example.org"


def _school(external_id: str) -> SchoolFields:
    return SchoolFields(
        external_id=external_id,
        name_en=f"Kobe School {external_id}",
        name_ja=f"神戸市立第{external_id}学校",
        level=SchoolLevel.ELEMENTARY,
        area=Area.URBAN,
        municipality="Kobe",
        latitude=34.7,
        longitude=135.2,
    )


def _contract(boe: int, reference: str) -> ContractFields:
    return ContractFields(
        boe_id=boe,
        reference=reference,
        contract_type=ContractType.OUTSOURCING,
        start=dt.date(2027, 4, 1),
        end=dt.date(2028, 3, 31),
        renewal_date=dt.date(2027, 12, 1),
        price_per_alt_month=352_000,
        positions=[PositionFields(position_id=f"{reference}-1", school_id="k1", days_per_week=4)],
    )


@pytest.fixture
def contracts(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> dict[str, int]:
    """Our company's contract with the Kobe BoE, and another company's (with its own staff)."""
    company, kobe = tenants[OrgKind.COMPANY], tenants[OrgKind.BOE]
    other = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Fuji Teachers", name_ja="富士講師"
    ).id
    create_user(
        sessions,
        actor=OPERATOR,
        email=OTHER_STAFF,
        display_name="Ken Sato",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=other,
    )
    add_schools(sessions, OPERATOR, kobe, [_school("k1"), _school("k2")])
    ours = create_contract(sessions, OPERATOR, _contract(kobe, "KOBE-27"), company_id=company)
    theirs = create_contract(sessions, OPERATOR, _contract(kobe, "FUJI-27"), company_id=other)
    return {"ours": ours.id, "theirs": theirs.id}


@pytest.fixture
def staff(client: TestClient, make_account: MakeAccount) -> TestClient:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    return client


def _count(sessions: Sessions, model: type[Any], **where: Any) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    with sessions() as session:
        return int(session.scalar(query) or 0)


def _post_roster_job(client: TestClient, content: bytes, name: str = "roster.csv") -> Any:
    return client.post(
        f"{API}/roster/import/jobs", files={"file": (name, content)}, headers=SAME_ORIGIN
    )


def test_a_roster_import_job_answers_202_and_ends_done_with_its_report(
    staff: TestClient, sessions: Sessions, tenants: Mapping[OrgKind, int], inline_jobs: None
) -> None:
    started = _post_roster_job(staff, ROSTER)

    assert started.status_code == 202, started.text
    job = started.json()
    assert job["kind"] == "dispatch_import" and job["target"] == "roster"
    assert job["company_id"] == tenants[OrgKind.COMPANY] and job["contract_id"] is None
    status = staff.get(f"{API}/jobs/{job['id']}").json()
    assert status["status"] == "done" and status["stage"] == "done" and status["percent"] == 100
    assert status["error"] is None
    report = status["result"]
    assert report["committed"] is True and report["rows"] == 3 and report["errors"] == []
    assert staff.get(f"{API}/roster").json()["total"] == 3
    assert _count(sessions, JobFile) == 0
    with sessions() as session:
        row = session.get(Job, job["id"])
        assert row is not None and row.season_id is None
        assert row.organisation_id == tenants[OrgKind.COMPANY]


def test_a_roster_file_with_errors_fails_the_job_stores_nothing_and_names_each_row_and_column(
    staff: TestClient, sessions: Sessions, inline_jobs: None
) -> None:
    preview = staff.post(
        f"{API}/roster/import?commit=false",
        files={"file": ("roster.csv", BAD_ROSTER)},
        headers=SAME_ORIGIN,
    ).json()

    job = _post_roster_job(staff, BAD_ROSTER).json()
    status = staff.get(f"{API}/jobs/{job['id']}").json()

    assert status["status"] == "failed" and status["stage"] == "failed"
    assert status["error"] == "The file has errors; nothing was imported."
    report = status["result"]
    assert report["committed"] is False and report["rows"] == 2
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (3, "jlpt"),
        (3, "school_experience"),
    ]
    assert report == preview  # the very report the synchronous check gives
    assert _count(sessions, RosterAlt) == 0 and _count(sessions, JobFile) == 0


def test_a_positions_import_job_adds_every_position_or_none(
    staff: TestClient, sessions: Sessions, contracts: dict[str, int], inline_jobs: None
) -> None:
    url = f"{API}/contracts/{contracts['ours']}/positions/import/jobs"
    bad = b"position_id,school_id,days_per_week\nP2,k2,3\nP3,h9,0\n"
    good = b"position_id,school_id,days_per_week\nP2,k2,3\nP3,k1,2\n"

    failed = staff.post(url, files={"file": ("p.csv", bad)}, headers=SAME_ORIGIN).json()
    done = staff.post(url, files={"file": ("p.csv", good)}, headers=SAME_ORIGIN).json()

    assert failed["target"] == "positions" and failed["contract_id"] == contracts["ours"]
    failed = staff.get(f"{API}/jobs/{failed['id']}").json()
    assert failed["status"] == "failed"
    assert [(e["row"], e["column"]) for e in failed["result"]["errors"]] == [
        (3, "days_per_week"),
        (3, "school_id"),
    ]
    done = staff.get(f"{API}/jobs/{done['id']}").json()
    assert done["status"] == "done" and done["result"]["rows"] == 2
    assert _count(sessions, ContractPosition, contract_id=contracts["ours"]) == 3


def test_another_companys_staff_get_404_for_a_companys_import_job(
    staff: TestClient, sessions: Sessions, contracts: dict[str, int], inline_jobs: None
) -> None:
    job = _post_roster_job(staff, ROSTER).json()
    sign_in(staff, OTHER_STAFF)

    assert staff.get(f"{API}/jobs/{job['id']}").status_code == 404
    assert staff.get(f"/dispatch/jobs/{job['id']}").status_code == 404
    # Nor may they start a job on our contract: it does not exist for them; nothing recorded.
    theirs = staff.post(
        f"{API}/contracts/{contracts['ours']}/positions/import/jobs",
        files={"file": ("p.csv", b"position_id,school_id,days_per_week\nP9,k1,1\n")},
        headers=SAME_ORIGIN,
    )
    assert theirs.status_code == 404
    assert _count(sessions, Job) == 1 and _count(sessions, JobFile) == 0


def test_only_company_staff_reach_the_import_jobs(
    client: TestClient, make_account: MakeAccount, contracts: dict[str, int]
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))  # reads the contracts their BoE signed

    assert _post_roster_job(client, ROSTER).status_code == 403
    assert client.get(f"{API}/jobs/1").status_code == 403


def test_a_queued_import_keeps_its_file_until_it_runs(
    staff: TestClient, sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a job queue the request only records the job: the bytes wait in job_files."""
    from altmatch.services.kernel import job_queue

    monkeypatch.setattr(job_queue, "hand_on", lambda sessions, job_id: None)

    job = _post_roster_job(staff, ROSTER, "staff.csv").json()

    assert job["status"] == "queued" and job["result"] is None
    assert staff.get(f"{API}/jobs/{job['id']}").json()["stage_label"] == "Waiting to start"
    with sessions() as session:
        stored = session.scalars(select(JobFile)).one()
        assert (stored.job_id, stored.filename, stored.content) == (job["id"], "staff.csv", ROSTER)
    assert _count(sessions, RosterAlt) == 0


def test_a_file_over_the_size_limit_is_refused_at_once_as_the_synchronous_import_refuses_it(
    staff: TestClient, sessions: Sessions
) -> None:
    def small(request: Request) -> Any:
        return import_limits(request).with_(max_bytes=len(ROSTER) - 1)

    staff.app.dependency_overrides[import_limits] = small  # type: ignore[attr-defined]
    try:
        refused = _post_roster_job(staff, ROSTER)
        synchronous = staff.post(
            f"{API}/roster/import", files={"file": ("roster.csv", ROSTER)}, headers=SAME_ORIGIN
        )
    finally:
        staff.app.dependency_overrides.clear()  # type: ignore[attr-defined]

    assert refused.status_code == synchronous.status_code == 422
    assert refused.json() == synchronous.json()
    assert refused.json()["errors"][0]["message"].startswith("the file is")
    assert _count(sessions, Job) == 0 and _count(sessions, JobFile) == 0


# --- pages ----------------------------------------------------------------------------------


def test_the_roster_page_imports_through_a_job_and_its_progress_page_shows_the_report(
    staff: TestClient, inline_jobs: None
) -> None:
    page = staff.post(
        "/dispatch/roster/import",
        files={"file": ("roster.csv", ROSTER, "text/csv")},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
    )

    assert page.status_code == 200 and page.url.path.startswith("/dispatch/jobs/")
    assert 'data-status="done"' in page.text and "Imported 3 rows." in page.text
    assert 'href="/dispatch/roster" id="job-back"' in page.text
    assert "hx-trigger" not in page.text and "http-equiv" not in page.text  # finished


def test_the_progress_page_of_a_failed_roster_import_lists_each_bad_cell_in_japanese(
    staff: TestClient, inline_jobs: None
) -> None:
    staff.cookies.set("lang", "ja")  # as the language switch leaves it
    started = staff.post(
        "/dispatch/roster/import",
        files={"file": ("roster.csv", BAD_ROSTER, "text/csv")},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert started.status_code == 303
    page = staff.get(started.headers["location"])

    assert page.status_code == 200 and 'lang="ja"' in page.text
    assert 'data-status="failed"' in page.text and 'id="import-errors"' in page.text
    assert "何も取り込まれていません" in page.text and "名簿に戻る" in page.text
    assert "<td>3</td><td>jlpt</td>" in page.text
    assert "<td>3</td><td>school_experience</td>" in page.text


def test_an_htmx_form_is_sent_on_to_the_progress_page_and_an_unfinished_page_refreshes_itself(
    staff: TestClient, contracts: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from altmatch.services.kernel import job_queue

    monkeypatch.setattr(job_queue, "hand_on", lambda sessions, job_id: None)  # stays queued
    good = b"position_id,school_id,days_per_week\nP2,k2,3\n"

    started = staff.post(
        f"/dispatch/contracts/{contracts['ours']}/positions",
        files={"file": ("p.csv", good, "text/csv")},
        data={"action": "commit"},
        headers={**SAME_ORIGIN, "HX-Request": "true"},
    )
    progress = started.headers["HX-Redirect"]
    page = staff.get(progress)
    poll = staff.get(progress, headers={"HX-Request": "true"})

    assert started.status_code == 200 and progress.startswith("/dispatch/jobs/")
    assert 'data-status="queued"' in page.text and 'id="check-again"' in page.text
    # htmx polls every second; without JavaScript the page reloads itself.
    assert 'hx-trigger="every 1s"' in page.text
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text
    assert f'href="/dispatch/contracts/{contracts["ours"]}"' in page.text
    assert poll.text.lstrip().startswith('<div id="job-progress"') and "<html" not in poll.text
