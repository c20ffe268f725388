"""`altmatch season shortlist SEASON_ID --places N --alternates M [--seed S] [--commit]`: the
interview round's shortlist from calibrated scores (services.season.shortlist), as the
coordinator's page shows it: a preview by default (the ranking near the cuts, who calibration
moved across the cut against raw means, how many statistical ties), applied with --commit. A refusal
exits with code 2 and says why on stderr; nothing changes unless the whole decision is applied.
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import fail, require_locale
from altmatch.cli.sessions import cli_sessions
from altmatch.domain.access import OPERATOR, AccessDeniedError
from altmatch.i18n import gettext as _
from altmatch.i18n import label, render, use_locale
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.shortlist import (
    ShortlistIn,
    ShortlistOut,
    ShortlistRowOut,
    decide_shortlist,
    parse_versions,
    shortlist_preview,
)

NEAR = 5  # rows shown either side of each cut


def _refused(problem: str) -> NoReturn:
    fail([f"error: {problem}"])


def shortlist_command(
    season_id: int = typer.Argument(..., help="The season's id (the number in /seasons/ID)."),
    places: int | None = typer.Option(
        None, "--places", min=0, help="Candidates to shortlist (default: the rulebook's share)."
    ),
    alternates: int | None = typer.Option(
        None, "--alternates", min=0, help="Alternates to list, in order (default: the rulebook's)."
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        min=0,
        help="The lottery's seed for exact ties (default: the calibration's).",
    ),
    commit: bool = typer.Option(
        False, "--commit", help="Apply the decision and tell the candidates (default: preview)."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of messages: en or ja."),
) -> None:
    """Shortlist the season's candidates by calibrated interview score, and list alternates.

    Without --commit nothing changes: the preview prints the counts, the cuts, the candidates
    near them and who calibration moved across the shortlist's cut compared with raw means.
    With --commit the decision is applied as previewed, all or nothing, and every candidate
    ranked is notified. Refused once the season's outcome is published.
    """
    require_locale(lang)
    with cli_sessions() as sessions, use_locale(lang):
        try:
            found = shortlist_preview(
                sessions, OPERATOR, season_id, places=places, alternates=alternates, seed=seed
            )
            if found.calibration is None:
                _refused(_("No calibration yet: calibrate the interview scores first."))
            if commit:
                assert found.seed is not None
                body = ShortlistIn(
                    places=found.places,
                    alternates=found.alternates,
                    seed=found.seed,
                    calibration_id=found.calibration.id,
                    versions=parse_versions(found.versions),
                )
                found = decide_shortlist(sessions, OPERATOR, season_id, body)
        except RuleError as exc:
            _refused(render(exc.message, lang))
        except AccessDeniedError:
            _refused(f"no season {season_id} (the number in its page's address, /seasons/ID)")
        _print(found)


def _shown(found: ShortlistOut) -> list[ShortlistRowOut]:
    """The rows near either cut (every crossing is listed by id under the table)."""
    cuts = [found.counts["shortlisted"], found.counts["shortlisted"] + found.counts["alternate"]]
    return [r for r in found.rows if any(abs(r.position - c - 0.5) <= NEAR for c in cuts)]


def _print(found: ShortlistOut) -> None:
    def figure(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    console = Console()

    def say(text: str) -> None:
        console.print(text, markup=False, soft_wrap=True)

    table = Table(title=_("Shortlist"))
    for name in (
        _("Place"),
        _("Id"),
        _("Raw mean"),
        _("Place by raw mean"),
        _("Calibrated"),
        _("Decision"),
        _("Notes"),
    ):
        table.add_column(name)
    for r in _shown(found):
        notes = []
        if r.crossed == "in":
            notes.append(_("In by calibration"))
        elif r.crossed == "out":
            notes.append(_("Out by calibration"))
        if r.tie:
            notes.append(_("Statistical tie"))
        if r.lottery:
            notes.append(_("Lottery"))
        decision = _(label(r.decision))
        if r.alternate_position:
            decision += f" {r.alternate_position}"
        score = figure(r.score) + ("" if r.se is None else f" ± {figure(r.se)}")
        table.add_row(
            str(r.position),
            r.candidate_id,
            figure(r.raw_mean),
            str(r.raw_position),
            score,
            decision,
            ", ".join(notes),
        )
    console.print(table)
    counts = _("{shortlisted} shortlisted, {alternates} alternates, {not_selected} not selected.")
    say(
        counts.format(
            shortlisted=found.counts["shortlisted"],
            alternates=found.counts["alternate"],
            not_selected=found.counts["not_selected"],
        )
    )
    say(_("Cut (calibrated score of the last shortlisted)") + f": {figure(found.cut)}")
    crossings = _(
        "{n_in} candidates are shortlisted whom raw means would have left out; {n_out} are "
        "left out whom raw means would have shortlisted."
    )
    say(crossings.format(n_in=found.crossed_in, n_out=found.crossed_out))
    for name, way in ((_("In by calibration"), "in"), (_("Out by calibration"), "out")):
        moved = [r.candidate_id for r in found.rows if r.crossed == way]
        if moved:
            say(f"{name}: {', '.join(moved)}")
    ties = _("{count} candidates are a statistical tie with someone across a cut.")
    say(ties.format(count=found.ties))
    say(_("Lottery seed") + f": {found.seed}")
    if found.committed:
        say(_("The decision is stored and every candidate ranked has been told their result."))
    else:
        say(_("Nothing is decided yet: run again with --commit to apply this decision."))
