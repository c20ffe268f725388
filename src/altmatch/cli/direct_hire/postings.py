"""`altmatch postings ...`: direct-hire postings and the applications to them, read from the
command line (the open board as anyone sees it; a posting's applications as the operator)."""

from __future__ import annotations

import typer

from altmatch.cli.sessions import cli_sessions
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.i18n import gettext as _
from altmatch.i18n import normalize_locale, use_locale
from altmatch.rulebook.vocabulary import Jlpt, SchoolLevel
from altmatch.services.direct_hire.applications import boe_posting_detail
from altmatch.services.direct_hire.postings import list_open_postings

postings_app = typer.Typer(help="Direct-hire postings and applications.", no_args_is_help=True)


@postings_app.command("list")
def postings_list(
    prefecture: str | None = typer.Option(None, "--prefecture", help="Only this prefecture."),
    school_level: SchoolLevel | None = typer.Option(
        None, "--school-level", help="Only postings for this school level."
    ),
    jlpt: Jlpt | None = typer.Option(
        None, "--jlpt", help="Your JLPT level: postings asking for more are left out."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON read model."),
    lang: str = typer.Option("en", "--lang", help="Language of titles and labels: en or ja."),
) -> None:
    """The open direct-hire postings (closing date not passed), soonest closing first."""
    locale = normalize_locale(lang) or "en"
    with cli_sessions() as sessions:
        found = list_open_postings(
            sessions, locale=locale, prefecture=prefecture, school_level=school_level, jlpt=jlpt
        )
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    with use_locale(locale):
        if not found.postings:
            typer.echo(_("No open postings match."))
            return
        for p in found.postings:
            typer.echo(
                f"{p.id:>5}  {p.closes_on.isoformat()}  ¥{p.monthly_pay:>9,}  "
                f"{p.min_jlpt.value:<4}  {p.prefecture or '-':<10}  {p.boe} · {p.title}"
            )


@postings_app.command("applications")
def postings_applications(
    posting_id: int = typer.Argument(..., help="The posting's id (see `altmatch postings list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON read model."),
    lang: str = typer.Option("en", "--lang", help="Language of labels and reasons: en or ja."),
) -> None:
    """A posting's applications (any BoE's, as the operator): stage, declared facts and
    eligibility."""
    locale = normalize_locale(lang) or "en"
    with cli_sessions() as sessions:
        try:
            found = boe_posting_detail(sessions, OPERATOR, posting_id, locale=locale)
        except NotFoundError as exc:
            typer.echo(f"error: no posting {posting_id}", err=True)
            raise typer.Exit(1) from exc
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    p = found.posting
    typer.echo(f"{p.id}  {p.title} · {p.boe}  [{p.status}]  {found.hired}/{p.openings}")
    for a in found.applications:
        d = a.declared
        ok = "eligible" if a.eligible else "NOT eligible"
        typer.echo(
            f"{a.id:>5}  {a.stage_label:<10}  {a.applicant}  alt_years={d.alt_years} "
            f"jlpt={d.jlpt.value} residence={d.residence.value} "
            f"status={d.status_of_residence.value if d.status_of_residence else '-'} "
            f"licence={'yes' if d.driving_licence else 'no'}  {ok}"
        )
        for u in a.unmet:
            typer.echo(f"         - {u.reason}")
