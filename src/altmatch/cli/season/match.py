"""`altmatch match` and `altmatch upgrade`: run a placement season from its files.

Bad input exits with code 2 and prints every problem as `file:row:column: message`, one per
line on stderr, before anything is written; outputs then appear all at once or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from altmatch.cli.exits import fail
from altmatch.cli.season.options import (
    C_RANKS,
    CANDIDATES,
    COUPLES,
    FORCE,
    R_RANKS,
    REQUESTS,
    SEASON,
    load,
    refuse_existing,
    save,
)
from altmatch.i18n import gettext as _
from altmatch.services.season.placement import (
    ALTERNATES_SHOWN,
    PlacementError,
    run_match,
    run_upgrade,
    save_match,
    save_upgrade,
)
from altmatch.services.season.placement_report import RunSummary


def match_command(
    season: Path | None = SEASON,
    out: Path = typer.Option(..., "--out", help="Output folder to create (OUTDIR)."),
    seed: int | None = typer.Option(
        None, "--seed", min=0, max=2**63 - 1, help="Lottery seed; drawn and recorded if omitted."
    ),
    requests: Path | None = REQUESTS,
    candidates: Path | None = CANDIDATES,
    candidate_ranks: Path | None = C_RANKS,
    request_ranks: Path | None = R_RANKS,
    couples: Path | None = COUPLES,
    force: bool = FORCE,
    alternates: int = typer.Option(
        ALTERNATES_SHOWN,
        "--alternates",
        min=0,
        help="How many alternates of each request alternates.csv lists, best first; 0: all.",
    ),
) -> None:
    """Place a season's candidates into its requests: stable, explained, reproducible."""
    refuse_existing(out, force)
    with _stages(6) as step:
        step("reading season files")
        files = load(season, requests, candidates, candidate_ranks, request_ranks, couples)
        try:
            run = run_match(files, seed, progress=step)
        except PlacementError as exc:
            fail(exc.problems)
        step("writing outputs")
        save(lambda: save_match(run, out, force=force, alternates=alternates or None))
    _print_summary(run.summary, out)


def upgrade_command(
    season: Path | None = SEASON,
    previous: Path = typer.Option(..., "--from", help="Output folder of the run to upgrade."),
    withdraw: list[str] = typer.Option(
        ..., "--withdraw", help="Candidate ids who withdraw: ID[,ID...]; may be repeated."
    ),
    out: Path = typer.Option(..., "--out", help="Output folder to create (OUTDIR2)."),
    requests: Path | None = REQUESTS,
    candidates: Path | None = CANDIDATES,
    candidate_ranks: Path | None = C_RANKS,
    request_ranks: Path | None = R_RANKS,
    couples: Path | None = COUPLES,
    force: bool = FORCE,
) -> None:
    """Withdraw candidates from a finished run and fill their places (vacancy chains)."""
    refuse_existing(out, force)
    ids = [part.strip() for item in withdraw for part in item.split(",") if part.strip()]
    if not ids:
        fail(["--withdraw: name at least one candidate id"])
    with _stages(6) as step:
        step("reading season files")
        files = load(season, requests, candidates, candidate_ranks, request_ranks, couples)
        try:
            run = run_upgrade(files, previous, ids, progress=step)
        except PlacementError as exc:
            fail(exc.problems)
        step("writing outputs")
        save(lambda: save_upgrade(run, out, force=force))
    _print_summary(run.summary, out)


@contextmanager
def _stages(total: int) -> Iterator[Callable[[str], None]]:
    """A progress display on stderr (only on a terminal), advanced as each stage starts."""
    console = Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as progress:
        task = progress.add_task("", total=total)
        started = 0

        def step(stage: str) -> None:
            nonlocal started
            progress.update(task, description=stage, completed=started)
            started += 1

        yield step


def _print_summary(summary: RunSummary, out: Path) -> None:
    counts = summary.counts
    table = Table(title=_("Placement run") if summary.kind == "match" else _("Upgrade"))
    table.add_column(_("What"))
    table.add_column(_("Result"), justify="right")
    table.add_row(_("Candidates placed"), f"{counts.placed} / {counts.candidates}")
    table.add_row(_("Candidates unplaced"), str(counts.unplaced))
    table.add_row(_("Requests filled"), f"{counts.requests_filled} / {counts.requests}")
    table.add_row(_("Requests with places left"), str(counts.requests_unfilled))
    table.add_row(_("Places filled"), f"{counts.seats_filled} / {counts.seats}")
    if counts.couples:
        table.add_row(_("Couples placed"), f"{counts.couples_placed} / {counts.couples}")
    if summary.kind == "upgrade":
        table.add_row(_("Withdrawn so far"), ", ".join(summary.withdrawn))
        table.add_row(_("Moves"), str(summary.moves))
        table.add_row(_("Vacancy chains"), str(summary.chains))
        table.add_row(_("Nobody worse off"), _("yes") if summary.nobody_worse_off else _("no"))
    table.add_row(_("Seed"), str(summary.seed))
    table.add_row(_("Engine"), summary.engine_version)
    stable = summary.stability
    table.add_row(
        _("Stability"),
        _("stable")
        if stable.stable
        else _("{count} blocking pairs").format(count=len(stable.blocking_pairs)),
    )
    console = Console()
    console.print(table)
    console.print(_("Written to {folder}").format(folder=out), markup=False, soft_wrap=True)
