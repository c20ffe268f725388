"""`altmatch chances`: each candidate's probability of placement over many simulated seasons."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
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
from altmatch.services.season.chances import (
    ChancesRun,
    run_chances,
    save_chances,
    uncertainty_model,
)
from altmatch.services.season.placement import PlacementError


def _probability(flag: str, what: str) -> float | None:
    """A what-if override of one of the rulebook's uncertainty probabilities."""
    result: float | None = typer.Option(
        None, flag, min=0.0, max=1.0, help=f"{what} (default: the rulebook's)."
    )
    return result


def chances_command(
    season: Path | None = SEASON,
    out: Path = typer.Option(..., "--out", help="Output folder to create."),
    runs: int | None = typer.Option(
        None, "--runs", min=1, help="Most seasons to simulate (default: enough for --precision)."
    ),
    precision: float | None = typer.Option(
        None,
        "--precision",
        min=0.0001,
        max=0.5,
        help="Stop once every candidate's standard error is below this (e.g. 0.01).",
    ),
    workers: int = typer.Option(2, "--workers", min=1, help="Threads simulating in parallel."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="Seed of the simulation."),
    withdrawal: float | None = _probability("--withdrawal", "Chance each candidate withdraws"),
    request_drop: float | None = _probability("--request-drop", "Chance a request disappears"),
    seat_gain: float | None = _probability("--seat-gain", "Chance a request gains a place"),
    seat_loss: float | None = _probability("--seat-loss", "Chance a request loses a place"),
    requests: Path | None = REQUESTS,
    candidates: Path | None = CANDIDATES,
    candidate_ranks: Path | None = C_RANKS,
    request_ranks: Path | None = R_RANKS,
    couples: Path | None = COUPLES,
    force: bool = FORCE,
) -> None:
    """Estimate every candidate's chance of placement, with 95% intervals, and why not."""
    refuse_existing(out, force)
    try:
        model = uncertainty_model(
            withdrawal=withdrawal,
            request_drop=request_drop,
            seat_gain=seat_gain,
            seat_loss=seat_loss,
        )
    except ValueError as exc:
        fail([f"--request-drop/--seat-gain/--seat-loss: {exc}"])
    files = load(season, requests, candidates, candidate_ranks, request_ranks, couples)
    console = Console(stderr=True)
    with Progress(
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(_("simulating seasons"), total=None)
        try:
            run = run_chances(
                files,
                runs=runs,
                seed=seed,
                precision=precision,
                workers=workers,
                uncertainty=model,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except PlacementError as exc:
            fail(exc.problems)
    save(lambda: save_chances(run, out, force=force))
    _print_summary(run, out)


def _print_summary(run: ChancesRun, out: Path) -> None:
    summary = run.summary
    table = Table(title=_("Chances of placement"))
    table.add_column(_("What"))
    table.add_column(_("Result"), justify="right")
    table.add_row(_("Simulated seasons"), f"{summary.runs:,}")
    table.add_row(_("Largest standard error"), f"{summary.max_standard_error:.4f}")
    table.add_row(_("Expected placements"), f"{summary.expected_placements:,.1f}")
    probabilities = [row[1] for row in run.candidate_rows]
    likely = sum(p >= 0.5 for p in probabilities)
    table.add_row(_("Candidates more likely placed than not"), f"{likely} / {len(probabilities)}")
    table.add_row(_("Seed"), str(summary.seed))
    if summary.couples_simulated_as_singles:
        table.add_row(_("Couples simulated as singles"), str(summary.couples_simulated_as_singles))
    console = Console()
    console.print(table)
    console.print(_("Written to {folder}").format(folder=out), markup=False, soft_wrap=True)
