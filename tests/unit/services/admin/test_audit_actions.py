"""Every audit action the services record has words in both languages (the audit log shows
them beside the code), found by reading the sources, so a new action cannot slip by."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import altmatch
from altmatch.i18n import use_locale
from altmatch.services.admin.audit_actions import AUDIT_ACTIONS, action_label

SRC = Path(altmatch.__file__).parent


def _strings(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> set[str]:
    """The string values an action argument can take: literals, both arms of `a if c else b`,
    and names assigned string literals in the same module."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, assigned) | _strings(node.orelse, assigned)
    if isinstance(node, ast.Name):
        found: set[str] = set()
        for value in assigned.get(node.id, []):
            found |= _strings(value, assigned)
        return found
    return set()


def _event_actions(tree: ast.Module) -> set[str]:
    """The literal actions a module's `_event(session, actor, row, action, ...)` calls pass."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "_event"
            and len(node.args) > 3
            and isinstance(node.args[3], ast.Constant)
        ):
            found.add(str(node.args[3].value))
    return found


def recorded_actions() -> set[str]:
    """Every action code `record_audit` is called with anywhere in the package."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "record_audit"
            ):
                continue
            arg = node.args[2] if len(node.args) > 2 else None
            if isinstance(arg, ast.JoinedStr):  # f"case.{action}": the module's _event actions
                prefix = arg.values[0]
                assert isinstance(prefix, ast.Constant), path
                codes |= {f"{prefix.value}{a}" for a in _event_actions(tree)}
                continue
            values = _strings(arg, assigned) if arg is not None else set()
            assert values, f"{path}:{node.lineno}: an action this test cannot read"
            codes |= values
    return codes


def test_the_source_scan_finds_the_actions_it_should() -> None:
    """The scan itself works: literals, names, conditionals and f-string families."""
    found = recorded_actions()
    for code in (
        "run.published",  # a literal
        "application.stage_moved",  # a module constant
        "user.disabled",  # one arm of a conditional
        "posting_application.moved",
        "case.resolved",  # f"case.{action}"
        "transfer.effective",  # f"transfer.{action}"
    ):
        assert code in found


def test_every_recorded_action_has_words() -> None:
    missing = sorted(recorded_actions() - AUDIT_ACTIONS.keys())
    assert missing == [], f"add these to services/admin/audit_actions.py: {missing}"


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "Outcome published"), ("ja", "結果を公表")]
)
def test_an_action_reads_in_the_readers_language(locale: str, expected: str) -> None:
    with use_locale(locale):
        assert action_label("run.published") == expected


def test_an_unknown_code_is_shown_as_itself() -> None:
    with use_locale("ja"):
        assert action_label("something.new") == "something.new"
