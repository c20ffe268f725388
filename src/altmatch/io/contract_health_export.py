"""Contract health as a file: `contract_health.csv`, one row per running contract (UTF-8, no
BOM, like the other folder outputs; every text cell formula-neutralised).

Columns: `contract_id` (altmatch's id), `school_satisfaction` (the schools' mean score of the
contract's ALTs, 1 to 5 with two decimals; empty: no survey yet), `retention_risk` (the mean
retention risk score of its ALTs, two decimals; empty: no ALT), `coverage` (posts filled / posts
today, 0 to 1 with three decimals; empty: no posts), then `company_id`, `contract_reference`
(the company's own id), `boe` (the client), `posts`, `filled`, `alts`, `alts_at_high_risk`,
`open_cases`, `renewal_date` and `tender_date` (YYYY-MM-DD or empty), `status` (ok, watch or
at_risk) and `reasons` (each reason in words, separated by " | ").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from altmatch.io.export import neutralise
from altmatch.io.outputs import csv_text

CONTRACT_HEALTH = "contract_health.csv"
CONTRACT_HEALTH_HEADER = (
    "contract_id",
    "school_satisfaction",
    "retention_risk",
    "coverage",
    "company_id",
    "contract_reference",
    "boe",
    "posts",
    "filled",
    "alts",
    "alts_at_high_risk",
    "open_cases",
    "renewal_date",
    "tender_date",
    "status",
    "reasons",
)


@dataclass(frozen=True)
class ContractHealthRow:
    contract_id: int
    school_satisfaction: float | None
    retention_risk: float | None
    coverage: float | None
    company_id: int
    contract_reference: str
    boe: str
    posts: int
    filled: int
    alts: int
    alts_at_high_risk: int
    open_cases: int
    renewal_date: dt.date | None
    tender_date: dt.date | None
    status: str
    reasons: Sequence[str]


def _fixed(value: float | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def contract_health_csv(rows: Iterable[ContractHealthRow]) -> str:
    return csv_text(
        CONTRACT_HEALTH_HEADER,
        (
            (
                r.contract_id,
                _fixed(r.school_satisfaction, 2),
                _fixed(r.retention_risk, 2),
                _fixed(r.coverage, 3),
                r.company_id,
                neutralise(r.contract_reference),
                neutralise(r.boe),
                r.posts,
                r.filled,
                r.alts,
                r.alts_at_high_risk,
                r.open_cases,
                r.renewal_date.isoformat() if r.renewal_date else None,
                r.tender_date.isoformat() if r.tender_date else None,
                r.status,
                neutralise(" | ".join(r.reasons)),
            )
            for r in rows
        ),
    )
