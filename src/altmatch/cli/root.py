"""Root Typer app: serve, worker, advise, match, upgrade, chances, demo, export, import, db,
users, orgs, dispatch, postings, support, privacy, mail."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from altmatch import __version__
from altmatch.cli.accounts.users import orgs_app, users_app
from altmatch.cli.advice.advise import advise_command
from altmatch.cli.backup import export_command, import_command
from altmatch.cli.db import db_app
from altmatch.cli.demo import demo_command
from altmatch.cli.direct_hire.postings import postings_app
from altmatch.cli.dispatch.app import dispatch_app
from altmatch.cli.mail import mail_app
from altmatch.cli.privacy import privacy_app
from altmatch.cli.season.chances import chances_command
from altmatch.cli.season.match import match_command, upgrade_command
from altmatch.cli.serve import serve_command
from altmatch.cli.support.app import support_app
from altmatch.cli.worker import worker_command
from altmatch.config import Settings
from altmatch.rulebook import RulebookError, use_edition

app = typer.Typer(
    name="altmatch",
    help="Placement and operations for Japan's Assistant Language Teachers.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _installation() -> None:
    # Every command works with the rulebook edition the installation chose.
    try:
        year = Settings().rulebook_year
    except ValidationError:
        return  # a command that needs the settings reports what is wrong with them
    try:
        use_edition(year)
    except RulebookError as exc:
        typer.echo(f"error: ALTMATCH_RULEBOOK_YEAR: {exc}", err=True)
        raise typer.Exit(2) from exc


app.command("serve")(serve_command)
app.command("worker")(worker_command)
app.command("advise")(advise_command)
app.command("match")(match_command)
app.command("upgrade")(upgrade_command)
app.command("chances")(chances_command)
app.command("demo")(demo_command)
app.command("export")(export_command)
app.command("import")(import_command)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(orgs_app, name="orgs")
app.add_typer(dispatch_app, name="dispatch")
app.add_typer(postings_app, name="postings")
app.add_typer(support_app, name="support")
app.add_typer(privacy_app, name="privacy")
app.add_typer(mail_app, name="mail")


@app.command("version")
def version_command() -> None:
    """Print the installed altmatch version."""
    typer.echo(__version__)
