"""The termly surveys on SQLite and PostgreSQL: opening a round (preview, confirm, once), the
e-mails and one reminder, answering by link (once, in time, only that invitation), what the
company sees and who may not see it, pair_satisfaction, and the optimiser using it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from tests.integration.dispatch.survey_world import (
    NOW,
    ON,
    SurveyWorld,
    add_spare,
    build_world,
    links_in,
)
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import (
    AuditEntry,
    RosterAssignment,
    SurveyInvitation,
    SurveyRound,
)
from altmatch.domain.access import AccessDeniedError, NotFoundError
from altmatch.domain.satisfaction import SurveyKind
from altmatch.services.dispatch import survey_links
from altmatch.services.dispatch.assignment import (
    CommitRequest,
    PlanRequest,
    commit_assignment,
    plan_assignment,
)
from altmatch.services.dispatch.contract_health import company_contract_health
from altmatch.services.dispatch.retention import company_retention
from altmatch.services.dispatch.survey_links import (
    SurveyAnswerIn,
    SurveyLinkError,
    answer_survey,
    read_survey,
    send_survey_mail,
)
from altmatch.services.dispatch.surveys import (
    ContactIn,
    OpenRoundIn,
    company_surveys,
    open_round,
    pair_satisfaction,
    preview_round,
    set_school_contact,
)
from altmatch.services.home import StepStatus, home
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.mail import folder_messages

SCHOOL_ITEMS = ("lesson_preparation", "punctuality", "communication", "classroom_presence")
ALT_ITEMS = ("support", "workload", "team_teaching")


@pytest.fixture
def world(sessions: Sessions) -> SurveyWorld:
    return build_world(sessions)


@pytest.fixture
def mail_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return settings.model_copy(update={"mail_sink": tmp_path_factory.mktemp("mail")})


def _open(sessions: Sessions, world: SurveyWorld, expect: int = 4) -> int:
    return open_round(sessions, world.staff, OpenRoundIn(on=ON, expect=expect), now=NOW).id


def _school(score: int, comment: str = "") -> SurveyAnswerIn:
    return SurveyAnswerIn(answers=dict.fromkeys(SCHOOL_ITEMS, score), comment=comment)


def _alt(score: int, comment: str = "") -> SurveyAnswerIn:
    return SurveyAnswerIn(answers=dict.fromkeys(ALT_ITEMS, score), comment=comment)


def test_the_preview_lists_whom_the_round_would_invite_and_writes_nothing(
    sessions: Sessions, world: SurveyWorld
) -> None:
    """P1 and P2 have contacts, P3 none; A1 and A3 have accounts, A2 none: 2 school surveys,
    2 ALT surveys, 2 pairs without an address."""
    preview = preview_round(sessions, world.staff, on=ON)
    assert (preview.term_key, preview.opens_on, preview.closes_on, preview.remind_on) == (
        "2031-2",
        dt.date(2031, 12, 10),
        dt.date(2032, 1, 14),
        dt.date(2032, 1, 9),
    )
    assert (preview.school_invitations, preview.alt_invitations, preview.without_address) == (
        2,
        2,
        2,
    )
    sent_to = {(i.kind, i.alt, i.recipient) for i in preview.invitations}
    assert (SurveyKind.SCHOOL, "A1", "sato@s1.example.jp") in sent_to
    assert (SurveyKind.ALT, "A1", "amy@example.org") in sent_to
    assert (SurveyKind.SCHOOL, "A3", None) in sent_to and (SurveyKind.ALT, "A2", None) in sent_to
    with sessions() as session:
        assert session.scalars(select(SurveyRound)).all() == []


def test_opening_a_round_queues_its_invitations_once_and_audits_it(
    sessions: Sessions, world: SurveyWorld
) -> None:
    with pytest.raises(RuleError) as changed:
        _open(sessions, world, expect=5)
    assert changed.value.field == "expect"
    with sessions() as session:
        assert session.scalars(select(SurveyRound)).all() == []
    out = open_round(sessions, world.staff, OpenRoundIn(on=ON, expect=4), now=NOW)
    assert (out.invited, out.answered, out.response_rate) == (4, 0, 0.0)
    with pytest.raises(StaleError):
        _open(sessions, world)
    with sessions() as session:
        rows = session.scalars(select(SurveyInvitation)).all()
        assert len(rows) == 4 and all(r.token_hash is None and r.sent_at is None for r in rows)
        assert {r.locale for r in rows if r.kind == "school"} == {"ja"}
        audits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "survey_round.opened")
        ).all()
        assert len(audits) == 1


def test_emails_go_out_from_the_opening_day_and_one_reminder_before_the_deadline(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    _open(sessions, world)
    early = send_survey_mail(
        sessions, mail_settings, now=NOW - dt.timedelta(days=5), today=dt.date(2031, 12, 7)
    )
    assert (early.sent, early.reminders) == (0, 0)  # the round opens on 10 December
    first = send_survey_mail(sessions, mail_settings, now=NOW, today=ON)
    assert (first.sent, first.reminders, first.failed) == (4, 0, [])
    assert send_survey_mail(sessions, mail_settings, now=NOW, today=ON).sent == 0
    links = links_in(mail_settings.mail_folder)
    assert set(links) == {
        "sato@s1.example.jp",
        "ito@s2.example.jp",
        "amy@example.org",
        "cara@example.org",
    }
    school_mail = next(
        m for m in folder_messages(mail_settings.mail_folder) if m.to == "sato@s1.example.jp"
    )
    body = school_mail.body  # Japanese first, then English; the link in each language
    assert body.index("さくらより神戸第1中学校") < body.index("----") < body.index("Sakura asks")
    assert "Amy Clark" in body and "lang=ja" in body and "lang=en" in body
    assert "2032年1月14日" in school_mail.subject and "14 Jan 2032" in school_mail.subject
    alt_mail = next(
        m for m in folder_messages(mail_settings.mail_folder) if m.to == "amy@example.org"
    )
    assert "confidential" in alt_mail.body and "さくら" not in alt_mail.body  # in English only
    answer_survey(sessions, links["ito@s2.example.jp"], _school(5), now=NOW)

    remind_day = dt.date(2032, 1, 9)
    later = NOW + dt.timedelta(days=28)
    reminded = send_survey_mail(sessions, mail_settings, now=later, today=remind_day)
    assert (reminded.sent, reminded.reminders) == (0, 3)  # the answered one is left alone
    assert send_survey_mail(sessions, mail_settings, now=later, today=remind_day).reminders == 0
    new_links = links_in(mail_settings.mail_folder)
    reminder = [
        m for m in folder_messages(mail_settings.mail_folder) if m.to == "sato@s1.example.jp"
    ][-1]
    assert reminder.subject.startswith("【再送】") and "replaces the one" in reminder.body
    old, new = links["sato@s1.example.jp"], new_links["sato@s1.example.jp"]
    assert old != new
    assert not read_survey(sessions, old, now=later).valid  # replaced by the reminder's link
    assert read_survey(sessions, new, now=later).valid


def test_a_link_opens_only_its_own_form_in_japanese_first(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    _open(sessions, world)
    send_survey_mail(sessions, mail_settings, now=NOW, today=ON)
    links = links_in(mail_settings.mail_folder)
    school = read_survey(sessions, links["sato@s1.example.jp"], now=NOW)
    assert school.valid and school.kind is SurveyKind.SCHOOL and not school.confidential
    assert school.about == "Amy Clark" and school.company == "さくら"
    assert [q.id for q in school.questions] == list(SCHOOL_ITEMS)
    assert school.questions[0].question.startswith("授業準備")
    assert [s.value for s in school.scale] == [1, 2, 3, 4, 5]
    alt = read_survey(sessions, links["amy@example.org"], locale="en", now=NOW)
    assert alt.kind is SurveyKind.ALT and alt.confidential and alt.about == "Kobe No. 1 JHS"
    for bad in ("", "x" * 200, "not-a-token"):
        assert read_survey(sessions, bad, now=NOW).model_dump(exclude_defaults=True) == {
            "valid": False
        }


def test_answering_works_once_in_time_and_a_refusal_changes_nothing(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    _open(sessions, world)
    send_survey_mail(sessions, mail_settings, now=NOW, today=ON)
    links = links_in(mail_settings.mail_folder)
    token = links["sato@s1.example.jp"]
    partial = SurveyAnswerIn(answers={"lesson_preparation": 4}, comment="")
    with pytest.raises(RuleError) as missing:
        answer_survey(sessions, token, partial, now=NOW)
    assert missing.value.field == "punctuality"
    off_scale = SurveyAnswerIn(answers=dict.fromkeys(SCHOOL_ITEMS, 6))
    with pytest.raises(RuleError):
        answer_survey(sessions, token, off_scale, now=NOW)
    with pytest.raises(RuleError):  # an ALT-survey item on the school's form
        answer_survey(
            sessions, token, SurveyAnswerIn(answers={**_school(4).answers, "support": 3}), now=NOW
        )
    with pytest.raises(RuleError):  # the ALT's link takes the ALT's questions only
        answer_survey(sessions, links["amy@example.org"], _school(4), now=NOW)
    with sessions() as session:
        assert all(r.answered_at is None for r in session.scalars(select(SurveyInvitation)))

    answer_survey(sessions, token, _school(4, "とても熱心です。"), now=NOW)
    with pytest.raises(SurveyLinkError):
        answer_survey(sessions, token, _school(1, "changed"), now=NOW + dt.timedelta(minutes=1))
    assert not read_survey(sessions, token, now=NOW).valid
    with sessions() as session:
        row = session.scalars(
            select(SurveyInvitation).where(SurveyInvitation.email == "sato@s1.example.jp")
        ).one()
        assert row.answers == dict.fromkeys(SCHOOL_ITEMS, 4) and row.comment == "とても熱心です。"

    closed = dt.datetime(2032, 1, 14, 15, 0, tzinfo=dt.UTC)  # 15 Jan 00:00 in Japan
    assert read_survey(sessions, links["ito@s2.example.jp"], now=closed - dt.timedelta(seconds=1))
    with pytest.raises(SurveyLinkError):
        answer_survey(sessions, links["ito@s2.example.jp"], _school(3), now=closed)


def _answered_round(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> dict[str, str]:
    _open(sessions, world)
    send_survey_mail(sessions, mail_settings, now=NOW, today=ON)
    links = links_in(mail_settings.mail_folder)
    answer_survey(sessions, links["sato@s1.example.jp"], _school(2, "準備不足"), now=NOW)
    answer_survey(sessions, links["amy@example.org"], _alt(1, "No desk, no plans."), now=NOW)
    answer_survey(sessions, links["ito@s2.example.jp"], _school(5), now=NOW)
    return links


def test_company_staff_see_rates_scores_and_the_alts_confidential_comments(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    _answered_round(sessions, world, mail_settings)
    found = company_surveys(sessions, world.staff, today=ON)
    (round_,) = found.rounds
    assert (round_.invited, round_.answered, round_.school_rate, round_.alt_rate) == (
        4,
        3,
        1.0,
        0.5,
    )
    first = found.pairs[0]  # poorest fit first: A1 at S1, (0.25 + 0.0) / 2 = 0.125
    assert (first.alt, first.fit) == ("A1", 0.125)
    assert first.alt_answer is not None and first.alt_answer.comment == "No desk, no plans."
    assert first.school_answer is not None and first.school_answer.mean == 2.0
    assert found.next_round.exists


def test_nobody_but_the_companys_staff_sees_the_results(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    """The BoE and the ALT have no way in; another company's staff see only their own (no
    round) and are refused this company's round as if it did not exist."""
    _answered_round(sessions, world, mail_settings)
    round_id = company_surveys(sessions, world.staff, today=ON).rounds[0].id
    for outsider in (world.boe_staff, world.alt_actor):
        with pytest.raises(AccessDeniedError):
            company_surveys(sessions, outsider, today=ON)
        with pytest.raises(AccessDeniedError):
            preview_round(sessions, outsider, on=ON)
    assert company_surveys(sessions, world.other_staff, today=ON).pairs == []
    with pytest.raises(NotFoundError):
        company_surveys(sessions, world.other_staff, round_id=round_id, today=ON)
    with pytest.raises(NotFoundError):
        set_school_contact(
            sessions,
            world.other_staff,
            ContactIn(position_id=world.positions["P1"], contact_email="x@example.org"),
        )


def test_pair_satisfaction_reads_the_latest_answered_round_of_each_side(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    """A1 × S1: school 2.0 (all 2s), ALT 1.0: fit (0.25 + 0) / 2 = 0.125; A2 × S2: school 5.0
    alone, fit 1.0. A3 answered nothing: absent. A round not open by `on`, and answers given
    after `on`, are not read."""
    _answered_round(sessions, world, mail_settings)
    with sessions() as session:
        pairs = pair_satisfaction(session, world.company_id, on=ON)
        before = pair_satisfaction(session, world.company_id, on=dt.date(2031, 12, 9))
        unanswered_yet = pair_satisfaction(session, world.company_id, on=dt.date(2031, 12, 11))
    a1 = pairs[(world.alts["A1"], world.schools["S1"])]
    assert (a1.school_score, a1.alt_score, a1.responses, a1.round_key) == (2.0, 1.0, 2, "2031-2")
    assert a1.fit == pytest.approx(0.125)
    a2 = pairs[(world.alts["A2"], world.schools["S2"])]
    assert (a2.school_score, a2.alt_score, a2.responses, a2.fit) == (5.0, None, 1, 1.0)
    assert (world.alts["A3"], world.schools["S3"]) not in pairs
    assert before == {} and unanswered_yet == {}  # the answers came on 12 December


def test_the_optimiser_moves_the_poor_pair_only_when_asked_to_weigh_the_surveys(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    """Add S4, a vacant position at S1's very place, and A4, a spare ALT living where A1 does:
    A1 and A4 cost the same at P1 and P4, so only continuity (30 minutes) keeps A1 at P1.
    Weighing the surveys, A1's poor pair costs 45 minutes more to keep: A1 moves to P4 and A4
    takes P1, while A2's good pair (fit 1.0) stays with its bonus."""
    _answered_round(sessions, world, mail_settings)
    add_spare(sessions, world)
    plain = plan_assignment(sessions, world.staff, PlanRequest(on=ON))
    assert plain.proposed.moves and {m.alt for m in plain.proposed.moves} == {"A4"}
    weighed = plan_assignment(sessions, world.staff, PlanRequest(on=ON, use_satisfaction=True))
    moves = {m.alt: m for m in weighed.proposed.moves}
    assert set(moves) == {"A1", "A4"}
    assert moves["A1"].from_position == "P1" and moves["A1"].to_position == "P4"
    assert moves["A1"].poor_fit and not moves["A4"].poor_fit
    assert weighed.proposed.satisfaction_used and not plain.proposed.satisfaction_used
    kept = next(s for s in weighed.proposed.slots if s.position == "P2")
    assert kept.alt == "A2" and kept.breakdown is not None
    assert kept.breakdown.satisfaction_bonus == 20
    with sessions() as session:
        assert session.scalars(select(RosterAssignment)).all()  # nothing was committed


def test_the_cli_weighs_the_surveys_with_satisfaction(
    sessions: Sessions,
    world: SurveyWorld,
    mail_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`altmatch dispatch assign --satisfaction` (same world as above): A1 leaves the poor pair."""
    if not mail_settings.is_sqlite:
        pytest.skip("the CLI opens the database the environment names: SQLite here")
    _answered_round(sessions, world, mail_settings)
    add_spare(sessions, world)
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(mail_settings.data_dir))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", mail_settings.database_url)
    args = ["dispatch", "assign", "--company", str(world.company_id), "--on", str(ON)]
    plain = CliRunner().invoke(app, args)
    weighed = CliRunner().invoke(app, [*args, "--satisfaction"])
    assert plain.exit_code == weighed.exit_code == 0, weighed.output
    assert "move A1" not in plain.output
    assert "move A1: P1 -> P4 (the surveys showed a poor match)" in weighed.output


class _Refusing:
    def send(self, message: object, label: str) -> None:
        raise OSError("connection refused")


def test_a_failed_reminder_leaves_the_first_link_working_and_is_tried_again(
    sessions: Sessions,
    world: SurveyWorld,
    mail_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _open(sessions, world)
    send_survey_mail(sessions, mail_settings, now=NOW, today=ON)
    first = links_in(mail_settings.mail_folder)["sato@s1.example.jp"]
    later, remind_day = NOW + dt.timedelta(days=28), dt.date(2032, 1, 9)

    @contextlib.contextmanager
    def refusing(settings: Settings) -> Iterator[_Refusing]:
        yield _Refusing()

    with monkeypatch.context() as patch:
        patch.setattr(survey_links.mail, "connect", refusing)
        failed = send_survey_mail(sessions, mail_settings, now=later, today=remind_day)
    assert (failed.reminders, len(failed.failed)) == (0, 4)
    assert read_survey(sessions, first, now=later).valid
    again = send_survey_mail(sessions, mail_settings, now=later, today=remind_day)
    assert again.reminders == 4
    assert not read_survey(sessions, first, now=later).valid


def test_company_staff_are_sent_to_the_round_from_their_home_page(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    """On 12 December the 2nd term's window (from 10 December) has begun: open the round; once
    open, the step waits for the answers until the round closes on 14 January."""
    before = {s.key: s for s in home(sessions, world.staff, today=ON, now=NOW).steps}
    assert before["surveys"].status is StepStatus.TO_DO
    assert before["surveys"].href == "/dispatch/surveys"
    early = {
        s.key: s for s in home(sessions, world.staff, today=dt.date(2031, 11, 1), now=NOW).steps
    }
    assert early["surveys"].status is StepStatus.DONE  # the 2nd term's round opens 10 Dec
    _answered_round(sessions, world, mail_settings)
    after = {s.key: s for s in home(sessions, world.staff, today=ON, now=NOW).steps}
    assert after["surveys"].status is StepStatus.WAITING
    assert after["surveys"].detail == "This term's round: answered 3 of 4."


def test_a_weighed_plan_goes_stale_when_a_new_answer_arrives_and_commits_when_fresh(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    """The plan's fingerprint covers the surveys it weighed: A3 answering after the plan was
    shown makes committing it a 409; a fresh plan commits A1's move."""
    links = _answered_round(sessions, world, mail_settings)
    add_spare(sessions, world)
    request = PlanRequest(on=ON, use_satisfaction=True)
    shown = plan_assignment(sessions, world.staff, request).proposed
    plain = plan_assignment(sessions, world.staff, PlanRequest(on=ON)).proposed
    assert shown.fingerprint != plain.fingerprint
    answer_survey(sessions, links["cara@example.org"], _alt(1), now=NOW)
    stale = CommitRequest(**request.model_dump(), fingerprint=shown.fingerprint)
    with pytest.raises(StaleError):
        commit_assignment(sessions, world.staff, stale)
    fresh = plan_assignment(sessions, world.staff, request).proposed
    done = commit_assignment(
        sessions, world.staff, CommitRequest(**request.model_dump(), fingerprint=fresh.fingerprint)
    )
    assert {s.position: s.alt for s in done.slots}["P4"] == "A1"
    with sessions() as session:
        open_rows = session.scalars(
            select(RosterAssignment).where(RosterAssignment.end.is_(None))
        ).all()
        assert {r.alt_id: r.position_id for r in open_rows}[world.alts["A1"]] != world.positions[
            "P1"
        ]


def test_the_answers_reach_retention_risk_and_contract_health(
    sessions: Sessions, world: SurveyWorld, mail_settings: Settings
) -> None:
    """Through the database, not a stand-in: A1 scored their school 1.0 and S1 scored A1 2.0,
    both below 3, so A1's risk gains both reasons (3 + 2 points); A2's school gave 5.0. The
    contract's school satisfaction is the mean of its surveyed ALTs' school scores:
    (2.0 + 5.0) / 2 = 3.5 (A3's school did not answer)."""
    _answered_round(sessions, world, mail_settings)
    retention = company_retention(sessions, world.staff, today=ON)
    by_alt = {a.external_id: a for a in retention.alts}
    a1 = by_alt["A1"]
    assert (a1.own_satisfaction, a1.school_satisfaction) == (1.0, 2.0)
    reasons = {r.reason.value: r.points for r in a1.reasons}
    assert reasons["low_own_satisfaction"] == 3 and reasons["low_school_satisfaction"] == 2
    assert by_alt["A2"].school_satisfaction == 5.0
    assert all(
        r.reason.value not in {"low_own_satisfaction", "low_school_satisfaction"}
        for r in by_alt["A2"].reasons
    )
    health = company_contract_health(sessions, world.staff, today=ON)
    assert [(c.reference, c.school_satisfaction) for c in health.contracts] == [("K-1", 3.5)]
