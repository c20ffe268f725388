"""`altmatch privacy purge`: erase the records kept after their people deleted their accounts,
once the rulebook's retention period has passed (`altmatch serve` does it with its sweep)."""

from __future__ import annotations

from datetime import date

import typer

from altmatch.cli.sessions import cli_sessions
from altmatch.services.personal_data import purge_expired

privacy_app = typer.Typer(help="Personal data: the retention purge.", no_args_is_help=True)


@privacy_app.command("purge")
def purge(
    on: str | None = typer.Option(
        None, "--on", help="Purge as of this day (YYYY-MM-DD, Japan); default today."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Erase every kept record (contract, roster entry, hire's application, support case)
    whose retention period ended before the day; safe to repeat, for cron."""
    try:
        today = date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"{on!r} is not a YYYY-MM-DD date", None) from None
    with cli_sessions() as sessions:
        found = purge_expired(sessions, today=today)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    typer.echo(f"Erased {found.total} kept record(s) whose retention ended before {found.on}.")
    for entity, count in found.erased.items():
        typer.echo(f"  {entity}: {count}")
