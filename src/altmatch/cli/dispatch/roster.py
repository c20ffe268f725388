"""`altmatch dispatch contracts | import-positions | tenders | roster | import-roster |
export-roster`: a company's contracts, tenders and roster, run as the operator.

A bad file exits with code 2 and prints every problem as `file:row:column: message` on stderr;
nothing is stored unless every row is right.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import typer
from pydantic import BaseModel

from altmatch.cli.sessions import cli_sessions
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, AccessDeniedError
from altmatch.i18n import render
from altmatch.io.export import Format
from altmatch.io.limits import ImportLimits
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.contracts import get_contract, import_positions, list_contracts
from altmatch.services.dispatch.roster import (
    RosterFilters,
    export_roster,
    import_roster,
    list_roster,
)
from altmatch.services.dispatch.tenders import list_tenders
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.imports import ImportOut

T = TypeVar("T")
COMPANY = typer.Option(..., "--company", help="The company's organisation ID (altmatch orgs list).")
JSON_OUT = typer.Option(False, "--json", help="Print the JSON the API would answer.")


def _fail(problems: list[str]) -> NoReturn:
    for problem in problems:
        typer.echo(problem, err=True)
    raise typer.Exit(2)


def _run(action: Callable[[Sessions], T]) -> T:
    """Run a service as the operator; refusals become one line on stderr and exit code 2."""
    with cli_sessions() as sessions:
        try:
            return action(sessions)
        except RuleError as exc:
            where = f"{exc.field}: " if exc.field else ""
            _fail([f"error: {where}{render(exc.message, 'en')}"])
        except AccessDeniedError as exc:
            _fail([f"error: no such {exc} (check the id; `altmatch orgs list` shows companies)"])


def _json(model: BaseModel) -> None:
    typer.echo(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _limits() -> ImportLimits:
    return ImportLimits.from_settings(Settings())


def _read(path: Path, limits: ImportLimits) -> bytes:
    try:
        if path.stat().st_size > limits.max_bytes:
            _fail([f"{path}:0:-: file is over {limits.max_bytes:,} bytes"])
        return path.read_bytes()
    except OSError as exc:
        _fail([f"{path}:0:-: cannot read: {exc.strerror or exc}"])


def _report(result: ImportOut, path: Path, what: str) -> None:
    if result.errors:
        _fail([f"{path}:{e.row}:{e.column}: {e.message}" for e in result.errors])
    typer.echo(f"imported {result.rows} {what} from {path}")


def contracts_command(company: int = COMPANY, as_json: bool = JSON_OUT) -> None:
    """List the company's contracts: BoE, type, term, price, ALTs and monthly value."""
    found = _run(lambda s: list_contracts(s, OPERATOR, company_id=company))
    if as_json:
        _json(found)
        return
    for c in found.contracts:
        renewal = c.renewal_date.isoformat() if c.renewal_date else "-"
        typer.echo(
            f"{c.id}\t{c.reference}\t{c.boe}\t{c.contract_type.value}\t{c.start}..{c.end}"
            f"\trenewal {renewal}\t¥{c.price_per_alt_month:,}/ALT-month\t{c.filled}/{c.alts} ALTs"
            f"\t¥{c.monthly_value:,}/month"
        )
    if not found.contracts:
        typer.echo("no contracts")


def contract_command(
    contract: int = typer.Argument(..., help="The contract's ID."), as_json: bool = JSON_OUT
) -> None:
    """Show one contract with its positions and who works each."""
    found = _run(lambda s: get_contract(s, OPERATOR, contract))
    if as_json:
        _json(found)
        return
    typer.echo(f"{found.reference}: {found.boe} ({found.type.name}), {found.start}..{found.end}")
    for p in found.positions:
        who = f"{p.alt.name} ({p.alt.external_id})" if p.alt else "vacant"
        typer.echo(f"{p.position_id}\t{p.school}\t{p.days_per_week} days/week\t{who}")


def import_positions_command(
    file: Path = typer.Argument(
        ...,
        help="CSV or XLSX: position_id, school_id, days_per_week, "
        "requires_driving_licence, min_jlpt.",
    ),
    contract: int = typer.Option(..., "--contract", help="The contract's ID."),
    check: bool = typer.Option(False, "--check", help="Only check the file; store nothing."),
) -> None:
    """Add positions to a contract from a file: every row or none."""
    limits = _limits()
    content = _read(file, limits)
    result = _run(
        lambda s: import_positions(
            s,
            OPERATOR,
            contract,
            content=content,
            filename=str(file),
            commit=not check,
            limits=limits,
        )
    )
    if check and not result.errors:
        typer.echo(f"{file}: {result.rows} positions are ready to import")
        return
    _report(result, file, "positions")


def tenders_command(company: int = COMPANY, as_json: bool = JSON_OUT) -> None:
    """List the company's tenders with their outcomes and the win rate."""
    found = _run(lambda s: list_tenders(s, OPERATOR, company_id=company))
    if as_json:
        _json(found)
        return
    for t in found.tenders:
        link = f"\tcontract {t.contract_reference}" if t.contract_reference else ""
        typer.echo(
            f"{t.id}\t{t.submitted_on}\t{t.boe}\t{t.title}\t{t.requested_alts} ALTs"
            f"\t¥{t.bid_price_per_alt_month:,}\t{t.outcome}{link}"
        )
    rate = found.summary.win_rate
    shown = "-" if rate is None else f"{rate:.0%}"
    s = found.summary
    typer.echo(f"won {s.won}, lost {s.lost}, pending {s.pending}; win rate {shown}")


def roster_command(
    company: int = COMPANY,
    renewal: RenewalIntention | None = typer.Option(
        None, "--renewal", help="Only ALTs with this renewal intention."
    ),
    prefecture: str | None = typer.Option(None, "--prefecture", help="Only ALTs living here."),
    as_json: bool = JSON_OUT,
) -> None:
    """List the company's ALTs with contract end, renewal intention and onboarding progress."""
    filters = RosterFilters(renewal_intention=renewal, prefecture=prefecture)
    found = _run(lambda s: list_roster(s, OPERATOR, filters=filters, company_id=company))
    if as_json:
        _json(found)
        return
    for a in found.alts:
        where = f"{a.current.contract_reference}/{a.current.position}" if a.current else "-"
        typer.echo(
            f"{a.id}\t{a.alt_id}\t{a.name}\t{a.home_municipality}, {a.home_prefecture}"
            f"\tends {a.contract_end}\t{a.renewal_intention.value}"
            f"\tonboarding {a.checklist_done}/{a.checklist_total}\t{where}"
        )
    typer.echo(f"{len(found.alts)} of {found.total} ALTs")


def import_roster_command(
    file: Path = typer.Argument(
        ..., help="CSV or XLSX in the roster columns (docs/formats/dispatch.md)."
    ),
    company: int = COMPANY,
    check: bool = typer.Option(False, "--check", help="Only check the file; store nothing."),
) -> None:
    """Add or update the company's ALTs by alt_id from a file: every row or none."""
    limits = _limits()
    content = _read(file, limits)
    result = _run(
        lambda s: import_roster(
            s,
            OPERATOR,
            content=content,
            filename=str(file),
            commit=not check,
            company_id=company,
            limits=limits,
        )
    )
    if check and not result.errors:
        typer.echo(f"{file}: {result.rows} ALTs are ready to import")
        return
    _report(result, file, "ALTs")


def export_roster_command(
    out: Path = typer.Argument(..., help="The file to write: .csv or .xlsx."),
    company: int = COMPANY,
) -> None:
    """Write the roster (import columns plus checklist and assignment), formula-safe."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        _fail([f"{out}: name a .csv or .xlsx file"])
    fmt: Format = "csv" if suffix == "csv" else "xlsx"
    content = _run(lambda s: export_roster(s, OPERATOR, fmt, company_id=company))
    out.write_bytes(content)
    typer.echo(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to `altmatch dispatch`."""
    app.command("contracts")(contracts_command)
    app.command("contract")(contract_command)
    app.command("import-positions")(import_positions_command)
    app.command("tenders")(tenders_command)
    app.command("roster")(roster_command)
    app.command("import-roster")(import_roster_command)
    app.command("export-roster")(export_roster_command)
