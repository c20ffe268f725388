"""`altmatch season ...`: a placement season in the database, run as the operator.

`altmatch season calibrate-interviews SEASON_ID --scores FILE` stores the interview panels'
calibrated scores as the season's current calibration (services.season.interview_calibration),
as the coordinator's page does. A bad file exits with code 2 and prints every problem as
`file:row:column: message` on stderr; nothing is stored unless every row is right.
`altmatch season shortlist SEASON_ID` previews (and with --commit applies) the interview round's
shortlist from those scores (cli/season/shortlist.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import fail, require_locale
from altmatch.cli.season.shortlist import shortlist_command
from altmatch.cli.sessions import cli_sessions
from altmatch.config import Settings
from altmatch.domain.access import OPERATOR, AccessDeniedError
from altmatch.i18n import gettext as _
from altmatch.i18n import render, use_locale
from altmatch.io.limits import ImportLimits
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.interview_calibration import (
    CalibrationUploadOut,
    calibrate_season,
)

season_app = typer.Typer(
    help="A placement season in the database: calibrate its interview panels' scores.",
    no_args_is_help=True,
)


def _read(path: Path, limits: ImportLimits) -> bytes:
    try:
        if path.stat().st_size > limits.max_bytes:
            fail([f"{path}:0:-: file is over {limits.max_bytes:,} bytes"])
        return path.read_bytes()
    except OSError as exc:
        fail([f"{path}:0:-: cannot read: {exc.strerror or exc}"])


def _refused(problem: str) -> NoReturn:
    fail([f"error: {problem}"])


@season_app.command("calibrate-interviews")
def calibrate_interviews_command(
    season_id: int = typer.Argument(..., help="The season's id (the number in /seasons/ID)."),
    scores: Path = typer.Option(
        ...,
        "--scores",
        help="CSV or XLSX with the columns candidate_id, panel_id, assessor_id, criterion, score; "
        "candidate_id is the application's id in the season.",
    ),
    check: bool = typer.Option(
        False, "--check", help="Only check and calibrate the file: store nothing."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of messages and warnings: en or ja."),
) -> None:
    """Calibrate the season's interview scores from the panels' rubric scores and store them.

    The stored calibration replaces the season's current one: the next match run reads each
    calibrated candidate's score (on 0-100) instead of their imported interview score, and a
    draft run made before can no longer be published. Refused once the season's outcome is
    published.
    """
    require_locale(lang)
    limits = ImportLimits.from_settings(Settings())
    content = _read(scores, limits)
    with cli_sessions() as sessions:
        try:
            result = calibrate_season(
                sessions,
                OPERATOR,
                season_id,
                content=content,
                filename=str(scores),
                commit=not check,
                limits=limits,
                locale=lang,
            )
        except RuleError as exc:
            _refused(render(exc.message, lang))
        except AccessDeniedError:
            _refused(f"no season {season_id} (the number in its page's address, /seasons/ID)")
    if result.errors:
        fail([f"{e.file}:{e.row}:{e.column}: {e.message}" for e in result.errors])
    with use_locale(lang):
        _print(result, check)


def _print(result: CalibrationUploadOut, check: bool) -> None:
    found = result.calibration
    assert found is not None  # no errors: the calibration was made

    def figure(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    table = Table(title=_("Interview calibration"))
    table.add_column(_("What"))
    table.add_column(_("Result"), justify="right")
    table.add_row(_("Scores read"), str(found.scores))
    table.add_row(_("Candidates"), str(found.candidates))
    table.add_row(_("Assessors"), str(found.assessors))
    table.add_row(_("Reliability of calibrated scores"), figure(found.reliability))
    table.add_row(_("Agreement between assessors (ICC)"), figure(found.icc))
    table.add_row(_("Residual SD"), figure(found.residual_sd))
    table.add_row(_("Groups of panels sharing assessors"), str(len(found.components)))
    console = Console()
    if check:
        console.print(
            _("The file is correct. Nothing is stored yet; storing it would give:"),
            markup=False,
            soft_wrap=True,
        )
    console.print(table)
    for line in [*found.warnings, *(s.message for s in found.suggested_swaps)]:
        console.print(f"• {line}", markup=False, soft_wrap=True)
    if not check:
        done = _("Stored as calibration {id}: the next match run reads these scores.")
        console.print(done.format(id=found.id), markup=False, soft_wrap=True)


season_app.command("shortlist")(shortlist_command)
# Registered on season_app when this module loads (kept apart to stay small).
from altmatch.cli.season import interview_assign as _interview_assign  # noqa: E402, F401
from altmatch.cli.season import offices as _offices  # noqa: E402, F401
