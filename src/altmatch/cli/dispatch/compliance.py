"""`altmatch dispatch compliance`: the legal deadlines of dispatch companies' ALTs, as a table,
JSON or compliance.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from altmatch.cli.dispatch.company_report import company_report
from altmatch.domain.access import OPERATOR
from altmatch.i18n import gettext as _
from altmatch.i18n import label
from altmatch.io.compliance_export import COMPLIANCE, ComplianceRow, compliance_csv
from altmatch.services.dispatch.compliance import ComplianceOut, companies_compliance


def compliance_command(
    out: Path | None = typer.Option(None, "--out", help="Write compliance.csv here."),
    company: int | None = typer.Option(
        None, "--company", help="ID of one dispatch company (default: every company)."
    ),
    today: dt.datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Count as if it were this day (YYYY-MM-DD)."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the details: en or ja."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it already exists."),
    as_json: bool = typer.Option(False, "--json", help="Print the read model as JSON."),
) -> None:
    """Compliance alerts per ALT: three-year dispatch limit, five-year conversion, residence
    card expiry and outsourcing direction, with what to do.

    Alerts show from each rule's lead time before their date and stay, overdue, until a
    company's staff acknowledge them on the compliance page; acknowledged ones are listed
    with the time they were acknowledged."""
    company_report(
        lambda sessions, company_id, day, locale: companies_compliance(
            sessions, OPERATOR, company_id=company_id, today=day, locale=locale
        ),
        company=company,
        today=today,
        lang=lang,
        out=out,
        filename=COMPLIANCE,
        to_file=compliance_file,
        force=force,
        as_json=as_json,
        show=_print,
    )


def compliance_file(found: list[ComplianceOut]) -> str:
    """compliance.csv: every company's alerts, company by company, earliest due first."""
    return compliance_csv(
        ComplianceRow(
            alt_id=a.external_id,
            rule=a.rule.value,
            due_on=a.due_on,
            detail=a.detail,
            company_id=c.company_id,
            alt_name=a.name,
            status=a.status.value,
            action=a.action,
            acknowledged_at=a.acknowledged.at if a.acknowledged else None,
        )
        for c in found
        for a in c.alerts
    )


def _print(found: list[ComplianceOut], console: Console) -> None:
    for c in found:
        title = _("{company}: {to_do} to do, {overdue} overdue").format(
            company=c.company, to_do=c.to_do, overdue=c.overdue
        )
        table = Table(title=title)
        for head in (_("ALT"), _("Rule"), _("Due on"), _("Status"), _("Acknowledged")):
            table.add_column(head)
        for a in c.alerts:
            table.add_row(
                f"{a.name} ({a.external_id})",
                a.rule_name,
                a.due_on.isoformat(),
                _(label(a.status)),
                f"{a.acknowledged.at:%Y-%m-%d}" if a.acknowledged else "",
            )
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to `altmatch dispatch`."""
    app.command("compliance")(compliance_command)
