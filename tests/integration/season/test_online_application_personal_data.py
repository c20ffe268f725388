"""An applicant's online application in their personal-data export, and gone with their
account: answers, statement, documents, referees' letters and screening decisions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select
from tests.recruitment_world import (
    PDF,
    RecruitWorld,
    answers,
    build_recruitment,
    complete_application,
)

from altmatch.db import Sessions
from altmatch.db.models import (
    ApplicationDocument,
    ApplicationReference,
    OnlineApplication,
    ScreeningDecision,
)
from altmatch.rulebook.recruitment import Decision
from altmatch.services.personal_data.erasure import delete_my_account
from altmatch.services.personal_data.export import export_my_data, write_export_archive
from altmatch.services.season.online_application import (
    submit_application,
)
from altmatch.services.season.screening import ScreeningIn, decide_screening


@pytest.fixture
def rw(sessions: Sessions) -> RecruitWorld:
    world = build_recruitment(sessions)
    version = complete_application(sessions, world, world.emily, answers())
    out = submit_application(sessions, world.emily, world.season_id, version=version)
    body = ScreeningIn(decision=Decision.SCREEN_IN, reason_code="eligible", note="Clear case")
    decide_screening(
        sessions, world.london_screener, world.london, out.id, body, version=out.version
    )
    return world


def test_the_export_holds_the_application_and_its_files(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    document = export_my_data(sessions, rw.emily)
    (record,) = document["online_applications"]
    assert record["answers"]["citizenship"] == "GB"
    assert record["statement"].startswith("I want to teach in Japan")
    assert [r["referee_email"] for r in record["references"]] == [
        "ref1@example.net",
        "ref2@example.net",
    ]
    assert record["screening_decisions"][0]["note"] == "Clear case"
    out = io.BytesIO()
    write_export_archive(sessions, rw.emily, out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        files = [d["file"] for d in record["documents"]] + [r["file"] for r in record["references"]]
        assert len(files) == 4 and all(f in names for f in files)
        assert all(archive.read(f) == PDF for f in files)
        index = json.loads(archive.read("index.json"))
        assert "online_applications" in {s["name"] for s in index["sections"]}


def test_the_application_is_erased_with_the_account(sessions: Sessions, rw: RecruitWorld) -> None:
    out = delete_my_account(sessions, rw.emily, confirm_email="emily@example.org")
    assert out.deleted["online_application"] == 1
    with sessions() as session:
        for model in (
            OnlineApplication,
            ApplicationDocument,
            ApplicationReference,
            ScreeningDecision,
        ):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model
