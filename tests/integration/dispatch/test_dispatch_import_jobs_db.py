"""Roster and positions imports as jobs of a company, on SQLite and PostgreSQL: the file waits in
`job_files` until a runner takes the job; a file with a bad row imports nothing and its report
names the row and column; a good one is stored whole. A company's jobs are its staff's alone (and
never a season's); a job whose starter left the company stores nothing; the table holds each
job to exactly one scope, the one its kind belongs to."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from tests.season_world import build_world, filled_season

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db.models import Job, JobFile, RosterAlt, User
from altmatch.db.models.jobs import COMPANY_JOB_KINDS, JOB_KINDS, SEASON_JOB_KINDS
from altmatch.domain.access import OPERATOR, Actor, NotFoundError, OrgKind, Role
from altmatch.io.limits import DEFAULT_LIMITS
from altmatch.services import jobs
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.dispatch.import_jobs import import_job_status, start_import_job
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.job_runner import NO_LONGER_ALLOWED
from altmatch.services.season.jobs import job_status as season_job_status

pytestmark = pytest.mark.date_sensitive

HEADER = (
    "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,"
    "school_experience,driving_licence,jlpt,contract_end,renewal_intention,preferred_prefectures"
)
GOOD = "A{i:03d},ALT {i},Hyogo,Kobe,34.69,135.19,elementary,yes,N3,2027-03-31,renewing,Hyogo"
BAD = "A{i:03d},ALT {i},Hyogo,Kobe,34.69,135.19,elementary,perhaps,N3,2027-03-31,renewing,Hyogo"
ROWS = 40
BAD_AT = 17  # the 17th data row: file row 18, the header being row 1


def _roster(bad_at: int | None = None) -> bytes:
    lines = [HEADER]
    lines += [(BAD if i == bad_at else GOOD).format(i=i) for i in range(1, ROWS + 1)]
    return ("\n".join(lines) + "\n").encode()


def _staff(sessions: Sessions, email: str, company: int) -> Actor:
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name="Staff",
        role=Role.COMPANY_STAFF,
        password="correct horse battery",
        organisation_id=company,
    )
    with sessions() as session:
        row = session.get(User, user.id)
        assert row is not None
        return actor_for(session, row)


def _company(sessions: Sessions, name: str) -> int:
    return create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en=name, name_ja=name
    ).id


def _count(sessions: Sessions, model: type[Any]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Started jobs stay queued, as with a queue and no worker yet; the test runs them."""
    monkeypatch.setattr(job_queue, "hand_on", lambda sessions, job_id: None)


def _start(sessions: Sessions, actor: Actor, content: bytes) -> int:
    job = start_import_job(
        sessions, actor, "roster", content=content, filename="roster.csv", limits=DEFAULT_LIMITS
    )
    assert job.status == "queued"
    return job.id


def test_a_roster_import_job_with_a_bad_row_imports_nothing_and_names_its_row_and_column(
    sessions: Sessions, queued: None
) -> None:
    staff = _staff(sessions, "staff@example.org", _company(sessions, "Sakura"))
    bad = _start(sessions, staff, _roster(bad_at=BAD_AT))
    assert _count(sessions, JobFile) == 1  # the file waits in the database for a runner

    assert jobs.run_job(sessions, bad, lease_seconds=60)

    failed = import_job_status(sessions, staff, bad)
    assert failed.status == "failed"
    assert failed.error == "The file has errors; nothing was imported."
    assert failed.result is not None and not failed.result.committed
    assert failed.result.rows == ROWS
    assert [(e.row, e.column) for e in failed.result.errors] == [(BAD_AT + 1, "driving_licence")]
    assert _count(sessions, RosterAlt) == 0 and _count(sessions, JobFile) == 0

    good = _start(sessions, staff, _roster())
    assert jobs.run_job(sessions, good, lease_seconds=60)

    done = import_job_status(sessions, staff, good)
    assert done.status == "done" and done.result is not None and done.result.committed
    assert _count(sessions, RosterAlt) == ROWS and _count(sessions, JobFile) == 0


def test_a_companys_job_is_not_found_by_another_company_nor_through_a_season(
    sessions: Sessions, queued: None
) -> None:
    ours = _staff(sessions, "staff@example.org", _company(sessions, "Sakura"))
    theirs = _staff(sessions, "fuji@example.org", _company(sessions, "Fuji"))
    world = build_world(sessions)
    season = filled_season(sessions, world)
    job = _start(sessions, ours, _roster())

    with pytest.raises(NotFoundError):
        import_job_status(sessions, theirs, job)
    with pytest.raises(NotFoundError):  # a season's managers never see a company's job
        season_job_status(sessions, world.coordinator, season, job)
    assert import_job_status(sessions, ours, job).status == "queued"


def test_a_job_whose_starter_left_the_company_fails_and_stores_nothing(
    sessions: Sessions, queued: None
) -> None:
    sakura, fuji = _company(sessions, "Sakura"), _company(sessions, "Fuji")
    staff = _staff(sessions, "staff@example.org", sakura)
    job = _start(sessions, staff, _roster())
    with sessions.begin() as session:
        user = session.get(User, staff.user_id)
        assert user is not None
        user.organisation_id = fuji  # moved before the job ran

    assert jobs.run_job(sessions, job, lease_seconds=60)

    with sessions() as session:
        row = session.get(Job, job)
        assert row is not None and row.status == "failed" and row.error == NO_LONGER_ALLOWED
    assert _count(sessions, RosterAlt) == 0 and _count(sessions, JobFile) == 0


@pytest.mark.parametrize(
    ("kind", "scope"),
    [
        ("dispatch_import", "season"),
        ("dispatch_import", "both"),
        ("import", "company"),
        ("match", "none"),
    ],
)
def test_a_job_belongs_to_exactly_one_scope_the_one_of_its_kind(
    sessions: Sessions, kind: str, scope: str
) -> None:
    company = _company(sessions, "Sakura")
    season = filled_season(sessions, build_world(sessions))
    season_id = season if scope in ("season", "both") else None
    company_id = company if scope in ("company", "both") else None

    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(
            Job(
                kind=kind,
                season_id=season_id,
                organisation_id=company_id,
                status="queued",
                stage="",
                created_at=utc_now(),
            )
        )


def test_every_kind_of_job_the_table_allows_has_a_runner() -> None:
    assert set(jobs.JOB_KINDS) == set(JOB_KINDS) == {*SEASON_JOB_KINDS, *COMPANY_JOB_KINDS}
