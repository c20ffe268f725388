"""Saved advice survives a round trip through the database on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from altmatch.db import Sessions
from altmatch.db.models import SavedAdvice
from altmatch.db.saved_advice import add_saved_advice, get_saved_advice

PROFILE: dict[str, object] = {
    "nationality": "NZ",
    "degree": "bachelor",
    "preferred_prefectures": ["兵庫県", "北海道"],
    "notes": "日本語で授業を手伝いたいです。",
    "savings_yen": 450_000,
    "dependants": None,
}


def test_saved_advice_reopens_by_token_with_its_profile_intact(
    sessions: Sessions,
) -> None:
    before = datetime.now(UTC)
    with sessions.begin() as session:
        token = add_saved_advice(session, profile=PROFILE, rulebook_year=2026, locale="ja").token

    with sessions() as session:
        saved = get_saved_advice(session, token)

    assert saved is not None
    assert saved.profile == PROFILE
    assert saved.rulebook_year == 2026
    assert saved.locale == "ja"
    assert saved.created_at.tzinfo is UTC
    assert before - timedelta(seconds=1) <= saved.created_at <= datetime.now(UTC)


def test_an_unknown_token_finds_nothing(sessions: Sessions) -> None:
    with sessions.begin() as session:
        add_saved_advice(session, profile=PROFILE, rulebook_year=2026, locale="en")

    with sessions() as session:
        assert get_saved_advice(session, "no-such-token") is None


def test_tokens_are_url_safe_fill_the_column_and_differ(sessions: Sessions) -> None:
    with sessions.begin() as session:
        tokens = [
            add_saved_advice(session, profile={}, rulebook_year=2026, locale="en").token
            for _ in range(20)
        ]

    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", token) for token in tokens)
    assert len(set(tokens)) == len(tokens)


def test_the_repository_leaves_committing_to_the_caller(sessions: Sessions) -> None:
    with sessions() as session:
        token = add_saved_advice(session, profile=PROFILE, rulebook_year=2026, locale="en").token
        session.rollback()

    with sessions() as session:
        assert get_saved_advice(session, token) is None


def test_a_duplicate_token_is_refused(sessions: Sessions) -> None:
    with sessions.begin() as session:
        token = add_saved_advice(session, profile={}, rulebook_year=2026, locale="en").token

    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(SavedAdvice(token=token, profile={}, rulebook_year=2026, locale="en"))


def test_a_naive_timestamp_is_refused(sessions: Sessions) -> None:
    naive = datetime(2026, 4, 1, 9, 0)

    with pytest.raises(StatementError, match="naive datetime"), sessions.begin() as session:
        session.add(
            SavedAdvice(token="t", profile={}, rulebook_year=2026, locale="en", created_at=naive)
        )
