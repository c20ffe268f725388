"""`altmatch interviews calibrate`: put every panel's interview scores on one scale.

Bad input exits with code 2 and prints every problem as `file:row:column: message`, one per
line on stderr, before anything is written; the outputs appear all at once or not at all.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import fail, require_locale
from altmatch.cli.sessions import cli_sessions
from altmatch.config import Settings
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.domain.interview_calibration import MIN_CANDIDATES_PER_ASSESSOR, Calibration
from altmatch.i18n import gettext as _
from altmatch.i18n import render, use_locale
from altmatch.io.limits import ImportLimits
from altmatch.io.outputs import OutputError
from altmatch.services.interviews.calibration import (
    ScoresFileError,
    calibrate_scores_file,
    save_calibration,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.interview_calibration import fit_sheets

interviews_app = typer.Typer(
    help="Interview panels: calibrate assessors' severities so candidates compare on one scale.",
    no_args_is_help=True,
)


@interviews_app.command("calibrate")
def calibrate_command(
    scores: Path | None = typer.Option(
        None,
        "--scores",
        help="CSV or XLSX with the columns candidate_id, panel_id, assessor_id, criterion, score.",
    ),
    season: int | None = typer.Option(
        None, "--season", min=1, help="The season whose score sheets to read (with --from-sheets)."
    ),
    from_sheets: bool = typer.Option(
        False,
        "--from-sheets",
        help="Read the season's submitted score sheets from the database instead of a file.",
    ),
    out: Path = typer.Option(..., "--out", help="Output folder to create (DIR)."),
    force: bool = typer.Option(False, "--force", help="Replace DIR if it already exists."),
    min_candidates: int = typer.Option(
        MIN_CANDIDATES_PER_ASSESSOR,
        "--min-candidates",
        min=1,
        help="Warn about assessors who scored fewer candidates than this.",
    ),
    lang: str = typer.Option("en", "--lang", help="Language of messages and warnings: en or ja."),
) -> None:
    """Estimate assessors' severities and candidates' calibrated scores from overlapping panels.

    The scores come from a file (--scores) or from a season's submitted score sheets in the
    database (--season N --from-sheets, read as the operator; assessors are named A<user id>).

    Each candidate's score is what an assessor of average severity would give them, with a
    standard error. Writes calibrated.csv, assessors.csv and summary.json to DIR; with panels
    that share no assessor, it warns and suggests which assessor could sit on which panel.
    """
    require_locale(lang)
    if (scores is None) == (not from_sheets) or (from_sheets and season is None):
        fail(["error: give --scores FILE, or --season N --from-sheets"])
    if out.exists() and not force:
        fail([f"{out}: already exists (use --force to replace it)"])
    if scores is not None:
        try:
            calibration = calibrate_scores_file(
                scores, limits=ImportLimits.from_settings(Settings()), min_candidates=min_candidates
            )
        except ScoresFileError as exc:
            fail([f"{e.file}:{e.row}:{e.column}: {e.localized(lang)}" for e in exc.errors])
    else:
        assert season is not None
        calibration = _from_sheets(season, min_candidates, lang)
    try:
        save_calibration(calibration, out, force=force, locale=lang)
    except OutputError as exc:
        fail([str(exc)], code=1)
    with use_locale(lang):
        _print(calibration, out, lang)


def _from_sheets(season: int, min_candidates: int, lang: str) -> Calibration:
    """The season's submitted sheets, calibrated; exit 2 for an unknown season or no sheet."""
    with cli_sessions() as sessions:
        try:
            return fit_sheets(sessions, OPERATOR, season, min_candidates=min_candidates)
        except NotFoundError:
            fail([f"error: --season: no season with ID {season}"])
        except RuleError as exc:
            fail([f"error: --season: {render(exc.message, lang)}"])


def _print(calibration: Calibration, out: Path, lang: str) -> None:
    def figure(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    table = Table(title=_("Interview calibration"))
    table.add_column(_("What"))
    table.add_column(_("Result"), justify="right")
    table.add_row(_("Scores read"), str(calibration.scores))
    table.add_row(_("Candidates"), str(len(calibration.candidates)))
    table.add_row(_("Assessors"), str(len(calibration.assessors)))
    table.add_row(_("Reliability of calibrated scores"), figure(calibration.reliability))
    table.add_row(_("Agreement between assessors (ICC)"), figure(calibration.icc))
    table.add_row(_("Residual SD"), figure(calibration.residual_sd))
    table.add_row(_("Groups of panels sharing assessors"), str(len(calibration.design.components)))
    console = Console()
    console.print(table)
    for line in [*calibration.warnings, *(m.message for m in calibration.design.moves)]:
        console.print(f"• {render(line, lang)}", markup=False, soft_wrap=True)
    console.print(_("Written to {folder}").format(folder=out), markup=False, soft_wrap=True)
