"""Every context reads and writes through its repository (altmatch.db.*), as the season does.

A service may name a Session, catch SQLAlchemy's exceptions and get, add, flush or delete a row
it holds; the queries themselves live in the repositories, so there is one place per context to
read (and tune) the SQL.
"""

from __future__ import annotations

import ast
from pathlib import Path

import altmatch.services

SERVICES = Path(altmatch.services.__file__).parent
# None: anything from that module (the exceptions).
ALLOWED_FROM_SQLALCHEMY: dict[str, set[str] | None] = {
    "sqlalchemy.orm": {"Session"},
    "sqlalchemy.exc": None,
    "sqlalchemy.orm.exc": None,
}
QUERYING_CALLS = {"query", "execute", "scalars", "scalar"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            allowed = ALLOWED_FROM_SQLALCHEMY.get(node.module or "", set())
            if allowed is None:
                continue
            for alias in node.names:
                if alias.name not in allowed:
                    problems.append(f"line {node.lineno}: imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            problems += [
                f"line {node.lineno}: imports {a.name}"
                for a in node.names
                if a.name.startswith("sqlalchemy")
            ]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERYING_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
        ):
            problems.append(f"line {node.lineno}: session.{node.func.attr}(...)")
    return problems


def test_no_service_writes_sql_of_its_own() -> None:
    found = {
        str(path.relative_to(SERVICES)): problems
        for path in sorted(SERVICES.rglob("*.py"))
        if (problems := _problems(path))
    }
    assert found == {}, "queries belong in altmatch.db's repositories"


def test_the_check_sees_a_query(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlalchemy import select\nfrom sqlalchemy.orm import Session\n"
        "def f(session: Session) -> None:\n    session.scalars(select(1))\n",
        encoding="utf-8",
    )
    assert _problems(sample) == [
        "line 1: imports sqlalchemy.select",
        "line 4: session.scalars(...)",
    ]
