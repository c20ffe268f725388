"""ALTMATCH_RULEBOOK_YEAR chooses the edition every command and page works with; an edition
that is not installed is refused by name."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app as cli
from altmatch.config import Settings
from altmatch.rulebook import RulebookError, load_rulebook, loader, use_edition
from altmatch.web.app import create_app

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "profile.yaml"


@pytest.fixture
def two_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped 2026 edition and an older 2025 one beside it (the same figures)."""
    shipped = Path(str(loader._editions_dir())) / "2026.yaml"
    shutil.copy(shipped, tmp_path / "2026.yaml")
    text = shipped.read_text(encoding="utf-8").replace("\nyear: 2026\n", "\nyear: 2025\n", 1)
    (tmp_path / "2025.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(loader, "_editions_dir", lambda: tmp_path)
    loader._load.cache_clear()
    yield
    use_edition(None)
    loader._load.cache_clear()


def test_the_chosen_edition_is_the_one_every_caller_gets(two_editions: None) -> None:
    assert load_rulebook().year == 2026  # the newest, when none is chosen
    use_edition(2025)
    assert load_rulebook().year == 2025
    assert load_rulebook(2026).year == 2026  # a caller naming a year still gets that year


def test_an_edition_that_is_not_installed_is_refused_and_nothing_changes(
    two_editions: None,
) -> None:
    use_edition(2025)
    with pytest.raises(RulebookError, match="no 1999 rulebook edition; installed: 2025, 2026"):
        use_edition(1999)
    assert load_rulebook().year == 2025


def test_the_cli_uses_the_configured_edition_and_names_a_missing_one(
    two_editions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("ALTMATCH_RULEBOOK_YEAR", "2025")
    done = runner.invoke(cli, ["advise", str(EXAMPLE), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["rulebook"]["year"] == 2025
    monkeypatch.setenv("ALTMATCH_RULEBOOK_YEAR", "1999")
    refused = runner.invoke(cli, ["advise", str(EXAMPLE)])
    assert refused.exit_code == 2
    assert "ALTMATCH_RULEBOOK_YEAR: there is no 1999 rulebook edition" in refused.stderr


def test_the_web_app_uses_the_configured_edition(
    two_editions: None, tmp_path: Path, schema_template: SchemaTemplate
) -> None:
    settings = Settings(data_dir=tmp_path / "data", rulebook_year=2025)
    schema_template.install(settings)
    profile = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
    with TestClient(create_app(settings)) as client:
        answer = client.post("/api/v1/advice", json=profile)
    assert answer.status_code == 200, answer.text
    assert answer.json()["rulebook"]["year"] == 2025
