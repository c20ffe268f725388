"""`altmatch dispatch transfers` and `altmatch dispatch transfer-propose`: a company's transfer
requests and the optimiser's proposal for one, from the command line (as the operator)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.sessions import cli_sessions
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.i18n import render
from altmatch.services.dispatch.transfers import (
    get_transfer,
    list_company_transfers,
    propose_transfer_moves,
)
from altmatch.services.kernel.errors import RuleError


def transfers(
    company: int = typer.Option(..., "--company", help="The company's organisation id."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List a company's transfer requests, pending first."""
    with cli_sessions() as sessions:
        try:
            found = list_company_transfers(sessions, OPERATOR, company_id=company)
        except NotFoundError:
            typer.echo(f"error: there is no company {company}", err=True)
            raise typer.Exit(2) from None
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    table = Table(title="Transfer requests")
    for col in ("Id", "ALT", "Now at", "To", "Status", "Requested"):
        table.add_column(col)
    for t in found.transfers:
        area = f"{t.to_municipality}, {t.to_prefecture}" if t.to_municipality else t.to_prefecture
        when = t.created_at.date().isoformat()
        table.add_row(str(t.id), t.alt, t.current_position or "-", area, t.status, when)
    Console().print(table)


def transfer_propose(
    transfer_id: int = typer.Argument(..., help="The transfer request's id."),
    company: int = typer.Option(..., "--company", help="The company's organisation id."),
) -> None:
    """Ask the optimiser for moves that bring the ALT into the requested area."""
    with cli_sessions() as sessions:
        try:
            t = get_transfer(sessions, OPERATOR, transfer_id, company_id=company)
            t = propose_transfer_moves(
                sessions, OPERATOR, transfer_id, version=t.version, company_id=company
            )
        except NotFoundError:
            typer.echo(f"error: company {company} has no transfer request {transfer_id}", err=True)
            raise typer.Exit(2) from None
        except RuleError as exc:
            typer.echo(f"error: {render(exc.message, 'en')}", err=True)
            raise typer.Exit(2) from None
    p = t.proposal
    assert p is not None
    if not p.feasible:
        typer.echo("No proposal keeps coverage:")
        for reason in p.reasons:
            typer.echo(f"  {reason}")
        return
    typer.echo(f"Proposal ({p.kind}); positions filled {p.filled_before} -> {p.filled_after}:")
    for m in p.moves:
        typer.echo(f"  {m.alt}: {m.from_position or '-'} -> {m.to_position or '-'}")


def register(app: typer.Typer) -> None:
    """Add `altmatch dispatch transfers` and `altmatch dispatch transfer-propose`."""
    app.command("transfers")(transfers)
    app.command("transfer-propose")(transfer_propose)
