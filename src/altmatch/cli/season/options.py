"""What every season command shares: the file options, loading with row errors, refusing to
overwrite, and failing with exit code 2 and one problem per line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from altmatch.cli.exits import fail
from altmatch.config import Settings
from altmatch.io.limits import ImportLimits
from altmatch.io.outputs import OutputError
from altmatch.io.season_files import SeasonFiles, SeasonFilesError, load_season_files

SEASON = typer.Option(None, "--season", help="Season folder holding requests.csv etc.")
REQUESTS = typer.Option(None, "--requests", help="Requests file, instead of SEASON/requests.*")
CANDIDATES = typer.Option(None, "--candidates", help="Candidates file (default SEASON/...).")
C_RANKS = typer.Option(None, "--candidate-ranks", help="Candidates' ranked requests file.")
R_RANKS = typer.Option(None, "--request-ranks", help="Requests' ranked candidates file.")
COUPLES = typer.Option(None, "--couples", help="Couples file (default SEASON/couples.*).")
FORCE = typer.Option(False, "--force", help="Replace OUTDIR if it already exists.")


def refuse_existing(out: Path, force: bool) -> None:
    if out.exists() and not force:
        fail([f"{out}: already exists (use --force to replace it)"])


def load(
    season: Path | None,
    requests: Path | None,
    candidates: Path | None,
    candidate_ranks: Path | None,
    request_ranks: Path | None,
    couples: Path | None,
) -> SeasonFiles:
    try:
        return load_season_files(
            season,
            requests=requests,
            candidates=candidates,
            candidate_ranks=candidate_ranks,
            request_ranks=request_ranks,
            couples=couples,
            limits=ImportLimits.from_settings(Settings()),
        )
    except SeasonFilesError as exc:
        fail(str(e) for e in exc.errors)


def save(write: Callable[[], None]) -> None:
    try:
        write()
    except OutputError as exc:
        fail([str(exc)], code=1)
