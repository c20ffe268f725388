"""`altmatch season interview-assign OFFICE --season N [--commit] [--json]`: assign the
screened-in applicants of a recruiting office who have no interview slot yet
(services.season.interview_planner), as the operator.

Without `--commit` it prints the plan and writes nothing; with it, the same plan is booked, all
or nothing, and each candidate is told. Exit 2 for an unknown office or season.
"""

from __future__ import annotations

import json

import typer
from sqlalchemy import select

from altmatch.cli.exits import fail
from altmatch.cli.season.app import season_app
from altmatch.cli.sessions import cli_sessions
from altmatch.db.models import RecruitingOffice, SeasonRow
from altmatch.domain.access import OPERATOR, AccessDeniedError
from altmatch.i18n import label, render
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.interview_assignment import (
    AssignmentOut,
    confirm_assignment,
    preview_assignment,
)


@season_app.command("interview-assign")
def interview_assign_command(
    office: str = typer.Argument(..., help="The office's code (see `altmatch season offices`)."),
    season: int = typer.Option(..., "--season", help="The season's id."),
    commit: bool = typer.Option(False, "--commit", help="Book the plan (default: show it only)."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show (or with --commit book) who gets which interview slot, and who waits and why."""
    with cli_sessions() as sessions:
        with sessions() as session:
            row = session.get(SeasonRow, season)
            office_id = (
                session.scalar(
                    select(RecruitingOffice.id).where(
                        RecruitingOffice.programme_id == row.programme_id,
                        RecruitingOffice.code == office,
                    )
                )
                if row is not None
                else None
            )
        if row is None:
            fail([f"error: no season {season}"])
        if office_id is None:
            fail([f"error: no office {office!r} in the programme of season {season}"])
        try:
            plan = preview_assignment(sessions, OPERATOR, office_id, season)
            if commit and plan.seats:
                plan = confirm_assignment(sessions, OPERATOR, office_id, season, plan.plan)
        except RuleError as exc:
            fail([f"error: {render(exc.message, 'en')}"])
        except AccessDeniedError:
            fail([f"error: no office {office!r} or season {season}"])
    _print(plan, as_json=as_json, booked=commit)


def _print(plan: AssignmentOut, *, as_json: bool, booked: bool) -> None:
    if as_json:
        typer.echo(json.dumps({**plan.model_dump(mode="json"), "booked": booked}, indent=2))
        return
    typer.echo("reference\tname\tpanel\toffice time\tcandidate time")
    for s in plan.seats:
        row = (s.reference_number, s.name, s.panel_code, s.office_time)
        typer.echo("\t".join((*row, f"{s.candidate_time} ({s.candidate_zone})")))
    for u in plan.unseated:
        typer.echo(f"{u.reference_number}\t{u.name}\t-\t-\t{label(u.reason)}")
    verb = "booked" if booked else "would be booked (run again with --commit)"
    typer.echo(f"{len(plan.seats)} slot(s) {verb}; {len(plan.unseated)} without a slot")
