"""`altmatch season offices` and `altmatch season office-staff`: a programme's recruiting
offices and who screens for each (services.season.recruiting_offices), as the operator.

`offices` lists each office with the countries it serves, its time zone, its submitted
applications and its screeners; `office-staff CODE EMAIL` adds a programme coordinator as one
of an office's screeners (`--remove` takes them off). Screeners see only their offices' queues.
"""

from __future__ import annotations

import typer
from sqlalchemy import select

from altmatch.cli.exits import fail
from altmatch.cli.season.app import season_app
from altmatch.cli.sessions import cli_sessions
from altmatch.db import Sessions
from altmatch.db.models import Organisation, RecruitingOffice, User
from altmatch.domain.access import OPERATOR, AccessDeniedError
from altmatch.i18n import render
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.recruiting_offices import list_offices, set_office_staff

PROGRAMME = typer.Option(
    None, "--programme", help="The programme's organisation id; needed when there are several."
)


def _programme(sessions: Sessions, programme: int | None) -> int:
    with sessions() as session:
        ids = list(session.scalars(select(Organisation.id).where(Organisation.kind == "programme")))
    if programme is not None:
        if programme not in ids:
            fail([f"error: no programme {programme} (programmes: {ids})"])
        return programme
    if len(ids) != 1:
        fail([f"error: name the programme with --programme (programmes: {ids})"])
    return ids[0]


@season_app.command("offices")
def offices_command(programme: int | None = PROGRAMME) -> None:
    """List the programme's recruiting offices, their countries and screeners (tab-separated)."""
    with cli_sessions() as sessions:
        found = list_offices(sessions, OPERATOR, _programme(sessions, programme))
    typer.echo("code\tcountries\ttime zone\te-mail\tsubmitted\tscreeners\tname")
    for o in found:
        screeners = ",".join(s.email for s in o.staff) or "-"
        row = (o.code, " ".join(o.countries), o.time_zone, o.email, str(o.submitted), screeners)
        typer.echo("\t".join((*row, o.name_en)))


@season_app.command("office-staff")
def office_staff_command(
    office: str = typer.Argument(..., help="The office's code (see `altmatch season offices`)."),
    email: str = typer.Argument(..., help="A coordinator of the programme, by e-mail."),
    remove: bool = typer.Option(False, "--remove", help="Take them off the office's staff."),
    programme: int | None = PROGRAMME,
) -> None:
    """Add a programme coordinator as one of an office's screeners (or remove them)."""
    with cli_sessions() as sessions:
        programme_id = _programme(sessions, programme)
        with sessions() as session:
            office_id = session.scalar(
                select(RecruitingOffice.id).where(
                    RecruitingOffice.programme_id == programme_id, RecruitingOffice.code == office
                )
            )
            user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
        if office_id is None:
            fail([f"error: no office {office!r} in programme {programme_id}"])
        if user_id is None:
            fail([f"error: no user {email!r}"])
        try:
            out = set_office_staff(sessions, OPERATOR, office_id, user_id, member=not remove)
        except RuleError as exc:
            fail([f"error: {render(exc.message, 'en')}"])
        except AccessDeniedError:
            fail([f"error: no office {office!r}"])
    staff = ", ".join(s.email for s in out.staff) or "-"
    typer.echo(f"{out.code}: screeners {staff}")
