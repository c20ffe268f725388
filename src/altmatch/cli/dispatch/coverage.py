"""`altmatch dispatch coverage`: a company's coverage ahead as tables, JSON or files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.exits import require_locale
from altmatch.cli.sessions import cli_sessions
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.i18n import gettext as _
from altmatch.i18n import label, render, use_locale
from altmatch.io.coverage_export import (
    COVERAGE,
    TARGETS,
    TOTAL,
    CoverageRow,
    TargetRow,
    coverage_chart_files,
    coverage_csv,
    targets_csv,
)
from altmatch.io.outputs import OutputError, write_folder
from altmatch.services.dispatch.coverage import (
    CoverageOut,
    TallyOut,
    dispatch_coverage,
)
from altmatch.services.kernel.errors import RuleError


def coverage_command(
    company: int = typer.Option(..., "--company", help="ID of the dispatch company."),
    today: dt.datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Count as if it were this day (YYYY-MM-DD)."
    ),
    region: str | None = typer.Option(None, "--region", help="Only this prefecture."),
    as_json: bool = typer.Option(False, "--json", help="Print the read model as JSON."),
    out: Path | None = typer.Option(
        None, "--out", help="Write coverage.csv, targets.csv and the chart (PNG, SVG) here."
    ),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it already exists."),
    lang: str = typer.Option("en", "--lang", help="Language of the tables: en or ja."),
) -> None:
    """Positions against expected coverage per month and region, hiring targets per start
    month, and the ALTs at risk, over the rulebook's horizon."""
    err = Console(stderr=True)
    require_locale(lang)
    with cli_sessions() as sessions:
        try:
            found = dispatch_coverage(
                sessions,
                OPERATOR,
                company_id=company,
                today=today.date() if today else None,
                region=region,
            )
        except NotFoundError as exc:
            err.print(
                f"error: --company: no dispatch company with ID {company}",
                markup=False,
                soft_wrap=True,
            )
            raise typer.Exit(2) from exc
        except RuleError as exc:
            err.print(
                f"error: --{exc.field}: {render(exc.message, lang)}", markup=False, soft_wrap=True
            )
            raise typer.Exit(2) from exc
    if out is not None:
        try:
            write_folder(out, coverage_files(found), force=force)
        except OutputError as exc:
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    with use_locale(lang):
        _print(found, Console(width=140), lang)
        if out is not None:
            Console().print(_("Wrote {path}").format(path=out), markup=False)


def coverage_files(found: CoverageOut) -> dict[str, str | bytes]:
    """The files `--out` writes: coverage.csv, targets.csv and the chart."""
    rows = []
    for month in found.series:
        for region, tally in [*month.regions.items(), (TOTAL, month.total)]:
            rows.append(CoverageRow(month.month, region, **tally.model_dump()))
    targets = [TargetRow(**t.model_dump()) for t in found.targets]
    title = f"{found.company}: coverage {found.months[0]:%Y-%m} to {found.months[-1]:%Y-%m}"
    if found.region is not None:
        title += f" ({found.region})"
    return {
        COVERAGE: coverage_csv(rows),
        TARGETS: targets_csv(targets),
        **coverage_chart_files(
            found.months,
            [m.total.positions for m in found.series],
            [m.total.expected_covered for m in found.series],
            title=title,
        ),
    }


def _tally_cells(t: TallyOut) -> list[str]:
    return [str(v) for v in (t.positions, t.assigned, t.at_risk, t.expected_covered, t.gap)]


def _print(found: CoverageOut, console: Console, lang: str) -> None:
    now = _("{company}: {positions} positions, {assigned} assigned, gap {gap} now.")
    ahead = _("ALTs to hire within {n} months: {hires}.")
    console.print(
        now.format(
            company=found.company_ja if lang == "ja" else found.company,
            positions=found.now.positions,
            assigned=found.now.assigned,
            gap=found.now.gap,
        ),
        markup=False,
    )
    console.print(ahead.format(n=found.rule.horizon_months, hires=found.hires_total))
    heads = [_("Positions"), _("Assigned"), _("At risk"), _("Expected covered"), _("Gap")]
    months = Table(title=_("Month by month"))
    months.add_column(_("Month"))
    for head in heads:
        months.add_column(head, justify="right")
    months.add_column(_("ALTs to redeploy"), justify="right")
    for m in found.series:
        months.add_row(f"{m.month:%Y-%m}", *_tally_cells(m.total), str(m.total.released))
    console.print(months)

    targets = Table(title=_("ALTs to hire per region and start month"))
    targets.add_column(_("Region"))
    for total in found.target_totals:
        targets.add_column(f"{total.start_month:%Y-%m}", justify="right")
    for region in sorted({t.region for t in found.targets}):
        hires = [str(t.hires) for t in found.targets if t.region == region]
        targets.add_row(region or "-", *hires)
    targets.add_row(_("Total"), *[str(t.hires) for t in found.target_totals])
    console.print(targets)

    netting = Table(title=_("How each target is netted"))
    for head in (
        _("Region"),
        _("Start month"),
        _("Gross need"),
        _("− Redeployable"),
        _("+ Expected leavers"),
        _("= Net need"),
        _("− Already targeted"),
        _("= Hires"),
    ):
        netting.add_column(head)
    for t in found.targets:
        netting.add_row(
            t.region or "-",
            f"{t.start_month:%Y-%m}",
            *[
                str(v)
                for v in (
                    t.gross_need,
                    t.redeployable,
                    t.expected_leavers,
                    t.net_need,
                    t.already_targeted,
                    t.hires,
                )
            ],
        )
    console.print(netting)

    contracts = Table(title=_("By contract"))
    contracts.add_column(_("Contract"))
    contracts.add_column(_("Region"))
    contracts.add_column(_("Ends"))
    for head in heads:
        contracts.add_column(head, justify="right")
    contracts.add_column(
        _("Gap in {month}").format(month=f"{found.months[-1]:%Y-%m}"), justify="right"
    )
    for c in found.contracts:
        contracts.add_row(
            c.reference,
            c.region or "-",
            c.end.isoformat(),
            *_tally_cells(c.now),
            str(c.at_horizon.gap),
        )
    console.print(contracts)

    at_risk = Table(title=_("ALTs at risk"))
    for head in (
        _("ALT"),
        _("Contract ends"),
        _("Renewal intention"),
        _("Gone from"),
        _("Contract"),
    ):
        at_risk.add_column(head)
    for a in found.at_risk:
        at_risk.add_row(
            f"{a.name} ({a.external_id})",
            a.contract_end.isoformat(),
            _(label(a.renewal_intention)),
            f"{a.from_month:%Y-%m}",
            a.contract_reference,
        )
    console.print(at_risk)


def register(app: typer.Typer) -> None:
    """Add this module's commands to `altmatch dispatch`."""
    app.command("coverage")(coverage_command)
