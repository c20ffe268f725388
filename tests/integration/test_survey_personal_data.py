"""The termly surveys and the ALT's rights (APPI), on SQLite and PostgreSQL: the export holds the
ALT's own answers about their school; deleting the account deletes every survey about them (their
answers, and the school's about them), while other ALTs' surveys stay."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from tests.integration.dispatch.survey_world import NOW, ON, SurveyWorld, build_world, links_in

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import SurveyInvitation
from altmatch.services.dispatch.survey_links import (
    SurveyAnswerIn,
    answer_survey,
    send_survey_mail,
)
from altmatch.services.dispatch.surveys import OpenRoundIn, open_round
from altmatch.services.personal_data import delete_my_account, export_my_data

COMMENT = "Amy Clark here: I have no desk at this school."


@pytest.fixture
def world(
    sessions: Sessions, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> SurveyWorld:
    built = build_world(sessions)
    mail = settings.model_copy(update={"mail_sink": tmp_path_factory.mktemp("mail")})
    open_round(sessions, built.staff, OpenRoundIn(on=ON, expect=4), now=NOW)
    send_survey_mail(sessions, mail, now=NOW, today=ON)
    links = links_in(mail.mail_folder)
    mine = SurveyAnswerIn(
        answers={"support": 1, "workload": 2, "team_teaching": 1}, comment=COMMENT
    )
    answer_survey(sessions, links["amy@example.org"], mine, now=NOW)
    school = {
        k: 3 for k in ("lesson_preparation", "punctuality", "communication", "classroom_presence")
    }
    answer_survey(sessions, links["sato@s1.example.jp"], SurveyAnswerIn(answers=school), now=NOW)
    return built


def test_the_export_holds_the_alts_own_survey_answers(
    sessions: Sessions, world: SurveyWorld
) -> None:
    data = export_my_data(sessions, world.alt_actor)
    (entry,) = data["roster_entries"]
    (survey,) = entry["your_surveys_of_your_schools"]
    assert survey["comment"] == COMMENT and survey["answers"]["workload"] == 2
    section = next(s for s in data["index"]["sections"] if s["name"] == "roster_entries")
    assert "survey_invitations" in section["sources"]


def test_deleting_the_account_deletes_the_surveys_about_the_alt(
    sessions: Sessions, world: SurveyWorld
) -> None:
    out = delete_my_account(sessions, world.alt_actor, confirm_email="amy@example.org")
    assert out.deleted["survey"] == 2  # A1's own survey and S1's survey of A1
    with sessions() as session:
        rows = session.scalars(select(SurveyInvitation)).all()
        assert {r.alt_id for r in rows} == {world.alts["A2"], world.alts["A3"]}
        assert all("Amy" not in r.comment and r.email != "amy@example.org" for r in rows)
    assert "Amy" not in json.dumps(out.model_dump())
