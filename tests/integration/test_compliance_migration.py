"""Migration m8_compliance on SQLite and PostgreSQL: roster ALTs gain two nullable dates and the
acknowledgements table comes and goes, without losing the ALTs, their assignments or their
transfer requests either way (the columns are altered in place, never by a table rebuild that
would cascade)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from altmatch.config import Settings
from altmatch.db import downgrade_database, make_engine, upgrade_database

BEFORE, MIGRATION = "m7_transfers", "m8_compliance"
NOW = dt.datetime(2026, 12, 12, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 4, 1)


def _columns(engine: sa.Engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


def _table(engine: sa.Engine, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=engine)


def _count(engine: sa.Engine, name: str) -> int:
    with engine.connect() as connection:
        table = _table(engine, name)
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _seed(engine: sa.Engine) -> None:
    """A company with one ALT assigned at a school and one transfer request."""
    rows: list[tuple[str, dict[str, object]]] = [
        ("organisations", {"id": 1, "kind": "company", "name_en": "Sakura", "name_ja": "さくら"}),
        ("organisations", {"id": 2, "kind": "boe", "name_en": "Kobe", "name_ja": "神戸"}),
        (
            "schools",
            {
                "id": 1,
                "boe_id": 2,
                "external_id": "K1",
                "name_en": "K1",
                "name_ja": "K1",
                "level": "junior_high",
                "area": "urban",
                "municipality": "Kobe",
            },
        ),
        (
            "dispatch_contracts",
            {
                "id": 1,
                "company_id": 1,
                "boe_id": 2,
                "reference": "K-1",
                "contract_type": "worker_dispatch",
                "start": DAY,
                "end": DAY.replace(year=2027),
                "price_per_alt_month": 300_000,
                "version": 1,
                "created_at": NOW,
            },
        ),
        (
            "contract_positions",
            {
                "id": 1,
                "contract_id": 1,
                "external_id": "P1",
                "school_id": 1,
                "days_per_week": 5,
                "requires_driving_licence": False,
                "min_jlpt": "none",
            },
        ),
        (
            "roster_alts",
            {
                "id": 1,
                "company_id": 1,
                "external_id": "A1",
                "name": "Alex",
                "home_prefecture": "Hyogo",
                "home_municipality": "Kobe",
                "home_latitude": 34.7,
                "home_longitude": 135.2,
                "school_experience": [],
                "driving_licence": False,
                "jlpt": "none",
                "contract_end": DAY.replace(year=2027),
                "renewal_intention": "renewing",
                "preferred_prefectures": [],
                "checklist": {},
                "version": 1,
                "created_at": NOW,
            },
        ),
        (
            "roster_assignments",
            {"id": 1, "alt_id": 1, "position_id": 1, "start": DAY, "created_at": NOW},
        ),
        (
            "transfer_requests",
            {
                "id": 1,
                "company_id": 1,
                "alt_id": 1,
                "to_prefecture": "Osaka",
                "reasons": "Family",
                "status": "requested",
                "created_at": NOW,
                "decision_note": "",
                "version": 1,
            },
        ),
    ]
    with engine.begin() as connection:
        for name, values in rows:
            connection.execute(sa.insert(_table(engine, name)).values(**values))


def _kept(engine: sa.Engine) -> tuple[int, int, int]:
    return (
        _count(engine, "roster_alts"),
        _count(engine, "roster_assignments"),
        _count(engine, "transfer_requests"),
    )


def test_m8_adds_the_dates_and_acknowledgements_and_goes_back_keeping_the_roster(
    settings: Settings,
) -> None:
    upgrade_database(settings, BEFORE)
    engine = make_engine(settings)
    try:
        _seed(engine)
        engine.dispose()

        upgrade_database(settings, MIGRATION)
        assert {"employed_since", "residence_card_expires_on"} <= _columns(engine, "roster_alts")
        assert _kept(engine) == (1, 1, 1)
        alts, acks = _table(engine, "roster_alts"), _table(engine, "compliance_acknowledgements")
        with engine.begin() as connection:
            stored = connection.execute(sa.select(alts.c.employed_since)).scalar_one()
            assert stored is None  # not recorded for ALTs already on the roster
            connection.execute(sa.update(alts).values(employed_since=dt.date(2022, 4, 1)))
            ack = {
                "company_id": 1,
                "alt_id": 1,
                "rule": "indefinite_conversion",
                "due_on": dt.date(2027, 4, 1),
                "acknowledged_at": NOW,
                "note": "",
            }
            connection.execute(sa.insert(acks).values(**ack))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.insert(acks).values(**ack))  # one per alert
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(sa.insert(acks).values(**{**ack, "rule": "something_else"}))
        engine.dispose()

        downgrade_database(settings, BEFORE)
        assert not {"employed_since", "residence_card_expires_on"} & _columns(engine, "roster_alts")
        assert "compliance_acknowledgements" not in sa.inspect(engine).get_table_names()
        assert _kept(engine) == (1, 1, 1)
        engine.dispose()

        upgrade_database(settings, MIGRATION)  # and up again
        assert "employed_since" in _columns(engine, "roster_alts")
        assert _kept(engine) == (1, 1, 1)
    finally:
        engine.dispose()
