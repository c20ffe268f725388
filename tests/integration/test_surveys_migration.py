"""Migration m10_surveys on SQLite and PostgreSQL: contract positions gain a nullable contact and
the survey tables come and go, without losing the positions or the roster's assignments either
way (the columns are added in place, never by a table rebuild that would cascade); one survey per
round, side, ALT and school, and a token's hash is unique."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from altmatch.config import Settings
from altmatch.db import downgrade_database, make_engine, upgrade_database

BEFORE, MIGRATION = "m9_interview_calibration", "m10_surveys"
NOW = dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 4, 1)


def _table(engine: sa.Engine, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=engine)


def _count(engine: sa.Engine, name: str) -> int:
    with engine.connect() as connection:
        table = _table(engine, name)
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _seed(engine: sa.Engine) -> None:
    school = {
        "id": 1,
        "boe_id": 2,
        "external_id": "K1",
        "name_en": "K1",
        "name_ja": "K1",
        "level": "junior_high",
        "area": "urban",
        "municipality": "Kobe",
    }
    contract = {
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
    }
    position = {
        "id": 1,
        "contract_id": 1,
        "external_id": "P1",
        "school_id": 1,
        "days_per_week": 5,
        "requires_driving_licence": False,
        "min_jlpt": "none",
    }
    alt = {
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
    }
    rows: list[tuple[str, dict[str, object]]] = [
        ("organisations", {"id": 1, "kind": "company", "name_en": "Sakura", "name_ja": "さくら"}),
        ("organisations", {"id": 2, "kind": "boe", "name_en": "Kobe", "name_ja": "神戸"}),
        ("schools", school),
        ("dispatch_contracts", contract),
        ("contract_positions", position),
        ("roster_alts", alt),
        (
            "roster_assignments",
            {"id": 1, "alt_id": 1, "position_id": 1, "start": DAY, "created_at": NOW},
        ),
    ]
    with engine.begin() as connection:
        for name, values in rows:
            connection.execute(sa.insert(_table(engine, name)).values(**values))


def _contacts(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("contract_positions")} & {
        "contact_name",
        "contact_email",
    }


def test_m10_adds_contacts_and_surveys_and_goes_back_keeping_the_roster(
    settings: Settings,
) -> None:
    upgrade_database(settings, BEFORE)
    engine = make_engine(settings)
    try:
        _seed(engine)
        engine.dispose()

        upgrade_database(settings, MIGRATION)
        assert _contacts(engine) == {"contact_name", "contact_email"}
        positions = _table(engine, "contract_positions")
        rounds, invitations = _table(engine, "survey_rounds"), _table(engine, "survey_invitations")
        with engine.begin() as connection:
            assert connection.execute(sa.select(positions.c.contact_email)).scalar_one() is None
            round_id = connection.execute(
                sa.insert(rounds)
                .values(
                    company_id=1,
                    academic_year=2026,
                    term=2,
                    opens_on=dt.date(2026, 12, 10),
                    closes_on=dt.date(2027, 1, 14),
                    remind_on=dt.date(2027, 1, 9),
                    opened_at=NOW,
                )
                .returning(rounds.c.id)
            ).scalar_one()
        invitation = {
            "round_id": round_id,
            "company_id": 1,
            "kind": "school",
            "alt_id": 1,
            "school_id": 1,
            "position_id": 1,
            "email": "vp@k1.example.jp",
            "recipient_name": "",
            "locale": "ja",
            "token_hash": "a" * 64,
            "expires_at": NOW,
            "comment": "",
            "created_at": NOW,
        }
        with engine.begin() as connection:
            connection.execute(sa.insert(invitations).values(**invitation))
        with pytest.raises(IntegrityError), engine.begin() as connection:  # one per pair
            connection.execute(sa.insert(invitations).values(**{**invitation, "token_hash": None}))
        with pytest.raises(IntegrityError), engine.begin() as connection:  # unique token
            connection.execute(sa.insert(invitations).values(**{**invitation, "kind": "alt"}))
        with pytest.raises(IntegrityError), engine.begin() as connection:  # a term is 1-3
            connection.execute(
                sa.insert(rounds).values(
                    company_id=1,
                    academic_year=2026,
                    term=4,
                    opens_on=DAY,
                    closes_on=DAY,
                    remind_on=DAY,
                    opened_at=NOW,
                )
            )
        engine.dispose()

        downgrade_database(settings, BEFORE)
        assert _contacts(engine) == set()
        assert "survey_invitations" not in sa.inspect(engine).get_table_names()
        assert (_count(engine, "contract_positions"), _count(engine, "roster_assignments")) == (
            1,
            1,
        )
        engine.dispose()

        upgrade_database(settings, MIGRATION)  # and up again
        assert _contacts(engine) == {"contact_name", "contact_email"}
        assert _count(engine, "roster_assignments") == 1
    finally:
        engine.dispose()
