"""What the per-company dispatch reports share (`altmatch dispatch compliance`,
`altmatch dispatch contract-health`): read every company's (or one company's) read model as
the operator, write its CSV into a new folder, and print it as JSON or as a table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from altmatch.cli.exits import require_locale
from altmatch.cli.sessions import cli_sessions
from altmatch.db import Sessions
from altmatch.domain.access import NotFoundError
from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.io.outputs import OutputError, write_folder

M = TypeVar("M", bound=BaseModel)


def company_report(
    read: Callable[[Sessions, int | None, dt.date | None, str], list[M]],
    *,
    company: int | None,
    today: dt.datetime | None,
    lang: str,
    out: Path | None,
    filename: str,
    to_file: Callable[[list[M]], str],
    force: bool,
    as_json: bool,
    show: Callable[[list[M], Console], None],
) -> None:
    """Exit 2 for an unknown company or language, 1 when OUT cannot be written (exists,
    without --force); otherwise write OUT/`filename` if asked and print the report."""
    err = Console(stderr=True)
    require_locale(lang)
    with cli_sessions() as sessions:
        try:
            found = read(sessions, company, today.date() if today else None, lang)
        except NotFoundError as exc:
            err.print(
                f"error: --company: no dispatch company with ID {company}",
                markup=False,
                soft_wrap=True,
            )
            raise typer.Exit(2) from exc
    if out is not None:
        try:
            write_folder(out, {filename: to_file(found)}, force=force)
        except OutputError as exc:
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from exc
    if as_json:
        data = [c.model_dump(mode="json") for c in found]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    with use_locale(lang):
        show(found, Console(width=160))
        if out is not None:
            Console().print(_("Wrote {path}").format(path=out), markup=False)
