"""`altmatch postings list` and `altmatch postings applications` on a real (SQLite) database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.clock import today_in_japan
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.rulebook.vocabulary import Jlpt, Residence, SchoolLevel, StatusOfResidence
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.direct_hire.applications import ApplyIn, apply_to_posting
from altmatch.services.direct_hire.postings import PostingFields, create_posting

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()


@pytest.fixture
def posting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> int:
    """One open posting by Kobe's BoE with one application from Emily."""
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    boe = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Kobe City BoE",
        name_ja="神戸市教育委員会",
        prefecture="Hyogo",
    ).id

    def user(role: Role, email: str, name: str, org: int | None) -> Actor:
        out = create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=name,
            role=role,
            password=None,
            organisation_id=org,
        )
        return Actor(user_id=out.id, role=role, organisation_id=org)

    staff = user(Role.BOE_STAFF, "kobe@example.org", "Kenji Sato", boe)
    emily = user(Role.CANDIDATE, "emily@example.org", "Emily Carter", None)
    today = today_in_japan()
    fields = PostingFields(
        title_en="Elementary ALT, Kobe",
        title_ja="神戸市 小学校ALT",
        school_levels=[SchoolLevel.ELEMENTARY],
        min_jlpt=Jlpt.N3,
        monthly_pay=270_000,
        start=today + dt.timedelta(days=100),
        closes_on=today + dt.timedelta(days=20),
    )
    posting_id = create_posting(sessions, staff, fields).id
    declared = ApplyIn(
        alt_years=2,
        jlpt=Jlpt.N2,
        residence=Residence.JAPAN,
        status_of_residence=StatusOfResidence.SPOUSE,
    )
    apply_to_posting(sessions, emily, posting_id, declared)
    engine.dispose()
    return posting_id


def test_postings_list_prints_the_open_board(posting: int) -> None:
    result = runner.invoke(app, ["postings", "list", "--prefecture", "Hyogo"])
    assert result.exit_code == 0, result.output
    assert "Elementary ALT, Kobe" in result.output and "270,000" in result.output
    as_json = runner.invoke(app, ["postings", "list", "--json", "--lang", "ja"])
    body = json.loads(as_json.output)
    assert [p["id"] for p in body["postings"]] == [posting]
    assert body["postings"][0]["title"] == "神戸市 小学校ALT"
    none = runner.invoke(app, ["postings", "list", "--prefecture", "Miyagi"])
    assert "No open postings match." in none.output


def test_postings_applications_shows_declared_facts_as_the_operator(posting: int) -> None:
    result = runner.invoke(app, ["postings", "applications", str(posting)])
    assert result.exit_code == 0, result.output
    assert "Emily Carter" in result.output and "jlpt=N2" in result.output
    assert "eligible" in result.output and "Applied" in result.output
    body = json.loads(
        runner.invoke(app, ["postings", "applications", str(posting), "--json"]).output
    )
    assert body["applications"][0]["stage"] == "applied"
    missing = runner.invoke(app, ["postings", "applications", "999"])
    assert missing.exit_code == 1
