"""How long a deleted account's kept records stay (the rulebook's personal_data.retention), and
the privacy purge that erases them once that time has passed.

`altmatch serve` runs the purge with its periodic sweep; `altmatch privacy purge` runs it on
demand (for cron, or to purge "as of" a given day).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db import personal_data as repo
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import RetentionRule
from altmatch.rulebook.vocabulary import RetainedKind
from altmatch.services.kernel.audit import record_audit


def retention_rule(kind: RetainedKind) -> RetentionRule:
    return load_rulebook().personal_data.retention[kind]


def _years_later(day: date, years: int) -> date:
    """The same day `years` on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def keep_until(kind: RetainedKind, start: date) -> date:
    """The last day a record of `kind` whose period starts on `start` is kept."""
    rule = retention_rule(kind)
    if rule.years is None:
        raise ValueError(f"{kind} records are kept with the record they belong to, not by date")
    return _years_later(start, rule.years)


class PurgeOut(BaseModel):
    """How many kept records the purge erased, by table."""

    on: date
    erased: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.erased.values())


def purge_expired(sessions: Sessions, *, today: date | None = None) -> PurgeOut:
    """Erase every kept record whose last day is before `today` (Japan; default: today), in one
    transaction: the contract, roster entry, hire's application or support case goes with all
    that hangs on it (assignments, stage history, messages, attachments). Audited with counts
    only."""
    on = today or today_in_japan()
    erased: Counter[str] = Counter()
    with sessions.begin() as session:
        for record in repo.due_records(session, on):
            entity = record.entity
            if repo.erase_kept(session, record):
                erased[entity] += 1
        if erased:
            after = {"on": on.isoformat(), **dict(sorted(erased.items()))}
            record_audit(session, None, "privacy.purged", "retained_record", None, None, after)
    return PurgeOut(on=on, erased=dict(sorted(erased.items())))
