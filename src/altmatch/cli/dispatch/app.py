"""`altmatch dispatch ...`: a dispatch company's contracts, roster, assignment, coverage and
transfers from the command line, run as the operator for a named company."""

from __future__ import annotations

import typer

from altmatch.cli.dispatch import assign as dispatch_assign
from altmatch.cli.dispatch import compliance as dispatch_compliance
from altmatch.cli.dispatch import contract_health as dispatch_contract_health
from altmatch.cli.dispatch import coverage as dispatch_coverage
from altmatch.cli.dispatch import roster as dispatch_roster
from altmatch.cli.dispatch import transfers as dispatch_transfers

dispatch_app = typer.Typer(
    help="A dispatch company's contracts, roster, assignment, coverage and transfers.",
    no_args_is_help=True,
)
for module in (
    dispatch_roster,
    dispatch_assign,
    dispatch_coverage,
    dispatch_transfers,
    dispatch_compliance,
    dispatch_contract_health,
):
    module.register(dispatch_app)
