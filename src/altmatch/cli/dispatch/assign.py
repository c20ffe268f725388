"""`altmatch dispatch assign`: plan (and optionally commit) a company's roster assignment.

Pins and exclusions name ALTs and positions by the company's external ids (roster id `A1`,
position id `K1-P`, or `CONTRACT/POSITION` where a position id repeats across contracts).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.sessions import cli_sessions
from altmatch.clock import today_in_japan
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.i18n import render
from altmatch.io.export import export_rows
from altmatch.services.dispatch.assignment import (
    BreakdownOut,
    CommitRequest,
    PinIn,
    PlanOut,
    PlanRequest,
    commit_assignment,
    current_assignment,
    plan_assignment,
)
from altmatch.services.kernel.errors import RuleError


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _numbers(b: BreakdownOut) -> tuple[str, ...]:
    return (
        f"{b.distance_km:.1f}",
        f"{b.commute_minutes:.0f}",
        f"{b.continuity_bonus:.0f}",
        f"{b.preference_bonus:.0f}",
        f"{b.total:.1f}",
    )


def _print(plan: PlanOut, title: str) -> None:
    console = Console()
    table = Table(title=title)
    for col in ("Position", "School", "ALT", "km", "Commute", "Continuity", "Preference", "Cost"):
        table.add_column(col)
    for s in plan.slots:
        b = s.breakdown
        table.add_row(
            s.position,
            s.school,
            f"{s.alt} {s.alt_name}" if s.alt else "UNFILLED",
            *(_numbers(b) if b else ("",) * 5),
        )
    console.print(table)
    console.print(
        f"{plan.filled} of {plan.positions} positions filled; total commute "
        f"{plan.total_commute_minutes:.0f} min; total cost {plan.total_cost:.1f}"
    )
    for v in plan.unfilled:
        console.print(f"unfilled {v.position}: {v.headline} ({'; '.join(v.reasons)})")
    for m in plan.moves:
        why = " (the surveys showed a poor match)" if m.poor_fit else ""
        console.print(f"move {m.alt}: {m.from_position or '-'} -> {m.to_position or '-'}{why}")
    if plan.satisfaction_used:
        console.print("The termly surveys were weighed (rulebook: dispatch_surveys.weights).")


def _write(plan: PlanOut, out: Path) -> None:
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        _fail(f"--out must end in .csv or .xlsx, got {out.name}")
    header = ["position", "contract", "school", "alt", "distance_km", "commute_minutes"]
    header += ["continuity_bonus", "preference_bonus", "total", "unfilled_reason"]
    reasons = {v.position: v.headline for v in plan.unfilled}
    rows = [
        [s.position, s.contract, s.school, s.alt]
        + (
            [
                s.breakdown.distance_km,
                s.breakdown.commute_minutes,
                s.breakdown.continuity_bonus,
                s.breakdown.preference_bonus,
                s.breakdown.total,
            ]
            if s.breakdown
            else [None] * 5
        )
        + [reasons.get(s.position)]
        for s in plan.slots
    ]
    out.write_bytes(export_rows(header, rows, fmt, sheet_name="assignment"))  # type: ignore[arg-type]


def assign(
    company: int = typer.Option(..., "--company", help="The company's organisation id."),
    pin: list[str] = typer.Option([], "--pin", help="ALT=POSITION by external ids; repeatable."),
    exclude: list[str] = typer.Option([], "--exclude", help="An ALT's external id to leave out."),
    on: str | None = typer.Option(None, "--on", help="The date (YYYY-MM-DD); default today."),
    commit: bool = typer.Option(False, "--commit", help="Write the plan as the new roster."),
    out: Path | None = typer.Option(None, "--out", help="Write the plan to FILE.csv or .xlsx."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    satisfaction: bool = typer.Option(
        False,
        "--satisfaction",
        help="Weigh the termly surveys: keep well-matched pairs, move poorly matched ones.",
    ),
) -> None:
    """Plan a company's roster assignment (least commute, continuity, preferences)."""
    try:
        day = date.fromisoformat(on) if on else today_in_japan()
    except ValueError:
        _fail(f"--on must be a date like 2027-04-01, got {on}")
        return
    with cli_sessions() as sessions:
        try:
            now = current_assignment(sessions, OPERATOR, company_id=company, on=day)
        except NotFoundError:
            _fail(f"there is no company {company}")
            return
        alts = {a.external_id: a.id for a in now.alts}
        positions = {s.position: s.position_id for s in now.current.slots}
        positions.update({f"{s.contract}/{s.position}": s.position_id for s in now.current.slots})
        pins, excluded = [], []
        for item in pin:
            alt, sep, position = item.partition("=")
            if not sep or alt not in alts:
                _fail(f"--pin {item}: no ALT {alt!r} on the roster (use ALT=POSITION)")
            if position not in positions:
                _fail(f"--pin {item}: no position {position!r} in a contract in force on {day}")
            pins.append(PinIn(alt_id=alts[alt], position_id=positions[position]))
        for alt in exclude:
            if alt not in alts:
                _fail(f"--exclude {alt}: no such ALT on the roster")
            excluded.append(alts[alt])
        request = PlanRequest(on=day, pins=pins, excluded=excluded, use_satisfaction=satisfaction)
        try:
            result = plan_assignment(sessions, OPERATOR, request, company_id=company)
            plan = result.proposed
            if commit:
                body = CommitRequest(**request.model_dump(), fingerprint=plan.fingerprint)
                plan = commit_assignment(sessions, OPERATOR, body, company_id=company)
        except RuleError as exc:
            _fail(render(exc.message, "en"))
            return
    if out is not None:
        _write(plan, out)
    if as_json:
        typer.echo(plan.model_dump_json(indent=2))
    else:
        _print(plan, "Committed roster" if commit else "Proposed roster (not committed)")


def register(app: typer.Typer) -> None:
    """Add `altmatch dispatch assign`."""
    app.command("assign")(assign)
