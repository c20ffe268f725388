"""Long lists read a page at a time: one query type for search, sort, filters and paging.

A `ListQuery` is what a reader asked of a list (pages and the JSON API parse it the same way,
in web.listing); a `ListSpec` says which sort keys and filters a list has. Repository functions
apply a query in SQL (`paged`): WHERE for the search and filters, ORDER BY the sort key with
the row id as tie-breaker, LIMIT/OFFSET for the page, and a COUNT of every matching row, so a
season of thousands never travels to Python to be sliced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, false, func, or_, select
from sqlalchemy.orm import Session

Direction = Literal["asc", "desc"]
Column = SQLColumnExpression[Any]
AnySelect = Select[*tuple[Any, ...]]
PER_PAGE = 50  # rows on a page unless the reader asks otherwise
MAX_PER_PAGE = 200  # more is a download: every list has an export
MAX_SEARCH = 100  # characters of a search


@dataclass(frozen=True)
class ListSpec:
    """A list's sort keys (the first is the default) and its filters, each with its allowed
    values (None: any short text, such as a prefecture's name or an id)."""

    sorts: tuple[str, ...]
    filters: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    default_dir: Direction = "asc"


@dataclass(frozen=True)
class ListQuery:
    """What a reader asked of a list: search text, sort key and direction, filters, page."""

    q: str = ""
    sort: str = ""
    dir: Direction = "asc"
    filters: Mapping[str, str] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def get(self, name: str) -> str:
        """A filter's value, "" when unset."""
        return self.filters.get(name, "")

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The query string's pairs with `changes` applied (None drops a filter), defaults left
        out so links stay short. A change of search, sort or filter goes back to page 1."""
        filters = dict(self.filters)
        base: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("q", "sort", "dir", "page", "per_page"):
                base[key] = value
            elif value is None or value == "":
                filters.pop(key, None)
            else:
                filters[key] = str(value)
        if "page" not in base and changes:
            base["page"] = 1
        query = replace(self, filters=filters, **base)
        pairs = [("q", query.q)] if query.q else []
        pairs += sorted((k, v) for k, v in query.filters.items() if v)
        if query.sort:
            pairs += [("sort", query.sort), ("dir", query.dir)]
        if query.per_page != PER_PAGE:
            pairs.append(("per_page", str(query.per_page)))
        if query.page != 1:
            pairs.append(("page", str(query.page)))
        return pairs

    def url(self, path: str, **changes: Any) -> str:
        """`path` with this query (and `changes`) as its query string: a link to share."""
        pairs = self.params(**changes)
        return f"{path}?{urlencode(pairs)}" if pairs else path


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows and how many rows match in all."""

    rows: list[tuple[Any, ...]]
    total: int
    query: ListQuery

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def first(self) -> int:
        """1-based number of the first row shown (0 when none)."""
        return self.query.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.query.offset + len(self.rows)


def search_clause(text: str, columns: Sequence[Column]) -> ColumnElement[bool]:
    """Rows where any of `columns` contains `text`, ignoring case; `%` and `_` are literal."""
    needle = text.strip().lower()
    if not columns:
        return false()
    return or_(*(func.lower(c).contains(needle, autoescape=True) for c in columns))


def paged(
    session: Session,
    query: AnySelect,
    lq: ListQuery,
    *,
    sorts: Mapping[str, Column],
    spec: ListSpec,
    tiebreak: Column,
) -> Page:
    """Run `query` (already filtered) for one page: counted, ordered by `lq.sort` (the spec's
    first key when unset; NULLs last either way) then `tiebreak`, limited and offset."""
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    key = lq.sort or spec.sorts[0]
    direction = lq.dir if lq.sort else spec.default_dir
    column = sorts[key]
    order = column.desc() if direction == "desc" else column.asc()
    nulls = column.is_(None)  # False sorts before True: NULLs last on both databases
    ordered = query.order_by(nulls, order, tiebreak.desc() if direction == "desc" else tiebreak)
    rows = session.execute(ordered.limit(lq.per_page).offset(lq.offset))
    return Page([tuple(r) for r in rows], total, lq)
