"""`altmatch sweep`: the periodic work `altmatch serve` runs on a timer, run once (for cron when
the server's sweep is off, ALTMATCH_SUPPORT_SWEEP_MINUTES=0, or when several servers share one
database and none of them should sweep)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import typer

from altmatch.cli.sessions import cli_sessions
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.services.dispatch.compliance import remind_compliance
from altmatch.services.dispatch.renewal_asks import ask_renewals
from altmatch.services.dispatch.survey_links import send_survey_mail
from altmatch.services.dispatch.transfers import apply_due_transfers
from altmatch.services.personal_data import purge_expired
from altmatch.services.season.interview_booking import remind_interviews
from altmatch.services.season.notices import announce_locked_requests
from altmatch.services.support.sweep import sweep_support


def periodic_tasks(
    sessions: Sessions, settings: Settings | None = None
) -> Sequence[tuple[str, Callable[[], object]]]:
    """The periodic work besides the support sweep, by name: one list for `serve` and `sweep`.
    They run before the support sweep's e-mail, so the notices they write go out at once."""
    mail_settings = settings or Settings()
    return (
        ("privacy purge", lambda: purge_expired(sessions)),
        ("request deadline notices", lambda: announce_locked_requests(sessions)),
        ("transfers taking effect", lambda: apply_due_transfers(sessions)),
        ("compliance reminders", lambda: remind_compliance(sessions)),
        ("renewal intentions and contract renewals", lambda: ask_renewals(sessions)),
        ("survey e-mails and reminders", lambda: send_survey_mail(sessions, mail_settings)),
        ("interview reminders", lambda: remind_interviews(sessions)),
    )


def sweep_command(
    on: str | None = typer.Option(
        None, "--transfers-on", help="Apply the transfers due on this date (YYYY-MM-DD) too."
    ),
) -> None:
    """Run the periodic work once (deadline notices, due transfers, escalation, e-mail), for cron.

    In order: purge expired records, announce passed request deadlines, apply due transfers,
    remind dispatch companies of compliance deadlines, ask dispatch ALTs whether they renew
    (and tell companies of unanswered asks and contract renewals), send survey e-mails and their
    reminders, remind candidates of their interviews, escalate overdue cases, then e-mail
    pending notices. Safe to repeat."""
    day = None
    if on is not None:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise typer.BadParameter(f"{on!r} is not a date (YYYY-MM-DD)", None) from None
    settings = Settings()
    with cli_sessions() as sessions:
        purged = purge_expired(sessions)
        told = announce_locked_requests(sessions)
        moved = apply_due_transfers(sessions, on=day)
        reminded = remind_compliance(sessions)
        renewals = ask_renewals(sessions)
        surveys = send_survey_mail(sessions, settings)
        interviews = remind_interviews(sessions)
        found = sweep_support(sessions, settings)
    typer.echo(f"privacy purge: {purged.total} kept record(s) erased")
    typer.echo(f"request deadlines announced to {told} Board(s) of Education")
    typer.echo(f"transfers: {moved.applied} applied, {moved.lapsed} returned to pending")
    typer.echo(f"compliance: {reminded} alert(s) reminded to dispatch companies")
    typer.echo(
        f"renewals: {renewals.asked} ALT(s) asked, {renewals.reminded} reminded, "
        f"{renewals.unanswered} unanswered and {renewals.contracts} contract renewal(s) "
        "told to companies"
    )
    typer.echo(
        f"surveys: {surveys.sent} sent, {surveys.reminders} reminded, {len(surveys.failed)} failed"
    )
    typer.echo(f"interviews: {interviews} candidate(s) reminded")
    typer.echo(f"support: {found.escalated} case(s) escalated, {found.emailed} notice(s) e-mailed")
