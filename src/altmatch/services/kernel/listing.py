"""What a paged list says about itself in JSON, next to its items (see db.listing)."""

from __future__ import annotations

from pydantic import BaseModel

from altmatch.db.listing import ListQuery, ListSpec, Page

__all__ = ["ListMetaOut", "ListQuery", "ListSpec", "Page", "list_meta"]


class ListMetaOut(BaseModel):
    """The query a page of a list answers, and how many rows match it in all."""

    total: int
    page: int
    per_page: int
    pages: int
    sort: str
    dir: str
    q: str
    filters: dict[str, str]


def list_meta(page: Page, spec: ListSpec) -> ListMetaOut:
    query = page.query
    return ListMetaOut(
        total=page.total,
        page=query.page,
        per_page=query.per_page,
        pages=page.pages,
        sort=query.sort or spec.sorts[0],
        dir=query.dir if query.sort else spec.default_dir,
        q=query.q,
        filters=dict(query.filters),
    )
