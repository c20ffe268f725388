"""`altmatch dispatch contracts|import-positions|tenders|roster|import-roster|export-roster`:
the operator runs a company's contracts and roster; a bad file exits 2 naming every cell."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, OrgKind
from altmatch.rulebook.vocabulary import Area, ContractType, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_schools
from altmatch.services.accounts.users import create_organisation
from altmatch.services.dispatch.contracts import ContractFields, create_contract

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()
ROSTER = (
    "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,"
    "school_experience,driving_licence,jlpt,contract_end,renewal_intention,preferred_prefectures\n"
    "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary,yes,N3,2027-03-31,renewing,Hyogo\n"
    "A02,Liam Walsh,Osaka,Sakai,34.57,135.48,junior_high,no,none,2027-07-31,undecided,\n"
)


@pytest.fixture
def ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[dict[str, int]]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    company = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura ALT", name_ja="さくらALT"
    ).id
    boe = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe City BoE", name_ja="神戸市"
    ).id
    school = SchoolFields(
        external_id="k1",
        name_en="Kobe Minami Elementary",
        name_ja="神戸南小学校",
        level=SchoolLevel.ELEMENTARY,
        area=Area.URBAN,
        municipality="Kobe",
    )
    add_schools(sessions, OPERATOR, boe, [school])
    fields = ContractFields(
        boe_id=boe,
        reference="KOBE-27",
        contract_type=ContractType.WORKER_DISPATCH,
        start=dt.date(2027, 4, 1),
        end=dt.date(2028, 3, 31),
        price_per_alt_month=350_000,
    )
    contract = create_contract(sessions, OPERATOR, fields, company_id=company).id
    engine.dispose()
    yield {"company": company, "boe": boe, "contract": contract}


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_the_operator_imports_a_roster_and_lists_it(ids: dict[str, int], tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    company = str(ids["company"])
    assert "imported 2 ALTs" in run("dispatch", "import-roster", "--company", company, str(roster))
    lines = run("dispatch", "roster", "--company", company).splitlines()
    assert "Emily Carter" in lines[0] and "renewing" in lines[0] and "onboarding 0/7" in lines[0]
    assert lines[-1] == "2 of 2 ALTs"
    only = json.loads(run("dispatch", "roster", "--company", company, "--renewal", "undecided",
                          "--json"))  # fmt: skip
    assert [a["alt_id"] for a in only["alts"]] == ["A02"]
    out = tmp_path / "out.csv"
    run("dispatch", "export-roster", "--company", company, str(out))
    assert "A01,Emily Carter" in out.read_text(encoding="utf-8-sig")


def test_a_bad_roster_file_exits_2_naming_every_cell_and_stores_nothing(
    ids: dict[str, int], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER.replace("N3", "N9").replace("2027-07-31", "soon"), encoding="utf-8")
    result = runner.invoke(
        app, ["dispatch", "import-roster", "--company", str(ids["company"]), str(roster)]
    )
    assert result.exit_code == 2
    assert f"{roster}:2:jlpt: choose one of" in result.output
    assert f"{roster}:3:contract_end: expected a date YYYY-MM-DD" in result.output
    assert "0 of 0 ALTs" in run("dispatch", "roster", "--company", str(ids["company"]))


def test_positions_are_imported_into_a_contract_and_shown(
    ids: dict[str, int], tmp_path: Path
) -> None:
    positions = tmp_path / "positions.csv"
    positions.write_text("position_id,school_id,days_per_week\nP1,k1,5\nP2,zz,3\n")
    result = runner.invoke(
        app, ["dispatch", "import-positions", "--contract", str(ids["contract"]), str(positions)]
    )
    assert result.exit_code == 2
    assert f"{positions}:3:school_id: unknown school 'zz'" in result.output
    positions.write_text("position_id,school_id,days_per_week\nP1,k1,5\n")
    run("dispatch", "import-positions", "--contract", str(ids["contract"]), str(positions))
    listed = run("dispatch", "contracts", "--company", str(ids["company"]))
    assert "KOBE-27" in listed and "0/1 ALTs" in listed and "¥350,000/month" in listed
    shown = run("dispatch", "contract", str(ids["contract"]))
    assert "P1\tKobe Minami Elementary\t5 days/week\tvacant" in shown


def test_tenders_and_unknown_companies(ids: dict[str, int]) -> None:
    assert "win rate -" in run("dispatch", "tenders", "--company", str(ids["company"]))
    refused = runner.invoke(app, ["dispatch", "contracts", "--company", str(ids["boe"])])
    assert refused.exit_code == 2
    assert "no such company" in refused.output
