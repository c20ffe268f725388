"""Every kind of notice is listed once, in one place (services.notifications.KINDS), so the
unread badge, the notifications page and the e-mail preferences know it: a `notify(...)` call
anywhere in the code with a literal kind that is not listed fails here."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import altmatch
from altmatch.services.notifications import GROUP_LABELS, GROUPS, KINDS, SECURITY_KINDS, group_of

SOURCE = Path(altmatch.__file__).parent


def _literal_kinds() -> dict[str, str]:
    """kind → where a notify(...) call names it literally."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name != "notify":
                continue
            for keyword in node.keywords:
                if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                    found[str(keyword.value.value)] = f"{path.relative_to(SOURCE)}:{node.lineno}"
    return found


def test_every_kind_a_notify_call_names_is_listed() -> None:
    named = _literal_kinds()
    assert {"case_update", "requests_locked", "account_deleted"} <= set(named)
    assert {k: where for k, where in named.items() if k not in KINDS} == {}


def test_each_kind_is_in_exactly_one_group_and_every_group_has_a_label() -> None:
    assert [k for k, n in Counter(KINDS).items() if n > 1] == []
    assert set(GROUP_LABELS) == set(GROUPS)
    assert set(GROUPS["account"]) >= SECURITY_KINDS
    for kind in ("transfer_decided", "transfer_effective", "hired", "not_hired"):
        assert group_of(kind) == "transfers"
    assert group_of("outcome_published") == "season" and group_of("case_update") == "support"
