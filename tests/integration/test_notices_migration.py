"""Migration m6_notices on SQLite and PostgreSQL: notices gain a link and an e-mail-skipped stamp
without losing the notices already stored, the preference and marker tables come and go, and
going back keeps the notices (without the new columns)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from altmatch.config import Settings
from altmatch.db import downgrade_database, make_engine, upgrade_database

BEFORE, MIGRATION = "m5_first_places", "m6_notices"
NOW = dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC)


def _columns(engine: sa.Engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def _table(engine: sa.Engine, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=engine)


def test_m6_adds_links_preferences_and_markers_and_goes_back(settings: Settings) -> None:
    upgrade_database(settings, BEFORE)
    engine = make_engine(settings)
    try:
        users, notices = _table(engine, "users"), _table(engine, "notifications")
        with engine.begin() as connection:
            connection.execute(
                sa.insert(users).values(
                    id=1,
                    email="emily@example.org",
                    display_name="Emily",
                    password_hash="",
                    role="candidate",
                    locale="en",
                    created_at=NOW,
                    disabled=False,
                )
            )
            connection.execute(
                sa.insert(notices).values(
                    id=1, user_id=1, kind="case_update", message={"msgid": "x"}, at=NOW
                )
            )
        assert "link" not in _columns(engine, "notifications")
        engine.dispose()

        upgrade_database(settings, MIGRATION)
        assert {"link", "email_skipped_at"} <= _columns(engine, "notifications")
        assert {"notification_preferences", "notice_markers"} <= _tables(engine)
        notices = _table(engine, "notifications")
        prefs, markers = (
            _table(engine, "notification_preferences"),
            _table(engine, "notice_markers"),
        )
        with engine.begin() as connection:
            kept = connection.execute(sa.select(notices.c.kind, notices.c.link)).all()
            assert [tuple(r) for r in kept] == [("case_update", None)]
            connection.execute(
                sa.update(notices).values(link="/seasons/1/application", email_skipped_at=NOW)
            )
            connection.execute(sa.insert(prefs).values(user_id=1, kind_group="season", email=False))
            connection.execute(sa.insert(markers).values(key="requests_locked:1:2", at=NOW))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            # the marker's key is its primary key: a second one is refused
            connection.execute(sa.insert(markers).values(key="requests_locked:1:2", at=NOW))
        engine.dispose()

        downgrade_database(settings, BEFORE)
        assert not {"link", "email_skipped_at"} & _columns(engine, "notifications")
        assert not {"notification_preferences", "notice_markers"} & _tables(engine)
        with engine.connect() as connection:
            notices = _table(engine, "notifications")
            assert connection.execute(sa.select(sa.func.count()).select_from(notices)).scalar() == 1
        engine.dispose()

        upgrade_database(settings, MIGRATION)  # and up again
        assert "link" in _columns(engine, "notifications")
    finally:
        engine.dispose()
