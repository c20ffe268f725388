"""`altmatch export` / `altmatch import`: the demo installation round-trips SQLite → PostgreSQL
→ SQLite with equal counts and checksums, a run's stored alternates arrive byte for byte, and a
damaged backup or a full target is refused with nothing written."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from tests.season_world import PUBLISH_ANYWAY
from typer.testing import CliRunner

from altmatch.cli.root import app
from altmatch.config import Settings
from altmatch.db import backup as storage
from altmatch.db import current_revision, head_revision, make_engine, session_factory
from altmatch.db.models import Organisation, RunAlternateList
from altmatch.demo import DEMO_PASSWORD, generate_demo, persona
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR, Actor, OrgKind
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_organisation
from altmatch.services.backup import Manifest, export_installation
from altmatch.services.season.publish import publish_run
from altmatch.services.season.results import season_placements
from altmatch.services.season.runs import review_run, run_season_match
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

runner = CliRunner()
UseDatabase = Callable[[str], Settings]


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    """The demo seeded into SQLite (once for the module) and exported."""
    folder = tmp_path_factory.mktemp("demo")
    settings = Settings(data_dir=folder / "data", database_url="")
    prepare_installation(settings)
    engine = make_engine(settings)
    try:
        seed_demo_database(session_factory(engine), generate_demo(candidates=60))
    finally:
        engine.dispose()
    path = folder / "demo.zip"
    return path, export_installation(settings, path)


@pytest.fixture
def use_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UseDatabase]:
    """Point the CLI at a database URL ("" is a fresh SQLite in its own folder)."""
    made = 0

    def use(url: str) -> Settings:
        nonlocal made
        made += 1
        monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / f"data{made}"))
        monkeypatch.setenv("ALTMATCH_DATABASE_URL", url)
        return Settings()

    yield use


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


def _tables(path: Path) -> list[tuple[str, int, str]]:
    return [(t["name"], t["rows"], t["sha256"]) for t in _manifest(path)["tables"]]


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Copy a backup, passing every member's bytes through `change(name, data)`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new.writestr(name, change(name, old.read(name)))


def _organisations(settings: Settings) -> int:
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Organisation)) or 0
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_demo_round_trips_sqlite_postgresql_sqlite_with_equal_counts_and_checksums(
    demo_backup: tuple[Path, Manifest],
    postgres_url: str,
    use_database: UseDatabase,
    tmp_path: Path,
) -> None:
    original, manifest = demo_backup
    use_database(postgres_url)
    loaded = runner.invoke(app, ["import", str(original)])
    again = tmp_path / "from-postgres.zip"
    exported = runner.invoke(app, ["export", str(again)])
    use_database("")
    back = runner.invoke(app, ["import", str(again)])
    last = tmp_path / "from-sqlite.zip"
    runner.invoke(app, ["export", str(last)])

    assert loaded.exit_code == 0, loaded.output
    assert loaded.output.count("checksum ok") == len(manifest.tables)
    assert exported.exit_code == 0 and back.exit_code == 0, exported.output + back.output
    assert _manifest(again)["database"] == "postgresql"
    assert _tables(original) == _tables(again) == _tables(last)
    assert sum(t.rows for t in manifest.tables) > 4_000
    assert {t.name for t in manifest.tables if t.rows} >= {"organisations", "users", "schools"}


@pytest.mark.postgres
def test_the_app_serves_the_imported_postgresql_database_and_new_rows_get_fresh_ids(
    demo_backup: tuple[Path, Manifest], postgres_url: str, use_database: UseDatabase
) -> None:
    settings = use_database(postgres_url)
    assert runner.invoke(app, ["import", str(demo_backup[0])]).exit_code == 0

    with TestClient(create_app(settings)) as client:
        kenji = persona("kobe_boe_staff").login
        signed_in = client.post(
            "/api/v1/session",
            json={"email": kenji, "password": DEMO_PASSWORD},
            headers={"Origin": "http://testserver"},
        )
        page = client.get("/boe/postings")
        sessions = client.app.state.sessions  # type: ignore[attr-defined]
        made = create_organisation(
            sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="New KK", name_ja="新株式会社"
        )

    assert signed_in.status_code == 200, signed_in.text
    assert page.status_code == 200 and "Kenji" in page.text
    assert made.id == _organisations(settings)  # ids 1..n were loaded; n+1 is fresh


def _alternates(settings: Settings, actor: Actor, season_id: int, run_id: int) -> tuple[Any, ...]:
    """A run's stored alternates as bytes, and what the placements view and the review show."""
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        with sessions() as session:
            query = select(RunAlternateList.request_id, RunAlternateList.candidate_ids)
            stored = session.execute(query.where(RunAlternateList.run_id == run_id)).all()
        view = season_placements(sessions, actor, season_id, alternates=100_000)
        review = review_run(sessions, actor, season_id, run_id)
        firsts = [
            (p.candidate_id, p.alternate_request_id, p.alternate_position)
            for p in review.placements
        ]
        return sorted((r, bytes(ids)) for r, ids in stored), view.alternates, firsts
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_runs_stored_alternates_arrive_byte_for_byte_and_read_the_same(
    tmp_path: Path, postgres_url: str, use_database: UseDatabase
) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url="")
    prepare_installation(settings)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        season_id = seed_demo_database(sessions, generate_demo(candidates=60)).season_id
        coordinator = act_as(sessions, OPERATOR, persona("programme_coordinator").login)
        run_id = run_season_match(sessions, coordinator, season_id, seed=8).run.id
        publish_run(sessions, coordinator, season_id, run_id, overrides=PUBLISH_ANYWAY)
    finally:
        engine.dispose()
    before = _alternates(settings, coordinator, season_id, run_id)
    path = tmp_path / "with-a-run.zip"
    export_installation(settings, path)

    target = use_database(postgres_url)
    loaded = runner.invoke(app, ["import", str(path)])

    assert loaded.exit_code == 0, loaded.output
    assert _alternates(target, coordinator, season_id, run_id) == before
    assert before[0] and before[1] and any(position for _, _, position in before[2])


@pytest.mark.postgres
def test_sql_null_and_a_stored_json_null_stay_apart_through_a_backup(
    demo_backup: tuple[Path, Manifest], postgres_url: str, use_database: UseDatabase
) -> None:
    settings = use_database(postgres_url)
    assert runner.invoke(app, ["import", str(demo_backup[0])]).exit_code == 0
    in_file = {
        (table, column): [
            json.loads(line)[column]
            for line in zipfile.ZipFile(demo_backup[0]).read(f"tables/{table}.jsonl").splitlines()
        ]
        for table, column in (("transfer_requests", "proposal"), ("audit_log", "before"))
    }
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            sql_nulls = {
                key: connection.scalar(
                    text(f"SELECT count(*) FROM {key[0]} WHERE {key[1]} IS NULL")
                )
                for key in in_file
            }
            json_nulls = connection.scalar(
                text("SELECT count(*) FROM audit_log WHERE before::text = 'null'")
            )
    finally:
        engine.dispose()

    proposals, befores = in_file["transfer_requests", "proposal"], in_file["audit_log", "before"]
    assert proposals.count(None) > 0 and befores.count([None]) > 0  # the demo has both kinds
    assert sql_nulls["transfer_requests", "proposal"] == proposals.count(None)
    assert sql_nulls["audit_log", "before"] == befores.count(None)
    assert json_nulls == befores.count([None])


def test_a_row_changed_in_the_file_is_refused_and_nothing_is_written(
    demo_backup: tuple[Path, Manifest], use_database: UseDatabase, tmp_path: Path
) -> None:
    tampered = tmp_path / "tampered.zip"

    def change(name: str, data: bytes) -> bytes:
        if name == "tables/organisations.jsonl":
            return data.replace(b"Kobe", b"Kobe!", 1)
        return data

    _rewrite(demo_backup[0], tampered, change)
    settings = use_database("")
    refused = runner.invoke(app, ["import", str(tampered)])

    assert refused.exit_code == 1
    assert "organisations: the checksum in the file differs" in refused.output
    assert "nothing was written" in refused.output
    assert current_revision(settings) is None  # even the migration was rolled back


def test_a_value_the_database_stores_differently_is_caught_by_reading_the_target_back(
    demo_backup: tuple[Path, Manifest],
    use_database: UseDatabase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = storage.decode

    def shifted(kind: storage.Kind, value: Any) -> Any:
        """Schools' coordinates land a degree off, though the file itself is intact."""
        decoded = original(kind, value)
        return decoded + 1 if kind == "float" and decoded is not None else decoded

    monkeypatch.setattr(storage, "decode", shifted)
    settings = use_database("")
    refused = runner.invoke(app, ["import", str(demo_backup[0])])

    assert refused.exit_code == 1
    assert "schools: the checksum in the database after loading differs" in refused.output
    assert current_revision(settings) is None


def test_a_database_holding_data_is_refused_without_replace_and_replaced_with_it(
    demo_backup: tuple[Path, Manifest], use_database: UseDatabase
) -> None:
    settings = use_database("")
    prepare_installation(settings)
    engine = make_engine(settings)
    try:
        create_organisation(
            session_factory(engine),
            actor=OPERATOR,
            kind=OrgKind.COMPANY,
            name_en="Already here KK",
            name_ja="既存株式会社",
        )
    finally:
        engine.dispose()

    refused = runner.invoke(app, ["import", str(demo_backup[0])])
    kept = _organisations(settings)
    replaced = runner.invoke(app, ["import", "--replace", str(demo_backup[0])])

    assert refused.exit_code == 1 and "--replace" in refused.output and kept == 1
    assert replaced.exit_code == 0, replaced.output
    assert _organisations(settings) == next(
        t.rows for t in demo_backup[1].tables if t.name == "organisations"
    )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncated", "not a readable altmatch backup"),
        ("newer", "does not know"),
        ("short", "the manifest says"),
    ],
)
def test_a_damaged_or_newer_backup_is_refused_with_a_clear_error(
    demo_backup: tuple[Path, Manifest],
    use_database: UseDatabase,
    tmp_path: Path,
    damage: str,
    message: str,
) -> None:
    broken = tmp_path / "broken.zip"
    data = demo_backup[0].read_bytes()
    if damage == "truncated":
        broken.write_bytes(data[: len(data) // 2])
    else:

        def change(name: str, member: bytes) -> bytes:
            if damage == "newer" and name == "manifest.json":
                return member.replace(f'"{head_revision()}"'.encode(), b'"z9_from_the_future"')
            if damage == "short" and name == "tables/schools.jsonl":
                return member[: member.rindex(b"\n", 0, -1) + 1]  # the last row lost
            return member

        _rewrite(demo_backup[0], broken, change)
    settings = use_database("")
    refused = runner.invoke(app, ["import", str(broken)])

    assert refused.exit_code == 1 and message in refused.output, refused.output
    assert current_revision(settings) is None


def test_export_refuses_to_overwrite_a_file_without_force(
    demo_backup: tuple[Path, Manifest], use_database: UseDatabase, tmp_path: Path
) -> None:
    use_database("")
    assert runner.invoke(app, ["import", str(demo_backup[0])]).exit_code == 0
    target = tmp_path / "exists.zip"
    target.write_bytes(b"keep me")

    refused = runner.invoke(app, ["export", str(target)])
    kept = target.read_bytes()
    forced = runner.invoke(app, ["export", "--force", str(target)])

    assert refused.exit_code == 1 and "--force" in refused.output and kept == b"keep me"
    assert forced.exit_code == 0 and _tables(target) == _tables(demo_backup[0])
