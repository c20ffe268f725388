"""Migration m3_erasure on SQLite and PostgreSQL: support cases, applications and roster entries
may outlive their person, and rebuilding those tables (SQLite) loses none of the rows that hang
on them; going back deletes only what has no person any more."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from altmatch.config import Settings
from altmatch.db import downgrade_database, make_engine, upgrade_database

BEFORE, MIGRATION = "m2_email_verification", "m3_erasure"
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 12, 6)

ROWS: list[tuple[str, dict[str, object]]] = [
    ("organisations", {"id": 1, "kind": "boe", "name_en": "Kobe", "name_ja": "神戸"}),
    ("organisations", {"id": 2, "kind": "company", "name_en": "Sakura", "name_ja": "さくら"}),
    *(
        (
            "users",
            {
                "id": i,
                "email": f"u{i}@example.org",
                "display_name": f"User {i}",
                "password_hash": "",
                "role": role,
                "organisation_id": org,
                "locale": "en",
                "created_at": NOW,
                "disabled": False,
            },
        )
        for i, role, org in ((1, "alt", None), (2, "company_staff", 2), (3, "alt", None))
    ),
    (
        "employment_contracts",
        {"id": 1, "user_id": 1, "employer_id": 2, "path": "dispatch", "start": DAY, "end": DAY}
        | {"created_at": NOW},
    ),
    (
        "support_cases",
        {
            "id": 1,
            "alt_user_id": 1,
            "contract_id": 1,
            "path": "dispatch",
            "employer_id": 2,
            "category": "health",
            "urgency": "normal",
            "language": "en",
            "subject": "s",
            "description": "d",
            "status": "open",
            "level": 1,
            "opened_at": NOW,
            "first_response_due": NOW,
            "resolution_due": NOW,
            "reopened_count": 0,
            "version": 1,
        },
    ),
    (
        "case_messages",
        {"id": 1, "case_id": 1, "author_user_id": 2, "body": "hi"} | {"at": NOW, "internal": False},
    ),
    (
        "case_messages",
        {"id": 2, "case_id": 1, "author_user_id": 1, "body": "yo"} | {"at": NOW, "internal": False},
    ),
    ("case_events", {"id": 1, "case_id": 1, "at": NOW, "action": "opened"}),
    (
        "case_attachments",
        {"id": 1, "case_id": 1, "filename": "a.pdf", "content_type": "application/pdf"}
        | {"size": 3, "data": b"pdf", "at": NOW},
    ),
    (
        "case_mediations",
        {"id": 1, "case_id": 1, "contact_name": "c", "contact_role": "r", "agreed": "a"}
        | {"at": NOW},
    ),
    (
        "support_case_handlers",
        {"id": 1, "case_id": 1, "user_id": 2, "level": 1, "role": "support_desk", "added_at": NOW},
    ),
    (
        "notifications",
        {"id": 1, "user_id": 2, "case_id": 1, "kind": "case_opened", "message": {}, "at": NOW},
    ),
    (
        "postings",
        {
            "id": 1,
            "boe_id": 1,
            "title_en": "t",
            "title_ja": "t",
            "description": "",
            "school_levels": [],
            "openings": 1,
            "min_alt_years": 0,
            "min_jlpt": "none",
            "requires_residence_in_japan": True,
            "allowed_statuses": [],
            "requires_driving_licence": False,
            "monthly_pay": 250000,
            "benefits": [],
            "start": DAY,
            "closes_on": DAY,
            "status": "open",
            "created_at": NOW,
            "version": 1,
        },
    ),
    (
        "posting_applications",
        {"id": 1, "posting_id": 1, "user_id": 3, "declared": {}, "cover_note": ""}
        | {"stage": "applied", "created_at": NOW, "updated_at": NOW, "version": 1},
    ),
    (
        "posting_stage_changes",
        {"id": 1, "application_id": 1, "at": NOW, "to_stage": "applied", "note": ""},
    ),
    (
        "schools",
        {"id": 1, "boe_id": 1, "external_id": "K1", "name_en": "K1", "name_ja": "K1"}
        | {"level": "elementary", "area": "urban", "municipality": "Kobe"},
    ),
    (
        "dispatch_contracts",
        {"id": 1, "company_id": 2, "boe_id": 1, "reference": "R", "contract_type": "outsourcing"}
        | {"start": DAY, "end": DAY, "price_per_alt_month": 1, "version": 1, "created_at": NOW},
    ),
    (
        "contract_positions",
        {"id": 1, "contract_id": 1, "external_id": "P", "school_id": 1, "days_per_week": 5}
        | {"requires_driving_licence": False, "min_jlpt": "none"},
    ),
    (
        "roster_alts",
        {
            "id": 1,
            "company_id": 2,
            "user_id": 1,
            "external_id": "A1",
            "name": "n",
            "home_prefecture": "Hyogo",
            "home_municipality": "Kobe",
            "home_latitude": 34.7,
            "home_longitude": 135.2,
            "school_experience": [],
            "driving_licence": False,
            "jlpt": "none",
            "contract_end": DAY,
            "renewal_intention": "undecided",
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
        {"id": 1, "company_id": 2, "alt_id": 1, "to_prefecture": "Osaka", "reasons": "r"}
        | {"status": "requested", "created_at": NOW, "decision_note": "", "version": 1},
    ),
    ("transfer_events", {"id": 1, "transfer_id": 1, "at": NOW, "action": "requested", "note": ""}),
]
CHILDREN = (
    "case_messages",
    "case_events",
    "case_attachments",
    "case_mediations",
    "support_case_handlers",
    "notifications",
    "posting_stage_changes",
    "roster_assignments",
    "transfer_requests",
    "transfer_events",
)


def _insert(table: str, values: dict[str, object]) -> sa.TextClause:
    columns = ", ".join(f'"{c}"' for c in values)
    params = ", ".join(f":{c}" for c in values)
    statement = sa.text(f"INSERT INTO {table} ({columns}) VALUES ({params})")
    return statement.bindparams(
        *(
            sa.bindparam(c, v, type_=sa.JSON) if isinstance(v, dict | list) else sa.bindparam(c, v)
            for c, v in values.items()
        )
    )


def _run(settings: Settings, *statements: sa.Executable) -> list[tuple[object, ...]]:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            found: list[tuple[object, ...]] = []
            for statement in statements:
                result = connection.execute(statement)
                if result.returns_rows:
                    found = [tuple(row) for row in result]
            return found
    finally:
        engine.dispose()


def _counts(settings: Settings) -> dict[str, int]:
    return {
        table: int(_run(settings, sa.text(f"SELECT count(*) FROM {table}"))[0][0])
        for table in ("support_cases", "posting_applications", "roster_alts", *CHILDREN)
    }


def test_kept_records_outlive_their_person_and_nothing_hanging_on_them_is_lost(
    settings: Settings,
) -> None:
    upgrade_database(settings, BEFORE)
    _run(settings, *(_insert(table, values) for table, values in ROWS))
    before = _counts(settings)
    assert all(before.values()), before

    upgrade_database(settings, MIGRATION)

    assert _counts(settings) == before
    _run(
        settings,
        sa.text("UPDATE roster_alts SET home_latitude = NULL, home_longitude = NULL"),
        sa.text("DELETE FROM users WHERE id IN (1, 3)"),  # the ALT and the applicant leave
    )
    assert _run(settings, sa.text("SELECT alt_user_id FROM support_cases")) == [(None,)]
    assert _run(settings, sa.text("SELECT user_id FROM posting_applications")) == [(None,)]
    assert _counts(settings) == before  # no cascade from users any more
    _run(
        settings,
        _insert(
            "retained_records",
            {"id": 1, "entity": "support_case", "entity_id": 1, "kind": "support_case"}
            | {"erased_at": NOW, "keep_until": DAY},
        ),
    )

    downgrade_database(settings, BEFORE)

    after = _counts(settings)
    assert after["support_cases"] == after["posting_applications"] == 0  # nobody to point at
    for table in ("case_messages", "case_events", "posting_stage_changes", "notifications"):
        assert after[table] == 0, table
    assert after["roster_alts"] == after["roster_assignments"] == after["transfer_events"] == 1
    coordinates = "SELECT home_latitude, home_longitude FROM roster_alts"
    assert _run(settings, sa.text(coordinates)) == [(0.0, 0.0)]
    upgrade_database(settings, MIGRATION)  # and up again
