"""What the season's list pages share: their query dependencies and the filters' choices in
the reader's language (BoEs and prefectures by their Japanese names on Japanese pages)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from altmatch.rulebook.prefectures import load_prefectures, prefecture_name
from altmatch.services.season.listings import (
    APPLICATIONS,
    OUTCOMES,
    PLACEMENTS,
    REQUESTS,
    ChoicesOut,
)
from altmatch.web.listing import ListQuery, list_query

OutcomesQuery = Annotated[ListQuery, Depends(list_query(OUTCOMES))]
PlacementsQuery = Annotated[ListQuery, Depends(list_query(PLACEMENTS))]
RequestsQuery = Annotated[ListQuery, Depends(list_query(REQUESTS))]
ApplicationsQuery = Annotated[ListQuery, Depends(list_query(APPLICATIONS))]


def list_context(lq: ListQuery, choices: ChoicesOut | None, locale: str) -> dict[str, Any]:
    """The list's query, and its BoE and prefecture filters' (value, text) choices."""

    def pref(value: str | None) -> str:
        return prefecture_name(value, locale)

    context: dict[str, Any] = {"lq": lq, "pref": pref}
    if choices is not None:
        context["boe_options"] = [
            (b.id, b.name_ja if locale == "ja" and b.name_ja else b.name) for b in choices.boes
        ]
        context["pref_options"] = [(p, pref(p)) for p in sorted(choices.prefectures, key=_code)]
    return context


def _code(value: str) -> tuple[str, str]:
    """Prefectures in their JIS order (Hokkaido first), as Japanese lists them."""
    found = load_prefectures().find(value)
    return (found.code if found is not None else "99", value)
