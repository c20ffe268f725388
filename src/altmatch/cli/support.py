"""`altmatch support ...`: routing tables, the escalation run and support cases (filled in by
its owner)."""

from __future__ import annotations

import typer

support_app = typer.Typer(help="Support cases, routing and escalation.", no_args_is_help=True)
