"""MkDocs hook: renders the reference pages from the code, so they cannot drift from it.

A page asks for a generated section with a marker line such as `<!-- generated: cli -->`;
`on_page_markdown` replaces the marker with the matching `render_*` function's Markdown. The
functions import altmatch lazily, so loading the hook (or this module in a test) stays cheap.
"""

from __future__ import annotations

import ast
import re
import tempfile
import tomllib
import typing
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

MARKER = re.compile(r"^<!-- generated: ([a-z_-]+) -->$", re.M)


# --- the command line ---------------------------------------------------------------------


def cli_commands() -> Iterator[tuple[str, Any, Any]]:
    """Every command of the `altmatch` CLI, depth first: (full name, command, its context)."""
    import typer.main

    from altmatch.cli import app

    root = typer.main.get_group(app)
    root.load_all()  # the root imports its commands only when they run

    def walk(command: Any, name: str, parent: Any) -> Iterator[tuple[str, Any, Any]]:
        context = command.context_class(command, info_name=name.rsplit(" ", 1)[-1], parent=parent)
        yield name, command, context
        names = command.list_commands(context) if hasattr(command, "list_commands") else []
        for sub_name in names:
            sub = command.get_command(context, sub_name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, f"{name} {sub_name}", context)

    yield from walk(root, "altmatch", None)


def _paragraphs(text: str) -> list[str]:
    """Help text as Markdown paragraphs: Click wraps lines; a blank line starts a paragraph."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def _slug(heading: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading (its default slugify)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading).strip().lower())


def _cell(text: str) -> str:
    """Text for one table cell: a pipe is escaped, except in code spans, where the tables
    extension already ignores it (and would show the backslash)."""
    parts = re.split(r"(`[^`]*`)", text.replace("\n", " "))
    return "".join(p if p.startswith("`") else p.replace("|", "\\|") for p in parts)


def render_cli_reference() -> str:
    """One section per command and subcommand: its help, usage line and options."""
    out: list[str] = []
    for name, command, context in cli_commands():
        depth = name.count(" ")
        heading = "##" if depth <= 1 else "###"
        out.append(f"{heading} `{name}`\n")
        out.extend(f"{paragraph}\n" for paragraph in _paragraphs(command.help or ""))
        out.append(f"```text\n{command.get_usage(context)}\n```\n")
        rows = []
        for param in command.get_params(context):
            record = None if param.hidden else param.get_help_record(context)
            if record is None or param.name == "help":
                continue
            declaration, help_text = record
            rows.append(f"| {_cell(f'`{declaration}`')} | {_cell(help_text)} |")
        if rows:
            out.append("| argument or option | meaning |\n|---|---|")
            out.append("\n".join(rows) + "\n")
        subcommands = command.list_commands(context) if hasattr(command, "list_commands") else []
        if subcommands:
            listed = ", ".join(
                f"[`{name} {sub}`](#{_slug(f'{name} {sub}')})" for sub in subcommands
            )
            out.append(f"Commands: {listed}.\n")
    return "\n".join(out)


# --- settings -----------------------------------------------------------------------------


def _type_name(annotation: Any) -> str:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(f"`{value}`" for value in args)
    if args and type(None) in args:
        rest = [arg for arg in args if arg is not type(None)]
        return " or ".join(_type_name(arg) for arg in rest) + ", or unset"
    if typing.get_origin(annotation) is list and args:
        return f"comma-separated list of {_type_name(args[0])}"
    names = {str: "text", int: "whole number", float: "number", bool: "`true` / `false`"}
    if annotation in names:
        return names[annotation]
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "folder path"
    return f"`{getattr(annotation, '__name__', annotation)}`"


def _bounds(metadata: list[Any]) -> str:
    symbols = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    parts = [
        f"{symbol} {getattr(item, key)}"
        for item in metadata
        for key, symbol in symbols.items()
        if getattr(item, key, None) is not None
    ]
    return f" ({', '.join(parts)})" if parts else ""


def _default(name: str, value: Any) -> str:
    if value is None:
        return "unset"
    if value == "" or value == []:
        return "empty"
    if isinstance(value, list):
        return f"`{','.join(str(item) for item in value)}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    shown = f"`{value}`"
    if name.endswith("_bytes") and isinstance(value, int) and value % (1024 * 1024) == 0:
        shown += f" ({value // (1024 * 1024)} MiB)"
    return shown


def settings_rows() -> Iterator[tuple[str, str, str, str]]:
    """(environment variable, type, default, description) for every field of Settings."""
    from altmatch.config import Settings

    prefix = str(Settings.model_config.get("env_prefix", "ALTMATCH_"))
    for name, field in Settings.model_fields.items():
        kind = _type_name(field.annotation) + _bounds(list(field.metadata))
        description = field.description or ""
        yield f"{prefix}{name.upper()}", kind, _default(name, field.default), description


def render_settings_reference() -> str:
    """A table of every setting, straight from `altmatch.config.Settings`."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for variable, kind, default, description in settings_rows():
        meaning = f"{description} *Type:* {kind}."
        lines.append(f"| `{variable}` | {_cell(default)} | {_cell(meaning)} |")
    return "\n".join(lines) + "\n"


# --- the rulebook -------------------------------------------------------------------------


def rulebook_editions() -> list[tuple[int, Path]]:
    """(year, file) of every rulebook edition shipped with the package, oldest first."""
    import altmatch.rulebook as rulebook_package
    from altmatch.rulebook import available_years

    folder = Path(rulebook_package.__file__).parent
    return [(year, folder / f"{year}.yaml") for year in available_years()]


def _sourced_entries(node: Any, path: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping in an edition that cites a source, with its dotted path."""
    if isinstance(node, dict):
        if "source" in node or "sources" in node:
            yield ".".join(path), node
        for key, value in node.items():
            yield from _sourced_entries(value, [*path, str(key)])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            key = item.get("id") if isinstance(item, dict) and "id" in item else str(index)
            yield from _sourced_entries(item, [*path, str(key)])


def _link(url: str) -> str:
    return f"<{url}>" if url.startswith(("http://", "https://")) else f"`{url}`"


def render_rulebook_sources() -> str:
    """Each edition with its date, then every sourced entry by section: as-of date and source."""
    out: list[str] = []
    for year, path in rulebook_editions():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        title = (data.get("title") or {}).get("en", f"rulebook {year}")
        entries = list(_sourced_entries(data, []))
        estimates = sum(1 for _, entry in entries if entry.get("estimate"))
        out.append(f"## {year} edition\n")
        out.append(
            f"*{title}*, as of {data.get('as_of')} (`src/altmatch/rulebook/{path.name}`): "
            f"{len(entries)} sourced entries, {estimates} of them marked as estimates.\n"
        )
        section = None
        for dotted, entry in entries:
            top, _, rest = dotted.partition(".")
            if top != section:
                section = top
                out.append(f"\n### `{year}`: `{top}`\n")
            sources = entry.get("sources") or [entry.get("source")]
            links = ", ".join(_link(str(source)) for source in sources if source)
            when = entry.get("as_of")
            shown = when.isoformat() if isinstance(when, date) else str(when or "no date")
            flag = " (estimate)" if entry.get("estimate") else ""
            out.append(f"- `{rest or top}`: as of {shown}{flag}; {links}")
        out.append("")
    return "\n".join(out)


# --- the HTTP API -------------------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document the app serves, built in-process on a throwaway SQLite path."""
    from altmatch.config import Settings
    from altmatch.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder),
            database_url=f"sqlite:///{folder}/docs.sqlite3",
            redis_url=None,
            rulebook_year=None,
        )
        app = create_app(settings)
        document: dict[str, Any] = app.openapi()
        app.state.engine.dispose()
    return document


def _first_paragraph(text: str) -> str:
    return " ".join(re.split(r"\n\s*\n", text.strip())[0].split())


def render_api_endpoints() -> str:
    """Every operation of the OpenAPI document, grouped by tag, with its first sentence."""
    document = openapi_document()
    groups: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["other"])[0]
            summary = _first_paragraph(operation.get("description") or operation.get("summary", ""))
            row = f"| `{method.upper()} {path}` | {_cell(summary)} |"
            groups.setdefault(tag, []).append(row)
    out = [
        f"altmatch {document['info']['version']} serves {sum(map(len, groups.values()))} "
        "operations.\n"
    ]
    for tag, rows in groups.items():
        out.append(f"## {tag.capitalize()}\n")
        out.append("| method and path | what it does |\n|---|---|")
        out.append("\n".join(rows) + "\n")
    return "\n".join(out)


# --- the code's own layout ---------------------------------------------------------------

REPOSITORY = Path(__file__).resolve().parents[2]
ADAPTER_AND_SERVICE_ROOTS = ("services", "web/api", "web/pages", "cli")


def _docstring(path: Path) -> str:
    """A module's docstring as one line ("" when it has none)."""
    text = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(text.split())


def render_packages() -> str:
    """For services and each adapter: its context packages, what each holds, and its modules."""
    import altmatch

    source = Path(altmatch.__file__).parent
    out: list[str] = []
    for root in ADAPTER_AND_SERVICE_ROOTS:
        folder = source / root
        out.append(f"### `altmatch/{root}`\n")
        out.append(f"{_docstring(folder / '__init__.py')}\n")
        out.append("| package | what it holds | modules |\n|---|---|---|")
        loose = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
        if loose:
            out.append(f"| (top level) | | {', '.join(f'`{m}`' for m in loose)} |")
        for package in sorted(p.parent for p in folder.glob("*/__init__.py")):
            modules = sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__")
            listed = ", ".join(f"`{m}`" for m in modules)
            summary = _cell(_docstring(package / "__init__.py"))
            out.append(f"| `{package.name}` | {summary} | {listed} |")
        out.append("")
    return "\n".join(out)


def render_layer_contracts() -> str:
    """The import-linter contracts of pyproject.toml, each as the list it enforces."""
    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    out: list[str] = []
    for contract in config["tool"]["importlinter"]["contracts"]:
        out.append(f"**{contract['name']}** ({contract['type']}):\n")
        if contract["type"] == "layers":
            containers = contract.get("containers")
            if containers:
                out.append(f"within {', '.join(f'`{c}`' for c in containers)}, top to bottom:\n")
            out.extend(f"1. `{layer}`" for layer in contract["layers"])
        elif contract["type"] == "independence":
            out.append("none of these imports another:\n")
            out.extend(f"- `{module}`" for module in contract["modules"])
        elif contract["type"] == "forbidden":
            sources = ", ".join(f"`{m}`" for m in contract["source_modules"])
            forbidden = ", ".join(f"`{m}`" for m in contract["forbidden_modules"])
            out.append(f"{sources} may not import {forbidden}.")
        out.append("")
    return "\n".join(out)


RENDERERS: dict[str, Callable[[], str]] = {
    "cli": render_cli_reference,
    "settings": render_settings_reference,
    "rulebook-sources": render_rulebook_sources,
    "api-endpoints": render_api_endpoints,
    "packages": render_packages,
    "layer-contracts": render_layer_contracts,
}


def expand(markdown: str) -> str:
    """Replace every `<!-- generated: NAME -->` line with what RENDERERS[NAME] renders."""

    def render(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in RENDERERS:
            raise KeyError(f"no generated section named {name!r}; known: {sorted(RENDERERS)}")
        return RENDERERS[name]()

    return MARKER.sub(render, markdown)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs event: expand the generated sections of any page that asks for them."""
    return expand(markdown)
