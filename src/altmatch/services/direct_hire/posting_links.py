"""The posting links the path advisor shows, apart from `postings` so that reading them needs
no database code: `altmatch advise` imports this, not SQLAlchemy (issue 16)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class PostingLinkOut(BaseModel):
    """An open posting a profile qualifies for, as the path advisor links to it."""

    id: int
    url: str
    title: str
    boe: str
    prefecture: str | None
    monthly_pay: int
    closes_on: dt.date
