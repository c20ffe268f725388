"""`altmatch support send-emails` and `altmatch support metrics`: e-mail the pending notices,
and print support quality per employer."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import require_locale
from altmatch.cli.sessions import cli_sessions
from altmatch.config import Settings
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.services.support.email import send_pending_emails
from altmatch.services.support.metrics import (
    SupportMetricsOut,
    employer_support_metrics,
    share_text,
)


def send_emails_command() -> None:
    """E-mail every notice not yet e-mailed through ALTMATCH_SMTP_HOST, in each reader's
    language; a notice that fails is tried again on the next run (exit status 1)."""
    settings = Settings()
    err = Console(stderr=True)
    if settings.smtp_host is None:
        typer.echo("ALTMATCH_SMTP_HOST is not set: no e-mail sent (notices stay in-app).")
        return
    with cli_sessions() as sessions:
        run = send_pending_emails(sessions, settings)
    typer.echo(f"Sent {run.sent} e-mail(s); {len(run.failed)} failed.")
    for failed in run.failed:
        err.print(
            f"notification {failed.notification_id}: {failed.error}", markup=False, soft_wrap=True
        )
    if run.failed:
        raise typer.Exit(1)


def metrics_command(
    org: int | None = typer.Option(None, "--org", help="ID of one BoE or company."),
    as_json: bool = typer.Option(False, "--json", help="Print the read model as JSON."),
    lang: str = typer.Option("en", "--lang", help="Language of the table: en or ja."),
) -> None:
    """Support quality per employer: closed cases, median first response in business hours,
    share resolved within target, reopen rate (no figures below the rulebook's minimum)."""
    err = Console(stderr=True)
    require_locale(lang)
    with cli_sessions() as sessions:
        try:
            found = employer_support_metrics(sessions, OPERATOR, organisation_id=org, locale=lang)
        except NotFoundError as exc:
            err.print(
                f"error: --org: no BoE or company with ID {org}", markup=False, soft_wrap=True
            )
            raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    with use_locale(lang):
        _print(found, Console(width=140))


def _print(found: SupportMetricsOut, console: Console) -> None:
    table = Table(title=_("Support quality per employer"))
    table.add_column(_("Employer"))
    for head in (
        _("Closed cases"),
        _("Median first response (business hours)"),
        _("Resolved within target"),
        _("Reopen rate"),
    ):
        table.add_column(head, justify="right")
    for e in found.employers:
        if not e.shown:
            table.add_row(f"{e.name} ({e.organisation_id})", e.note or "", "", "", "")
            continue
        hours = e.median_first_response_hours
        within = e.resolved_within_target
        table.add_row(
            f"{e.name} ({e.organisation_id})",
            str(e.cases),
            "-" if hours is None else f"{hours:.1f}",
            "-" if within is None else share_text(within),
            share_text(e.reopen_rate or 0.0),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to `altmatch support`."""
    app.command("send-emails")(send_emails_command)
    app.command("metrics")(metrics_command)
