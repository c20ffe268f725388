"""`altmatch support ...`: an organisation's routing table and the escalation run (for cron);
the e-mail and metrics commands come from cli/support/email.py."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from altmatch.cli.sessions import cli_sessions
from altmatch.cli.support import email as support_email
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.domain.support import RouteRole
from altmatch.i18n import render
from altmatch.services.kernel.errors import RuleError
from altmatch.services.support.escalation import escalate_overdue
from altmatch.services.support.routing import RoutesOut, list_routes, set_role_handlers

support_app = typer.Typer(help="Support cases, routing and escalation.", no_args_is_help=True)
support_email.register(support_app)


def _pairs(values: list[str]) -> list[tuple[RouteRole, str]]:
    pairs = []
    for value in values:
        role, sep, email = value.partition("=")
        try:
            pairs.append((RouteRole(role.strip()), email.strip()))
        except ValueError:
            sep = ""
        if not sep or not email.strip():
            roles = ", ".join(r.value for r in RouteRole)
            raise typer.BadParameter(f"{value!r}: write ROLE=EMAIL, ROLE one of {roles}", None)
    return pairs


def _print(found: RoutesOut) -> None:
    typer.echo(f"Support route of {found.organisation} (organisation {found.organisation_id}):")
    for level, role in enumerate(found.roles, start=1):
        people = [f"{e.name} <{e.email}>" for e in found.entries if e.role == role]
        typer.echo(f"  {level}. {role.value}: {', '.join(people) or '(nobody)'}")


@support_app.command("routes")
def routes(
    org_id: int = typer.Argument(..., help="The BoE's or company's organisation id."),
    set_: list[str] = typer.Option(
        [],
        "--set",
        help="ROLE=EMAIL: make this staff user a handler of ROLE (repeat for several; the "
        "named roles' handlers are replaced, other roles are kept).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show (or, with --set, change) an organisation's support routing table."""
    pairs = _pairs(set_)
    with cli_sessions() as sessions:
        try:
            found = (
                set_role_handlers(sessions, OPERATOR, org_id, pairs)
                if pairs
                else list_routes(sessions, OPERATOR, org_id)
            )
        except NotFoundError:
            typer.echo(f"error: there is no BoE or company {org_id}", err=True)
            raise typer.Exit(2) from None
        except RuleError as exc:
            typer.echo(f"error: {render(exc.message, 'en')}", err=True)
            raise typer.Exit(2) from None
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    _print(found)


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date-time", None) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@support_app.command("escalate")
def escalate(
    now: str | None = typer.Option(
        None, "--now", help="Pretend it is this ISO date-time (UTC unless it says otherwise)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Escalate overdue cases and notify their new handlers (for cron; safe to repeat)."""
    at = _when(now)
    with cli_sessions() as sessions:
        found = escalate_overdue(sessions, at)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    typer.echo(f"Checked {found.checked} open case(s); escalated {len(found.escalated)}.")
    for e in found.escalated:
        typer.echo(
            f"  case {e.case_id}: level {e.from_level} -> {e.to_level} ({e.notified} notified)"
        )
