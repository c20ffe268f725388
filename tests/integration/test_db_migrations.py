"""Migrations build, remove and agree with the models on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from altmatch.config import Settings
from altmatch.db import (
    Base,
    current_revision,
    downgrade_database,
    head_revision,
    make_engine,
    upgrade_database,
)


def _tables(settings: Settings) -> set[str]:
    engine = make_engine(settings)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_empty_database_has_no_revision(settings: Settings) -> None:
    assert current_revision(settings) is None


def test_upgrade_from_empty_reaches_head_and_creates_the_tables(settings: Settings) -> None:
    upgrade_database(settings)

    assert current_revision(settings) == head_revision()
    assert {"saved_advice", "alembic_version"} <= _tables(settings)


def test_upgrading_twice_is_harmless(settings: Settings) -> None:
    upgrade_database(settings)
    upgrade_database(settings)

    assert current_revision(settings) == head_revision()


def test_downgrade_to_base_removes_every_table(settings: Settings) -> None:
    upgrade_database(settings)

    downgrade_database(settings, "base")

    assert current_revision(settings) is None
    assert _tables(settings) <= {"alembic_version"}


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert diffs == []


def test_migrations_run_from_any_working_directory(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    upgrade_database(settings)

    assert current_revision(settings) == head_revision()


def test_sqlite_data_dir_is_created_and_connections_are_tuned(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "not" / "yet" / "there", database_url="")
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar_one()
            journal_mode = connection.execute(text("PRAGMA journal_mode")).scalar_one()
    finally:
        engine.dispose()

    assert (tmp_path / "not" / "yet" / "there").is_dir()
    assert foreign_keys == 1
    assert journal_mode == "wal"


def test_adding_the_assessor_role_keeps_every_row_that_refers_to_a_user(settings: Settings) -> None:
    """m14 rebuilds `users` on SQLite; with foreign keys on, dropping it would cascade."""
    upgrade_database(settings, "m12_recruitment")
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, role, locale,"
                    " created_at, disabled) VALUES (7, 'a@example.org', 'A', 'x', 'candidate',"
                    " 'en', '2026-12-01 00:00:00', false)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO recovery_codes (user_id, code_hash, created_at)"
                    " VALUES (7, 'h', '2026-12-01 00:00:00')"
                )
            )
    finally:
        engine.dispose()

    upgrade_database(settings)

    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            kept = connection.execute(text("SELECT count(*) FROM recovery_codes")).scalar_one()
            connection.execute(text("UPDATE users SET role = 'assessor' WHERE id = 7"))
            with pytest.raises(IntegrityError), connection.begin_nested():
                connection.execute(text("UPDATE users SET role = 'nobody' WHERE id = 7"))
    finally:
        engine.dispose()
    assert kept == 1
    downgrade_database(settings, "m12_recruitment")  # the assessor is kept, disabled, powerless
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT role, disabled, organisation_id FROM users WHERE id = 7")
            ).one()
            kept = connection.execute(text("SELECT count(*) FROM recovery_codes")).scalar_one()
    finally:
        engine.dispose()
    assert (row[0], bool(row[1]), row[2], kept) == ("candidate", True, None, 1)
