"""`altmatch users` and `altmatch orgs`: the operator's account administration."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from altmatch.cli.sessions import cli_sessions
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.i18n import render
from altmatch.services.accounts.two_factor import reset_two_factor
from altmatch.services.accounts.users import (
    create_organisation,
    create_user,
    list_organisations,
    list_users,
    reset_password,
    set_user_disabled,
)
from altmatch.services.kernel.errors import RuleError

users_app = typer.Typer(
    help="User accounts: create, list, reset passwords and two-factor sign-in.",
    no_args_is_help=True,
)
orgs_app = typer.Typer(
    help="Organisations (the programme, BoEs, dispatch companies).", no_args_is_help=True
)


def _fail(exc: RuleError) -> NoReturn:
    where = f"{exc.field}: " if exc.field else ""
    typer.echo(f"error: {where}{render(exc.message, 'en')}", err=True)
    raise typer.Exit(2) from exc


def _password(from_stdin: bool) -> str:
    """From the first line of standard input (for scripts), else typed twice, hidden."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("create")
def users_create(
    email: str = typer.Option(..., "--email", help="Sign-in email (stored lower-cased)."),
    name: str = typer.Option(..., "--name", help="Name shown in the app."),
    role: Role = typer.Option(..., "--role", help="What the user may do."),
    organisation: int | None = typer.Option(
        None, "--organisation", help="Organisation ID; staff roles need one of the right kind."
    ),
    locale: str = typer.Option("en", "--locale", help="Preferred language: en or ja."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create a user account (administrators included)."""
    password = _password(password_stdin)
    with cli_sessions() as sessions:
        try:
            user = create_user(
                sessions,
                actor=OPERATOR,
                email=email,
                display_name=name,
                role=role,
                password=password,
                organisation_id=organisation,
                locale=locale,
            )
        except RuleError as exc:
            _fail(exc)
    typer.echo(f"created user {user.id}: {user.email} ({user.role.value})")


@users_app.command("reset-password")
def users_reset_password(
    email: str = typer.Argument(..., help="The user's email."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the new password from standard input."
    ),
) -> None:
    """Set a new password; the user is signed out everywhere."""
    password = _password(password_stdin)
    with cli_sessions() as sessions:
        try:
            user = reset_password(sessions, actor=OPERATOR, email=email, new_password=password)
        except RuleError as exc:
            _fail(exc)
    typer.echo(f"password reset for {user.email}; their sessions were ended")


@users_app.command("disable")
def users_disable(email: str = typer.Argument(..., help="The user's email.")) -> None:
    """Stop a user from signing in and end their sessions."""
    _set_disabled(email, disabled=True)


@users_app.command("enable")
def users_enable(email: str = typer.Argument(..., help="The user's email.")) -> None:
    """Let a disabled user sign in again."""
    _set_disabled(email, disabled=False)


def _set_disabled(email: str, *, disabled: bool) -> None:
    with cli_sessions() as sessions:
        try:
            user = set_user_disabled(sessions, actor=OPERATOR, email=email, disabled=disabled)
        except RuleError as exc:
            _fail(exc)
    typer.echo(f"{user.email} is now {'disabled' if user.disabled else 'enabled'}")


@users_app.command("reset-two-factor")
def users_reset_two_factor(email: str = typer.Argument(..., help="The user's email.")) -> None:
    """Turn a staff member's two-factor sign-in off (a lost phone and no recovery codes left);
    they sign in with their password and set it up again. Recorded in the audit log."""
    with cli_sessions() as sessions:
        try:
            result = reset_two_factor(sessions, OPERATOR, email)
        except RuleError as exc:
            _fail(exc)
    state = "was on, now off" if result.was_enabled else "was not on; nothing to turn off"
    typer.echo(f"two-factor sign-in for {result.email} {state}")


@users_app.command("list")
def users_list() -> None:
    """Every user, one per line: id, email, role, organisation id, status, name."""
    with cli_sessions() as sessions:
        users = list_users(sessions, actor=OPERATOR)
    for u in users:
        org = str(u.organisation.id) if u.organisation else "-"
        status = "disabled" if u.disabled else "active"
        typer.echo(f"{u.id}\t{u.email}\t{u.role.value}\t{org}\t{status}\t{u.display_name}")


@orgs_app.command("create")
def orgs_create(
    kind: OrgKind = typer.Option(..., "--kind", help="programme, boe or company."),
    name_en: str = typer.Option(..., "--name-en", help="Name in English."),
    name_ja: str = typer.Option(..., "--name-ja", help="Name in Japanese."),
    prefecture: str | None = typer.Option(None, "--prefecture", help="For a BoE."),
    municipality: str | None = typer.Option(None, "--municipality", help="For a city BoE."),
    programme: int | None = typer.Option(
        None, "--programme", help="ID of the programme a BoE takes part in."
    ),
) -> None:
    """Create an organisation (a tenant)."""
    with cli_sessions() as sessions:
        try:
            org = create_organisation(
                sessions,
                actor=OPERATOR,
                kind=kind,
                name_en=name_en,
                name_ja=name_ja,
                prefecture=prefecture,
                municipality=municipality,
                programme_id=programme,
            )
        except RuleError as exc:
            _fail(exc)
    typer.echo(f"created organisation {org.id}: {org.name_en} ({org.kind.value})")


@orgs_app.command("list")
def orgs_list() -> None:
    """Every organisation, one per line: id, kind, programme id, English and Japanese names."""
    with cli_sessions() as sessions:
        orgs = list_organisations(sessions, actor=OPERATOR)
    for o in orgs:
        programme = str(o.programme_id) if o.programme_id else "-"
        typer.echo(f"{o.id}\t{o.kind.value}\t{programme}\t{o.name_en}\t{o.name_ja}")
