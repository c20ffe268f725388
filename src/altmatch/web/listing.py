"""Reading a list's query string (search, sort, filters, page) the same way for a page and for
its JSON twin, so a link to either shows the same rows.

A value the list does not have (a sort key, a filter's value, a page below 1, too many rows a
page) is refused with 422 naming the parameter and what it may be, rather than silently shown
as something else: the links the pages make never carry one, so it is a typo or an old link,
and the reader should know their filter was not applied.
"""

# No `from __future__ import annotations`: the dependency's annotations name each list's sort
# keys, so FastAPI must read them as built, not as text to evaluate later.
from collections.abc import Callable, Mapping
from typing import Annotated

from fastapi import Query, Request

from altmatch.db.listing import MAX_PER_PAGE, MAX_SEARCH, PER_PAGE, ListQuery, ListSpec
from altmatch.i18n import N_, Message
from altmatch.services.kernel.errors import RuleError

__all__ = ["ListQuery", "list_query", "parse_list_query"]


def _refuse(name: str, allowed: str) -> RuleError:
    return RuleError(
        Message(N_("“{name}” can be: {allowed}."), {"name": name, "allowed": allowed}), name
    )


def _whole(value: str, name: str, low: int, high: int) -> int:
    if not value.strip().isdigit() or not low <= int(value) <= high:
        raise _refuse(name, f"{low}–{high}")
    return int(value)


def parse_list_query(params: Mapping[str, str], spec: ListSpec) -> ListQuery:
    """The `ListQuery` in `params` (a query string's values) for a list of `spec`."""
    q = " ".join(params.get("q", "").split())[:MAX_SEARCH]
    sort = params.get("sort", "").strip()
    if sort and sort not in spec.sorts:
        raise _refuse("sort", ", ".join(spec.sorts))
    direction = params.get("dir", "").strip() or (spec.default_dir if not sort else "asc")
    if direction not in ("asc", "desc"):
        raise _refuse("dir", "asc, desc")
    filters: dict[str, str] = {}
    for name, allowed in spec.filters.items():
        value = params.get(name, "").strip()
        if not value:
            continue
        if allowed is not None and value not in allowed:
            raise _refuse(name, ", ".join(allowed))
        if len(value) > MAX_SEARCH:
            message = N_("“{name}” has at most {n} characters.")
            raise RuleError(Message(message, {"name": name, "n": MAX_SEARCH}), name)
        filters[name] = value
    page = _whole(params.get("page", "1") or "1", "page", 1, 1_000_000)
    per_page = _whole(params.get("per_page", "") or str(PER_PAGE), "per_page", 1, MAX_PER_PAGE)
    return ListQuery(
        q=q,
        sort=sort,
        dir="desc" if direction == "desc" else "asc",
        filters=filters,
        page=page,
        per_page=per_page,
    )


def list_query(spec: ListSpec) -> Callable[..., ListQuery]:
    """A FastAPI dependency reading `spec`'s list query from the request: the search, sort and
    paging parameters are declared (so the API documents them); the filters are read by name."""

    def dependency(
        request: Request,
        q: Annotated[str, Query(description="Search text (names and ids).")] = "",
        sort: Annotated[str, Query(description=f"One of: {', '.join(spec.sorts)}.")] = "",
        dir: Annotated[str, Query(description="asc or desc.")] = "",
        page: Annotated[str, Query(description="1 is the first page.")] = "1",
        per_page: Annotated[str, Query(description=f"1–{MAX_PER_PAGE} rows.")] = "",
    ) -> ListQuery:
        params = {k: request.query_params.get(k, "") for k in spec.filters}
        params |= {"q": q, "sort": sort, "dir": dir, "page": page, "per_page": per_page}
        return parse_list_query(params, spec)

    return dependency
