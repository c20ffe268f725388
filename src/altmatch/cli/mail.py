"""`altmatch mail`: send the account e-mails still waiting, and read the ones written to the
mail folder while no SMTP server is set (ALTMATCH_MAIL_SINK), to follow their links."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.sessions import cli_sessions
from altmatch.config import Settings
from altmatch.services.accounts.mail import send_account_mail
from altmatch.services.kernel.mail import FolderMessage, folder_messages

mail_app = typer.Typer(
    help="Account e-mails: send those waiting; list and show the mail folder.",
    no_args_is_help=True,
)


@mail_app.command("send")
def send_command() -> None:
    """Send every account e-mail still waiting (address confirmations, sign-up notices,
    invitations): through ALTMATCH_SMTP_HOST, or into the mail folder without it. One that
    fails is tried again by the next run (exit status 1)."""
    settings = Settings()
    with cli_sessions() as sessions:
        run = send_account_mail(sessions, settings)
    where = settings.smtp_host or str(settings.mail_folder)
    typer.echo(f"Sent {run.sent} account e-mail(s) to {where}; {len(run.failed)} failed.")
    err = Console(stderr=True)
    for failed in run.failed:
        err.print(failed, markup=False, soft_wrap=True)
    if run.failed:
        raise typer.Exit(1)


@mail_app.command("list")
def list_command(
    to: str | None = typer.Option(None, "--to", help="Only those to this address."),
) -> None:
    """The e-mails in the mail folder, oldest first."""
    settings = Settings()
    found = _messages(settings, to)
    if not found:
        typer.echo(f"No e-mail in {settings.mail_folder}.")
        return
    table = Table(title=str(settings.mail_folder))
    for head in ("#", "file", "to", "subject"):
        table.add_column(head)
    for number, item in enumerate(found, start=1):
        table.add_row(str(number), item.name, item.to, item.subject)
    Console(width=160).print(table)


@mail_app.command("show")
def show_command(
    which: str | None = typer.Argument(
        None, help="A number or file name from `altmatch mail list`; the newest if left out."
    ),
    to: str | None = typer.Option(None, "--to", help="The newest to this address."),
) -> None:
    """Print one e-mail of the mail folder, with its link."""
    settings = Settings()
    found = _messages(settings, to)
    chosen = _pick(found, which)
    if chosen is None:
        typer.echo(f"error: no such e-mail in {settings.mail_folder}", err=True)
        raise typer.Exit(2)
    typer.echo(f"File: {chosen.name}\nTo: {chosen.to}\nSubject: {chosen.subject}\n")
    typer.echo(chosen.body)


def _messages(settings: Settings, to: str | None) -> list[FolderMessage]:
    found = folder_messages(settings.mail_folder)
    if to is not None:
        wanted = to.strip().lower()
        found = [m for m in found if m.to.lower() == wanted]
    return found


def _pick(found: list[FolderMessage], which: str | None) -> FolderMessage | None:
    if not found:
        return None
    if which is None:
        return found[-1]
    if which.isdigit():
        number = int(which)
        return found[number - 1] if 1 <= number <= len(found) else None
    return next((m for m in found if m.name == which), None)
