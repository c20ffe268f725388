"""`altmatch advise PROFILE`: which paths are open to this person and how they compare."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import require_locale
from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.io.profile_file import ProfileFileError, read_profile_file
from altmatch.services.advice.advisor import AdviceOut, give_advice
from altmatch.services.advice.profile_input import ProfileInput, field_errors


def advise_command(
    profile: Path = typer.Argument(..., help="Profile file (.yaml or .json); see examples/."),
    as_json: bool = typer.Option(False, "--json", help="Print the documented JSON format."),
    lang: str = typer.Option("en", "--lang", help="Language of the output: en or ja."),
) -> None:
    """Compare JET, dispatch and direct hire for the profile in PROFILE."""
    err = Console(stderr=True)
    require_locale(lang)
    try:
        data = read_profile_file(profile)
        parsed = ProfileInput.model_validate(data)
    except ProfileFileError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    except ValidationError as exc:
        for field, message in field_errors(exc, lang):
            err.print(f"error: {profile}: {field}: {message}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    advice = give_advice(parsed, locale=lang)
    if as_json:
        typer.echo(json.dumps(advice.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    with use_locale(lang):
        _print_advice(advice, Console())


def _yen(amount: int) -> str:
    return f"¥{amount:,}"


def _print_advice(advice: AdviceOut, console: Console) -> None:
    summary = Table(title=_("Your paths, best first"))
    summary.add_column(_("Path"))
    summary.add_column(_("Open to you?"))
    summary.add_column(_("Score (0-5)"), justify="right")
    summary.add_column(_("Take-home, 5 years"), justify="right")
    summary.add_column(_("Earliest start"))
    for p in advice.paths:
        summary.add_row(
            p.name,
            _("yes") if p.eligible else _("no"),
            f"{p.score:.2f}",
            _yen(p.five_year_take_home),
            p.next_step.start.isoformat() if p.next_step.start else "-",
        )
    console.print(summary)
    for p in advice.paths:
        console.print(f"[bold]{p.name}[/bold]")
        for reason in p.reasons:
            console.print(f"  • {reason}", markup=False, soft_wrap=True)
        if p.chance:
            line = _("Estimated chance of placement: {p:.0%} (95% range {low:.0%}-{high:.0%})")
            console.print(
                "  " + line.format(p=p.chance.probability, low=p.chance.low, high=p.chance.high)
            )

    pay = Table(title=_("Estimated take-home pay by contract year"))
    pay.add_column(_("Year"), justify="right")
    for p in advice.paths:
        pay.add_column(p.name, justify="right")
    gross = _("gross")
    for index in range(len(advice.paths[0].pay)):
        cells = [str(index + 1)]
        for p in advice.paths:
            year = p.pay[index]
            cells.append(f"{_yen(year.take_home)}\n({gross} {_yen(year.gross)})")
        pay.add_row(*cells)
    console.print(pay)

    for p in advice.paths:
        if p.failed_rules:
            console.print(f"[bold]{p.name}[/bold] — " + _("what would open this path:"))
            for rule in p.failed_rules:
                console.print(f"  • {rule.reason}\n    → {rule.fix}", markup=False)
        if p.caveats:
            console.print(f"[bold]{p.name}[/bold] — " + _("check before you apply:"))
            for caveat in p.caveats:
                console.print(f"  • {caveat.reason}\n    → {caveat.fix}", markup=False)
    if advice.plan:
        names = {p.path: p.name for p in advice.paths}
        console.print("[bold]" + _("Your plan") + "[/bold]")
        for step in advice.plan:
            console.print(
                f"  {step.when} · {names[step.path]}: {step.text}", markup=False, soft_wrap=True
            )
    console.print(
        _(
            "Figures: rulebook {year} (as of {as_of}); estimates are marked in --json output."
        ).format(year=advice.rulebook.year, as_of=advice.rulebook.as_of.isoformat())
    )
