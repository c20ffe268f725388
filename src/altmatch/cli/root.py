"""Root Typer app: serve, worker, advise, match, upgrade, chances, demo, export, import, db,
users, orgs, dispatch, postings, support, privacy, mail, season, interviews."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from altmatch import __version__
from altmatch.cli.lazy import LazyCommand, LazyGroup
from altmatch.config import Settings
from altmatch.rulebook import RulebookError, use_edition


class RootGroup(LazyGroup):
    """Every command but `version`, imported only when it runs."""

    LAZY = {  # noqa: RUF012
        "serve": LazyCommand(
            "altmatch.cli.serve:serve_command",
            "Start the web app (pages and /api/v1) on the configured database.",
        ),
        "worker": LazyCommand(
            "altmatch.cli.worker:worker_command",
            "Run queued jobs: matches, chances and imports (needs ALTMATCH_REDIS_URL); start as "
            "many as you like.",
        ),
        "advise": LazyCommand(
            "altmatch.cli.advice.advise:advise_command",
            "Compare JET, dispatch and direct hire for the profile in PROFILE.",
        ),
        "match": LazyCommand(
            "altmatch.cli.season.match:match_command",
            "Place a season's candidates into its requests: stable, explained, reproducible.",
        ),
        "upgrade": LazyCommand(
            "altmatch.cli.season.match:upgrade_command",
            "Withdraw candidates from a finished run and fill their places (vacancy chains).",
        ),
        "chances": LazyCommand(
            "altmatch.cli.season.chances:chances_command",
            "Estimate every candidate's chance of placement, with 95% intervals, and why not.",
        ),
        "demo": LazyCommand(
            "altmatch.cli.demo:demo_command",
            "Write a demo season (47 prefectures, real place names) for `altmatch match`, or "
            "seed the database with it (--db) for the web app.",
        ),
        "export": LazyCommand(
            "altmatch.cli.backup:export_command",
            "Write every table of the configured database (ALTMATCH_DATABASE_URL) to FILE.",
        ),
        "import": LazyCommand(
            "altmatch.cli.backup:import_command",
            "Load FILE into the configured database, all or nothing, and verify every table.",
        ),
        "db": LazyCommand("altmatch.cli.db:db_app", "Database schema management."),
        "users": LazyCommand(
            "altmatch.cli.accounts.users:users_app",
            "User accounts: create, list, reset passwords and two-factor sign-in.",
        ),
        "orgs": LazyCommand(
            "altmatch.cli.accounts.users:orgs_app",
            "Organisations (the programme, BoEs, dispatch companies).",
        ),
        "dispatch": LazyCommand(
            "altmatch.cli.dispatch.app:dispatch_app",
            "A dispatch company's contracts, roster, assignment, coverage and transfers.",
        ),
        "postings": LazyCommand(
            "altmatch.cli.direct_hire.postings:postings_app",
            "Direct-hire postings and applications.",
        ),
        "support": LazyCommand(
            "altmatch.cli.support.app:support_app", "Support cases, routing and escalation."
        ),
        "privacy": LazyCommand(
            "altmatch.cli.privacy:privacy_app", "Personal data: the retention purge."
        ),
        "sweep": LazyCommand(
            "altmatch.cli.sweep:sweep_command",
            "Run the periodic work once (deadline notices, due transfers, escalation, e-mail), "
            "for cron.",
        ),
        "mail": LazyCommand(
            "altmatch.cli.mail:mail_app",
            "Account e-mails: send those waiting; list and show the mail folder.",
        ),
        "season": LazyCommand(
            "altmatch.cli.season.app:season_app",
            "A placement season in the database: calibrate its interview panels' scores.",
        ),
        "interviews": LazyCommand(
            "altmatch.cli.interviews.app:interviews_app",
            "Interview panels: calibrate assessors' severities so candidates compare on one scale.",
        ),
    }


app = typer.Typer(
    name="altmatch",
    help="Placement and operations for Japan's Assistant Language Teachers.",
    no_args_is_help=True,
    add_completion=False,
    cls=RootGroup,
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


@app.command("version")
def version_command() -> None:
    """Print the installed altmatch version."""
    typer.echo(__version__)
