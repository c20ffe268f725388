"""`altmatch demo --out DIR`: write a realistic, seeded demo season folder."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.season_options import FORCE, fail, refuse_existing, save
from altmatch.demo import DemoSeason, generate_demo, write_demo_season
from altmatch.demo.season import DEFAULT_CANDIDATES, DEFAULT_SEED, MAX_CANDIDATES
from altmatch.i18n import gettext as _


def demo_command(
    out: Path = typer.Option(..., "--out", help="Season folder to create."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", min=0, help="Seed; equal seeds, equal data."),
    candidates: int = typer.Option(
        DEFAULT_CANDIDATES, "--candidates", min=5, max=MAX_CANDIDATES, help="How many candidates."
    ),
    force: bool = FORCE,
) -> None:
    """Write a demo season (47 prefectures, real place names) for `altmatch match`."""
    refuse_existing(out, force)
    try:
        demo = generate_demo(seed, candidates=candidates)
    except ValueError as exc:
        fail([str(exc)])
    save(lambda: write_demo_season(demo, out, force=force))
    _print_summary(demo, out)


def _print_summary(demo: DemoSeason, out: Path) -> None:
    table = Table(title=_("Demo season"))
    table.add_column(_("What"))
    table.add_column(_("Result"), justify="right")
    table.add_row(_("Prefectures"), str(len(demo.prefectures)))
    table.add_row(_("Boards of Education"), f"{len(demo.boes):,}")
    table.add_row(_("Requests"), f"{len(demo.requests):,}")
    table.add_row(_("Places requested"), f"{demo.places:,}")
    table.add_row(_("Candidates"), f"{len(demo.candidates):,}")
    table.add_row(_("Couples"), f"{len(demo.couples):,}")
    table.add_row(_("Dispatch companies"), str(len(demo.companies)))
    table.add_row(_("Seed"), str(demo.seed))
    console = Console()
    console.print(table)
    console.print(_("Written to {folder}").format(folder=out), markup=False, soft_wrap=True)
    console.print(
        _("Next: altmatch match --season {folder} --out {runs}").format(
            folder=out, runs=out.with_name(f"{out.name}-run")
        ),
        markup=False,
        soft_wrap=True,
    )
