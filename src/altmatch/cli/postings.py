"""`altmatch postings ...`: direct-hire postings and applications (filled in by its owner)."""

from __future__ import annotations

import typer

postings_app = typer.Typer(help="Direct-hire postings and applications.", no_args_is_help=True)
