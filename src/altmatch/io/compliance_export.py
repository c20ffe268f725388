"""The compliance watch as a file: `compliance.csv`, one row per alert (UTF-8, no BOM, like the
other folder outputs; every text cell formula-neutralised).

Columns: `alt_id` (the company's own id for the ALT, as in its roster file), `rule` (one of
dispatch_three_year_unit, indefinite_conversion, residence_card_expiry, outsourcing_direction),
`due_on` (YYYY-MM-DD), `detail` (the alert in words), then `company_id`, `alt_name`, `status`
(overdue, due_soon or later), `action` (what to do) and `acknowledged_at` (ISO 8601 UTC, empty
while the alert is open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from altmatch.io.export import neutralise
from altmatch.io.outputs import csv_text

COMPLIANCE = "compliance.csv"
COMPLIANCE_HEADER = (
    "alt_id",
    "rule",
    "due_on",
    "detail",
    "company_id",
    "alt_name",
    "status",
    "action",
    "acknowledged_at",
)


@dataclass(frozen=True)
class ComplianceRow:
    alt_id: str
    rule: str
    due_on: dt.date
    detail: str
    company_id: int
    alt_name: str
    status: str
    action: str
    acknowledged_at: dt.datetime | None


def compliance_csv(rows: Iterable[ComplianceRow]) -> str:
    return csv_text(
        COMPLIANCE_HEADER,
        (
            (
                neutralise(r.alt_id),
                r.rule,
                r.due_on.isoformat(),
                neutralise(r.detail),
                r.company_id,
                neutralise(r.alt_name),
                r.status,
                neutralise(r.action),
                r.acknowledged_at.isoformat() if r.acknowledged_at else None,
            )
            for r in rows
        ),
    )
