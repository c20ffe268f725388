"""`altmatch demo`: write a realistic, seeded demo season folder (`--out DIR`), or seed the
database with it and the personas' accounts (`--db`)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import fail
from altmatch.cli.season.options import FORCE, refuse_existing, save
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.demo import DEMO_PASSWORD, DemoSeason, generate_demo, write_demo_season
from altmatch.demo.season import DEFAULT_CANDIDATES, DEFAULT_SEED, MAX_CANDIDATES
from altmatch.demo.seed_database import SeedReport, seed_demo_database
from altmatch.i18n import gettext as _
from altmatch.services.season.setup import any_season_exists
from altmatch.services.setup import prepare_installation


def demo_command(
    out: Path | None = typer.Option(None, "--out", help="Season folder to create."),
    db: bool = typer.Option(
        False, "--db", help="Seed the database (ALTMATCH_DATABASE_URL) and print the logins."
    ),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="With --db: seed only when the database holds no season."
    ),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", min=0, help="Seed; equal seeds, equal data."),
    candidates: int = typer.Option(
        DEFAULT_CANDIDATES, "--candidates", min=5, max=MAX_CANDIDATES, help="How many candidates."
    ),
    force: bool = FORCE,
) -> None:
    """Write a demo season (47 prefectures, real place names) for `altmatch match`, or seed the
    database with it (--db) for the web app."""
    if out is None and not db:
        fail(["give --out DIR (a season folder), --db (the database), or both"])
    if out is not None:
        refuse_existing(out, force)
    if db and if_empty and _database_has_season():
        typer.echo(_("The database already holds a season: nothing seeded."))
        if out is None:
            return
        db = False
    try:
        demo = generate_demo(seed, candidates=candidates)
    except ValueError as exc:
        fail([str(exc)])
    if out is not None:
        save(lambda: write_demo_season(demo, out, force=force))
        _print_summary(demo, out)
    if db:
        _print_logins(demo, _seed_database(demo))


def _database_has_season() -> bool:
    settings = Settings()
    prepare_installation(settings)
    engine = make_engine(settings)
    try:
        return any_season_exists(session_factory(engine))
    finally:
        engine.dispose()


def _seed_database(demo: DemoSeason) -> SeedReport:
    settings = Settings()
    prepare_installation(settings)
    engine = make_engine(settings)
    try:
        return seed_demo_database(session_factory(engine), demo)
    finally:
        engine.dispose()


def _print_logins(demo: DemoSeason, report: SeedReport) -> None:
    console = Console()
    console.print(
        _(
            "Database seeded: {orgs} organisations, {schools} schools, {accounts} accounts, "
            "{requests} requests and {candidates} candidates added (season {season})."
        ).format(
            orgs=report.organisations_added,
            schools=report.schools_added,
            accounts=report.accounts_added,
            requests=report.requests_imported,
            candidates=report.candidates_imported,
            season=report.season_id,
        ),
        markup=False,
        soft_wrap=True,
    )
    ops = report.operations
    console.print(
        _(
            "Dispatch and direct hire: {contracts} contracts with {positions} positions, "
            "{alts} roster ALTs, {postings} postings and {applications} applications added."
        ).format(
            contracts=ops.contracts,
            positions=ops.positions,
            alts=ops.roster_alts,
            postings=ops.postings,
            applications=ops.applications,
        ),
        markup=False,
        soft_wrap=True,
    )
    if report.interview_scores:
        console.print(
            _(
                "Interview panels: {scores} rubric scores calibrated (season {season}'s "
                "interview calibration page)."
            ).format(scores=f"{report.interview_scores:,}", season=report.season_id),
            markup=False,
            soft_wrap=True,
        )
    if report.interview_decisions:
        console.print(
            _(
                "Interview decisions: {count} candidates shortlisted, listed as alternates or not "
                "selected (season {season}'s shortlist page)."
            ).format(count=f"{report.interview_decisions:,}", season=report.season_id),
            markup=False,
            soft_wrap=True,
        )

    if report.online_applications:
        console.print(
            _(
                "Online intake: {n} applications across eight recruiting offices (screeners "
                "sign in as screener_<office>@demo.altmatch.example; /offices)."
            ).format(n=report.online_applications),
            markup=False,
            soft_wrap=True,
        )
    typer.echo(_("Demo logins (password: {password}):").format(password=DEMO_PASSWORD))
    width = max(len(p.key) for p in demo.personas)
    for person in demo.personas:
        typer.echo(f"  {person.key:<{width}}  {person.login}")


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
