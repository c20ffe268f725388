"""`altmatch dispatch ...`: a dispatch company's contracts, roster, assignment, coverage and
transfers from the command line, run as the operator for a named company."""

from __future__ import annotations

import typer

from altmatch.cli import dispatch_assign, dispatch_coverage, dispatch_roster, dispatch_transfers

dispatch_app = typer.Typer(
    help="A dispatch company's contracts, roster, assignment, coverage and transfers.",
    no_args_is_help=True,
)
for module in (dispatch_roster, dispatch_assign, dispatch_coverage, dispatch_transfers):
    module.register(dispatch_app)
