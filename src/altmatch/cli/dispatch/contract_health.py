"""`altmatch dispatch contract-health`: per contract, coverage, school satisfaction, retention
risk, open cases, renewal and tender dates and a status with reasons, as a table, JSON or
contract_health.csv."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import require_locale
from altmatch.cli.sessions import cli_sessions
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.io.contract_health_export import (
    CONTRACT_HEALTH,
    ContractHealthRow,
    contract_health_csv,
)
from altmatch.io.outputs import OutputError, write_folder
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
    err = Console(stderr=True)
    require_locale(lang)
    with cli_sessions() as sessions:
        try:
            found = companies_contract_health(
                sessions,
                OPERATOR,
                company_id=company,
                today=today.date() if today else None,
                locale=lang,
            )
        except NotFoundError as exc:
            err.print(
                f"error: --company: no dispatch company with ID {company}",
                markup=False,
                soft_wrap=True,
            )
            raise typer.Exit(2) from exc
    if out is not None:
        try:
            write_folder(out, {CONTRACT_HEALTH: contract_health_file(found)}, force=force)
        except OutputError as exc:
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from exc
    if as_json:
        data = [c.model_dump(mode="json") for c in found]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    with use_locale(lang):
        _print(found, Console(width=160))
        if out is not None:
            Console().print(_("Wrote {path}").format(path=out), markup=False)


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
