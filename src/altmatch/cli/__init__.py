"""The `altmatch` command line: one Typer root, one sub-app or command per area."""

from __future__ import annotations

from altmatch.cli.root import app


def main() -> None:
    app()


__all__ = ["app", "main"]
