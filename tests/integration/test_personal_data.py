"""A person's data on SQLite and PostgreSQL: the APPI export holds every section and nobody
else's data; deleting the account erases names and e-mail addresses everywhere staff can look,
keeps exactly the kept fields, is all or nothing, tells the employer; the retention purge
erases kept records once their period has passed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import time
import zipfile
from typing import Any

import pytest
from sqlalchemy import LargeBinary, select
from tests.personal_data_world import (
    ATTACHMENT,
    EMAIL,
    EMILY_MESSAGE,
    HANDLER_REPLY,
    INTERNAL_NOTE,
    PersonWorld,
    build_person_world,
)
from typer.testing import CliRunner

from altmatch.cli.root import app
from altmatch.config import Settings
from altmatch.db import Base, Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import personal_data as personal_repo
from altmatch.db.models import (
    AuditEntry,
    CaseAttachment,
    CaseMessage,
    EmailToken,
    EmploymentContract,
    Notification,
    PostingApplication,
    PostingStageChange,
    RetainedRecord,
    RosterAlt,
    RosterAssignment,
    SeasonCandidate,
    SupportCase,
    TransferRequest,
    User,
)
from altmatch.domain.access import AccessDeniedError, Role
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.accounts.consent import CONSENT_VERSION
from altmatch.services.accounts.my_account import sign_up_candidate
from altmatch.services.direct_hire.applications import boe_posting_detail
from altmatch.services.dispatch.roster import export_roster, list_roster
from altmatch.services.dispatch.transfers import list_company_transfers
from altmatch.services.personal_data import (
    delete_my_account,
    deletion_notice,
    export_my_data,
    purge_expired,
    write_export_archive,
)
from altmatch.services.season.exports import export_applications
from altmatch.services.season.results import export_placements, season_placements
from altmatch.services.support.case_reads import get_case, list_queue
from altmatch.services.support.sweep import SupportSweeper

pytestmark = pytest.mark.date_sensitive

# What must not be found anywhere once Emily's account is gone.
HER = ("emily", "carter")


@pytest.fixture
def world(sessions: Sessions) -> PersonWorld:
    return build_person_world(sessions)


def _sections(data: dict[str, Any]) -> dict[str, int]:
    return {s["name"]: s["records"] for s in data["index"]["sections"]}


def test_the_export_holds_every_section_of_a_person_with_data_everywhere(
    sessions: Sessions, world: PersonWorld
) -> None:
    data = export_my_data(sessions, world.emily)
    counts = _sections(data)
    assert counts.pop("saved_advice") == 0  # comparisons are not linked to accounts
    assert counts.pop("account_emails") == 0  # her address was vouched for: no link mailed
    # she was imported, not applying online (tests/integration/season/
    # test_online_application_personal_data.py exports an online application)
    assert counts.pop("online_applications") == 0
    assert all(n >= 1 for n in counts.values()), counts
    assert set(counts) == {
        "account",
        "sessions",
        "sign_in_attempts",
        "season_applications",
        "season_outcomes",
        "employment_contracts",
        "roster_entries",
        "roster_assignments",
        "transfer_requests",
        "direct_hire_applications",
        "support_cases",
        "notifications",
        "audit_log",
    }
    for section in data["index"]["sections"]:
        records = data[section["name"]]
        assert section["records"] == (len(records) if isinstance(records, list) else 1)
        assert section["description"]["en"] and section["description"]["ja"]
        assert section["sources"]
    application = data["season_applications"][0]
    assert application["candidate_id"] == "C01" and application["interview_score"] == 88
    assert application["answers"]["jlpt"] == "N3" and application["stage_history"]
    assert data["season_outcomes"][0]["run_id"] == world.run_id
    assert {c["path"] for c in data["employment_contracts"]} >= {"dispatch", "direct_hire"}
    assert data["roster_entries"][0]["staff_number"] == "A1"
    assert data["transfer_requests"][0]["reasons"] == "My partner moved."
    assert {a["stage"] for a in data["direct_hire_applications"]} == {"hired", "applied"}
    case = data["support_cases"][0]
    bodies = [m["body"] for m in case["messages"]]
    assert HANDLER_REPLY in bodies and EMILY_MESSAGE in bodies
    assert INTERNAL_NOTE not in json.dumps(data, ensure_ascii=False)  # handlers' notes left out
    [attached] = data["index"]["attachments"]
    assert attached["case_id"] == world.case_id
    assert attached["sha256"] == hashlib.sha256(ATTACHMENT).hexdigest()
    assert attached["size"] == len(ATTACHMENT) and attached["file"] in case["attachments"]
    assert len(data["index"]["left_out"]) == 3


def test_the_export_holds_nobody_elses_data(sessions: Sessions, world: PersonWorld) -> None:
    text = json.dumps(export_my_data(sessions, world.emily), ensure_ascii=False)
    for other in ("Liam", "liam@example.org", "C02", "ALT A2", "alex@example.org", "Alex"):
        assert other not in text, other
    assert "Emily Carter" in text


def test_the_archive_has_a_file_for_each_entry_of_its_index(
    sessions: Sessions, world: PersonWorld
) -> None:
    out = io.BytesIO()
    write_export_archive(sessions, world.emily, out)
    with zipfile.ZipFile(out) as archive:
        index = json.loads(archive.read("index.json"))
        names = set(archive.namelist())
        files = {s["file"] for s in index["sections"]} | {a["file"] for a in index["attachments"]}
        assert names == files | {"index.json"}
        for section in index["sections"]:
            raw = archive.read(section["file"])
            if section["format"] == "csv":
                rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
                assert len(rows) == section["records"], section["name"]
            else:
                records = json.loads(raw)
                count = len(records) if isinstance(records, list) else 1
                assert count == section["records"], section["name"]
        for attached in index["attachments"]:
            data = archive.read(attached["file"])
            assert hashlib.sha256(data).hexdigest() == attached["sha256"]
            assert data == ATTACHMENT


def _everything(sessions: Sessions) -> dict[str, list[str]]:
    """Every row of every table, as text (bytes columns by length only)."""
    found: dict[str, list[str]] = {}
    with sessions() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, LargeBinary)]
            rows = session.execute(select(*columns).order_by(*table.primary_key.columns))
            found[table.name] = [repr(tuple(row)) for row in rows]
    return found


def test_after_deletion_no_table_holds_her_name_or_email(
    sessions: Sessions, world: PersonWorld
) -> None:
    before = _everything(sessions)
    assert any("carter" in row.lower() for rows in before.values() for row in rows)
    delete_my_account(sessions, world.emily, confirm_email=EMAIL.upper())
    leftovers = {
        table: [row for row in rows if any(word in row.lower() for word in HER)]
        for table, rows in _everything(sessions).items()
    }
    assert {t: rows for t, rows in leftovers.items() if rows} == {}


def test_after_deletion_staff_see_no_name_or_email_in_pages_api_or_exports(
    sessions: Sessions, world: PersonWorld
) -> None:
    delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    coordinator, kobe = world.season.coordinator, world.season.kobe
    company = world.handler
    reads: list[object] = [
        export_applications(sessions, coordinator, world.season_id, "csv")[0],
        export_placements(sessions, coordinator, world.season_id, "csv")[0],
        season_placements(sessions, coordinator, world.season_id),
        season_placements(sessions, kobe, world.season_id),
        list_roster(sessions, company),
        export_roster(sessions, company, "csv"),
        list_company_transfers(sessions, company),
        boe_posting_detail(sessions, kobe, _posting_of(sessions, world.hired_application_id)),
        get_case(sessions, company, world.case_id),
        list_queue(sessions, company, include_resolved=True),
    ]
    for read in reads:
        text = read.decode("utf-8-sig") if isinstance(read, bytes) else repr(read)
        assert not any(word in text.lower() for word in HER), text[:500]


def _posting_of(sessions: Sessions, application_id: int) -> int:
    with sessions() as session:
        return session.get_one(PostingApplication, application_id).posting_id


def test_deletion_keeps_exactly_the_kept_fields(sessions: Sessions, world: PersonWorld) -> None:
    out = delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    assert world.dispatch.company_id in out.told  # (and Kobe, while her JET contract runs)
    with sessions() as session:
        assert session.get(User, world.emily.user_id) is None
        candidate = session.get_one(SeasonCandidate, world.candidate_id)  # a run used it
        assert candidate.name == f"Deleted applicant #{candidate.id}"
        assert (candidate.email, candidate.user_id, candidate.external_id) == (None, None, "C01")
        assert candidate.stage in {"withdrawn", "not_selected"}
        contracts = [
            *session.scalars(
                select(EmploymentContract).where(EmploymentContract.candidate_id == candidate.id)
            ),
            session.get_one(EmploymentContract, world.dispatch_contract_id),
        ]
        assert all(c.user_id is None for c in contracts)
        alt = session.get_one(RosterAlt, world.roster_id)
        assert (alt.name, alt.external_id, alt.user_id) == (f"Deleted ALT #{alt.id}", "A1", None)
        assert (alt.home_latitude, alt.home_longitude, alt.home_municipality) == (None, None, "")
        assert (alt.school_experience, alt.checklist, alt.preferred_prefectures) == ([], {}, [])
        assignments = session.scalars(
            select(RosterAssignment).where(RosterAssignment.alt_id == alt.id)
        ).all()
        assert assignments and all(a.end is not None for a in assignments)
        assert session.scalars(select(TransferRequest)).all() == []
        hired = session.get_one(PostingApplication, world.hired_application_id)
        assert (hired.user_id, hired.cover_note, hired.stage) == (None, "", "hired")
        assert hired.declared["jlpt"] == "N3"
        assert session.get(PostingApplication, world.open_application_id) is None
        notes = session.scalars(
            select(PostingStageChange.note).where(PostingStageChange.application_id == hired.id)
        ).all()
        assert "Welcome, [deleted]!" in notes
        case = session.get_one(SupportCase, world.case_id)
        assert (case.alt_user_id, case.subject, case.description) == (None, "", "")
        assert (case.category, case.status) == ("harassment", "resolved")
        messages = session.scalars(
            select(CaseMessage).where(CaseMessage.case_id == case.id).order_by(CaseMessage.id)
        ).all()
        assert [m.internal for m in messages] == [False, True]  # her own message is gone
        assert "[deleted]" in messages[0].body and "Carter" not in messages[1].body
        assert session.scalars(select(CaseAttachment)).all() == []
        retained = {
            (r.entity, r.entity_id): r.keep_until for r in session.scalars(select(RetainedRecord))
        }
        dispatch_contract = session.get_one(EmploymentContract, world.dispatch_contract_id)
        assert retained[
            ("employment_contract", dispatch_contract.id)
        ] == dispatch_contract.end.replace(year=dispatch_contract.end.year + 3)
        assert ("roster_alt", alt.id) in retained and ("support_case", case.id) in retained
        assert ("posting_application", hired.id) in retained
        assert (
            session.scalars(
                select(Notification).where(Notification.user_id == world.emily.user_id)
            ).all()
            == []
        )
        for entry in session.scalars(select(AuditEntry)):
            text = repr((entry.before, entry.after)).lower()
            assert "prefectures" not in text or entry.entity != "season_candidate"


def test_the_employer_is_told_by_contract_or_staff_number_only(
    sessions: Sessions, world: PersonWorld
) -> None:
    delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    with sessions() as session:
        told = session.scalars(
            select(Notification)
            .where(
                Notification.user_id == world.handler.user_id,
                Notification.kind == "account_deleted",
            )
            .order_by(Notification.id)
        ).all()
    assert [n.message["params"] for n in told] == [
        {"contract_id": world.dispatch_contract_id},
        {"staff_number": "A1"},
    ]


def test_deletion_is_all_or_nothing(
    sessions: Sessions, world: PersonWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _everything(sessions)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    # Fails after the season, contract and roster steps have run in the transaction.
    monkeypatch.setattr(personal_repo, "delete_messages_by", broken)
    with pytest.raises(RuntimeError):
        delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    assert _everything(sessions) == before


def test_staff_and_wrong_emails_cannot_delete(sessions: Sessions, world: PersonWorld) -> None:
    with pytest.raises(AccessDeniedError):
        delete_my_account(sessions, world.handler, confirm_email="desk@sakura.example.org")
    before = _everything(sessions)
    with pytest.raises(Exception, match="confirm"):
        delete_my_account(sessions, world.emily, confirm_email="someone@else.org")
    assert _everything(sessions) == before


def test_the_deletion_notice_counts_what_would_be_kept_and_who_is_told(
    sessions: Sessions, world: PersonWorld
) -> None:
    notice = deletion_notice(sessions, world.emily, locale="ja")
    yours = {k.kind.value: k.yours for k in notice.kept}
    assert yours["employment_record"] >= 3 and yours["support_case"] == 1
    assert yours["season_application"] == 1 and yours["audit_entry"] > 0
    assert world.dispatch.company_id in [t.organisation_id for t in notice.told]
    employment = next(k for k in notice.kept if k.kind.value == "employment_record")
    assert "労働基準法第109条" in employment.why and employment.years == 3


def test_the_purge_erases_kept_records_only_after_their_period(
    sessions: Sessions, world: PersonWorld
) -> None:
    delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    with sessions() as session:
        case_until = session.scalars(
            select(RetainedRecord.keep_until).where(RetainedRecord.entity == "support_case")
        ).one()
        contract_until = session.scalars(
            select(RetainedRecord.keep_until).where(
                RetainedRecord.entity == "employment_contract",
                RetainedRecord.entity_id == world.dispatch_contract_id,
            )
        ).one()
    on_its_last_day = purge_expired(sessions, today=case_until)
    assert "support_case" not in on_its_last_day.erased  # its last day: still kept
    first = purge_expired(sessions, today=case_until + dt.timedelta(days=1))
    assert first.erased.get("support_case") == 1
    with sessions() as session:
        assert session.get(SupportCase, world.case_id) is None
        assert session.scalars(select(CaseMessage)).all() == []
        assert session.get(EmploymentContract, world.dispatch_contract_id) is not None
    later = purge_expired(sessions, today=contract_until + dt.timedelta(days=1))
    assert later.erased.get("employment_contract", 0) >= 1
    assert later.erased.get("roster_alt") == 1
    with sessions() as session:
        assert session.get(EmploymentContract, world.dispatch_contract_id) is None
        assert session.get(RosterAlt, world.roster_id) is None
        assert (
            session.scalars(
                select(RosterAssignment).where(RosterAssignment.alt_id == world.roster_id)
            ).all()
            == []
        )
        assert session.scalars(select(RosterAlt)).all()  # the company's other ALTs stay
        # The season application stays with the published run it was matched in.
        assert session.get(SeasonCandidate, world.candidate_id) is not None
    far = dt.date(2100, 1, 1)
    assert purge_expired(sessions, today=far).erased.keys() <= {
        "posting_application",
        "employment_contract",
    }
    with sessions() as session:
        assert session.scalars(select(RetainedRecord)).all() == []


def test_a_candidate_whose_application_no_run_used_loses_it_entirely(
    sessions: Sessions,
) -> None:
    from tests.season_world import build_world, filled_season

    season_world = build_world(sessions)
    filled_season(sessions, season_world)
    liam = season_world.liam
    delete_my_account(sessions, liam, confirm_email="liam@example.org")
    with sessions() as session:
        names = session.scalars(select(SeasonCandidate.external_id)).all()
        assert "C02" not in names and "C01" in names
        assert session.scalars(select(User).where(User.role == Role.CANDIDATE.value)).all()


def test_the_purge_command_erases_as_of_the_day_it_is_given(
    sessions: Sessions, world: PersonWorld, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(settings.data_dir))
    today = CliRunner().invoke(app, ["privacy", "purge"])
    assert today.exit_code == 0 and "Erased 0 kept record(s)" in today.output
    later = CliRunner().invoke(app, ["privacy", "purge", "--on", "2100-01-01", "--json"])
    assert later.exit_code == 0, later.output
    assert json.loads(later.output)["erased"]["support_case"] == 1
    wrong = CliRunner().invoke(app, ["privacy", "purge", "--on", "someday"])
    assert wrong.exit_code == 2


def test_the_serve_sweeper_runs_the_purge_on_its_timer(
    sessions: Sessions, world: PersonWorld, settings: Settings
) -> None:
    delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    purged: list[int] = []

    def purge() -> None:
        purged.append(purge_expired(sessions, today=dt.date(2100, 1, 1)).total)

    sweeper = SupportSweeper(sessions, settings, minutes=0.001, also=[("privacy purge", purge)])
    sweeper.start()
    try:
        deadline = time.monotonic() + 10
        while not purged and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
    assert purged and purged[0] >= 4  # contracts, roster entry, hire's application, case
    with sessions() as session:
        assert session.scalars(select(RetainedRecord)).all() == []


def test_her_account_emails_are_exported_then_deleted(
    sessions: Sessions, world: PersonWorld
) -> None:
    """Confirmation links and invitations name her address: the export lists them (without
    the links, which are secrets), and deleting the account deletes them."""
    with sessions.begin() as session:
        candidate = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.user_id == world.emily.user_id)
        ).one()
        at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        accounts_repo.add_email_token(
            session,
            purpose="invite",
            email=EMAIL,
            locale=None,
            created_at=at,
            season_candidate_id=candidate.id,
        )
        accounts_repo.add_email_token(
            session, purpose="taken", email=EMAIL, locale="en", created_at=at, user_id=None
        )
    mails = export_my_data(sessions, world.emily)["account_emails"]
    assert sorted(m["purpose"] for m in mails) == ["invite", "taken"]
    assert all(m["to"] == EMAIL for m in mails)

    delete_my_account(sessions, world.emily, confirm_email=EMAIL)

    with sessions() as session:
        assert session.scalars(select(EmailToken)).all() == []


def test_an_unconfirmed_account_cannot_erase_invitations_to_its_address(
    sessions: Sessions,
) -> None:
    """Whoever signed up first with someone's address never proved it: deleting that account
    leaves the invitations the address's real holder is sent for their applications."""
    sign_up_candidate(
        sessions,
        email="victim@example.org",
        display_name="Not the victim",
        password="correct horse battery",
        locale="en",
        consent_version=CONSENT_VERSION,
        ip="203.0.113.9",
    )
    with sessions.begin() as session:
        squatter = session.scalars(select(User).where(User.email == "victim@example.org")).one()
        assert squatter.email_verified_at is None
        accounts_repo.add_email_token(
            session,
            purpose="invite",
            email="victim@example.org",
            locale=None,
            created_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        )
        actor = actor_for(session, squatter)
    assert [m["purpose"] for m in export_my_data(sessions, actor)["account_emails"]] == ["verify"]

    delete_my_account(sessions, actor, confirm_email="victim@example.org")

    with sessions() as session:
        left = session.scalars(select(EmailToken)).all()
    assert [(t.purpose, t.email) for t in left] == [("invite", "victim@example.org")]
