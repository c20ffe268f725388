"""Print the advisor's pay year by year for five reference profiles, as Markdown tables.

Run: `.venv/bin/python scripts/advisor_pay_profiles.py [YYYY-MM-DD]` (the day to advise on;
default 2026-12-06). The figures are the advisor's own (`give_advice`), so a change to the
rulebook or the pay model shows here; issue 18's closing note compares them with payslips
worked by hand (the same cases are tests in tests/unit/domain/test_take_home.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence

from altmatch.services.advice.advisor import PathOut, PensionRefundOut, YearPayOut, give_advice
from altmatch.services.advice.profile_input import ProfileInput

GRADUATE = {"degree": "bachelor", "citizenship": "GB", "english": "native"}
PROFILES: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("JET, from the UK, age 23", "jet", GRADUATE | {"age": 23}),
    ("JET, age 45", "jet", GRADUATE | {"age": 45}),
    ("Dispatch, age 28, prefecture not known", "dispatch", GRADUATE | {"age": 28}),
    ("Dispatch, age 28, Hyogo", "dispatch", GRADUATE | {"age": 28, "prefecture": "Hyogo"}),
    (
        "Direct hire, living in Japan, age 35",
        "direct_hire",
        GRADUATE
        | {
            "age": 35,
            "residence": "japan",
            "status_of_residence": "instructor",
            "alt_years": 3,
            "jlpt": "N2",
        },
    ),
)
EMPLOYEE = (
    "health_insurance",
    "nursing_care",
    "welfare_pension",
    "employment_insurance",
    "child_support",
    "income_tax",
    "resident_tax",
)
NATIONAL = (
    "national_health_insurance",
    "nursing_care",
    "national_pension",
    "employment_insurance",
    "income_tax",
    "resident_tax",
)


def table(years: Sequence[YearPayOut], keys: Sequence[str]) -> str:
    lines = ["| year | gross | " + " | ".join(keys) + " | take-home |"]
    lines.append("|---" * (len(keys) + 3) + "|")
    for y in years:
        cells = " | ".join(f"{y.deductions.get(k, 0):,}" for k in keys)
        lines.append(f"| {y.year} | {y.gross:,} | {cells} | {y.take_home:,} |")
    totals = " | ".join(f"{sum(y.deductions.get(k, 0) for y in years):,}" for k in keys)
    gross = sum(y.gross for y in years)
    lines.append(f"| 5 years | {gross:,} | {totals} | {sum(y.take_home for y in years):,} |")
    return "\n".join(lines)


def refund(title: str, r: PensionRefundOut) -> str:
    return (
        f"{title} ({r.scheme.value}, {r.months} months): {r.base:,} x {r.multiplier:g} = "
        f"{r.amount:,}; withheld {r.withheld:,}; paid {r.after_withholding:,}"
    )


def describe(title: str, path: PathOut) -> str:
    basis = path.pay_basis
    parts = [f"### {title}"]
    if basis is not None:
        parts.append(
            f"start {basis.start_month}; health insurance {basis.health_insurance_rate:.2%} "
            f"({basis.prefecture or 'national average'}); nursing care in years "
            f"{basis.nursing_care_years or 'none'}; "
            + ("leaves Japan after year 5" if basis.departure_assumed else "stays in Japan")
        )
    parts.append(table(path.pay, EMPLOYEE))
    if path.pension_refund:
        parts.append(refund("Pension refund on leaving", path.pension_refund))
    if path.pay_without_employee_insurance:
        parts.append("Without employees' insurance:")
        parts.append(table(path.pay_without_employee_insurance, NATIONAL))
    if path.pension_refund_without_employee_insurance:
        parts.append(
            refund("National pension refund", path.pension_refund_without_employee_insurance)
        )
    return "\n\n".join(parts)


def main(argv: Sequence[str]) -> None:
    today = dt.date.fromisoformat(argv[0]) if argv else dt.date(2026, 12, 6)
    for title, path, raw in PROFILES:
        advice = give_advice(ProfileInput.model_validate(raw), today=today)
        print(describe(title, advice.for_path(path)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
