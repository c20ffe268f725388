"""`altmatch dispatch contract-health`: per contract, coverage, school satisfaction, retention
risk, open cases, renewal and tender dates and a status with reasons, as a table, JSON or
contract_health.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.dispatch.company_report import company_report
from altmatch.domain.access import OPERATOR
from altmatch.i18n import gettext as _
from altmatch.io.contract_health_export import (
    CONTRACT_HEALTH,
    ContractHealthRow,
    contract_health_csv,
)
from altmatch.services.dispatch.contract_health import (
    ContractHealthOut,
    companies_contract_health,
)


def contract_health_command(
    out: Path | None = typer.Option(None, "--out", help="Write contract_health.csv here."),
    company: int | None = typer.Option(
        None, "--company", help="ID of one dispatch company (default: every company)."
    ),
    today: dt.datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Count as if it were this day (YYYY-MM-DD)."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the reasons: en or ja."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it already exists."),
    as_json: bool = typer.Option(False, "--json", help="Print the read model as JSON."),
) -> None:
    """Contract health: for each running contract, coverage (posts filled today), the schools'
    satisfaction, the retention risk of its ALTs, open support cases, renewal and tender dates,
    and a status (ok, watch, at risk) with the reasons."""
    company_report(
        lambda sessions, company_id, day, locale: companies_contract_health(
            sessions, OPERATOR, company_id=company_id, today=day, locale=locale
        ),
        company=company,
        today=today,
        lang=lang,
        out=out,
        filename=CONTRACT_HEALTH,
        to_file=contract_health_file,
        force=force,
        as_json=as_json,
        show=_print,
    )


def contract_health_file(found: list[ContractHealthOut]) -> str:
    """contract_health.csv: every company's running contracts, company by company."""
    return contract_health_csv(
        ContractHealthRow(
            contract_id=r.contract_id,
            school_satisfaction=r.school_satisfaction,
            retention_risk=r.retention_risk,
            coverage=r.coverage,
            company_id=c.company_id,
            contract_reference=r.reference,
            boe=r.boe,
            posts=r.posts,
            filled=r.filled,
            alts=r.alts,
            alts_at_high_risk=r.alts_at_high_risk,
            open_cases=r.open_cases,
            renewal_date=r.renewal_date,
            tender_date=r.tender_date,
            status=r.status.value,
            reasons=[n.detail for n in r.notes],
        )
        for c in found
        for r in c.contracts
    )


def _cell(value: float | None, places: int, missing: str) -> str:
    return missing if value is None else f"{value:.{places}f}"


def _print(found: list[ContractHealthOut], console: Console) -> None:
    for c in found:
        title = _("{company}: {at_risk} at risk, {watch} to watch, {ok} OK").format(
            company=c.company, at_risk=c.at_risk, watch=c.watch, ok=c.ok
        )
        table = Table(title=title)
        for head in (
            _("Contract"),
            _("Status"),
            _("Coverage"),
            _("School satisfaction"),
            _("Retention risk"),
            _("Open cases"),
            _("Renewal date"),
            _("Why"),
        ):
            table.add_column(head)
        for r in c.contracts:
            table.add_row(
                r.reference,
                r.status_label,
                _cell(r.coverage, 2, "-"),
                _cell(r.school_satisfaction, 1, _("No survey yet")),
                _cell(r.retention_risk, 1, "-"),
                str(r.open_cases),
                r.renewal_date.isoformat() if r.renewal_date else "",
                " ".join(n.detail for n in r.notes),
            )
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to `altmatch dispatch`."""
    app.command("contract-health")(contract_health_command)
