"""Each kind of pydantic refusal reads in Japanese with its limit, on a page and in the JSON
API's `msg` (which keeps pydantic's `type` and `loc` for machines and never echoes the input)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from altmatch.rulebook.vocabulary import Jlpt
from altmatch.web.api.errors import field_errors
from altmatch.web.pages.forms import FormErrors

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


class Form(BaseModel):
    levels: list[str] = Field(default=["x"], min_length=1, max_length=2)
    title: str = Field(default="ok", min_length=2, max_length=5)
    count: int = Field(default=1, ge=0, le=9)
    ratio: float = Field(default=0.5, gt=0, lt=1)
    jlpt: Jlpt = Jlpt.N3
    kind: Literal["a", "b"] = "a"
    day: date = date(2027, 4, 1)
    moment: datetime = datetime(2027, 4, 1, 9)
    flag: bool = False
    needed: str


# (field, bad value, pydantic's type, what the Japanese message must contain)
CASES: list[tuple[str, Any, str, str]] = [
    ("levels", [], "too_short", "1"),
    ("levels", ["a", "b", "c"], "too_long", "2"),
    ("title", "x", "string_too_short", "2"),
    ("title", "x" * 9, "string_too_long", "5"),
    ("count", "many", "int_parsing", ""),
    ("count", -1, "greater_than_equal", "0"),
    ("count", 10, "less_than_equal", "9"),
    ("ratio", "half", "float_parsing", ""),
    ("ratio", 0, "greater_than", "0"),
    ("ratio", 1, "less_than", "1"),
    ("jlpt", "N7", "enum", "N1"),
    ("kind", "c", "literal_error", "'a'"),
    ("day", "someday", "date_from_datetime_parsing", "YYYY-MM-DD"),
    ("moment", "soon", "datetime_from_date_parsing", "YYYY-MM-DD"),
    ("flag", "perhaps", "bool_parsing", ""),
    ("needed", None, "missing", ""),
]


def _refusal(field: str, value: Any) -> ValidationError:
    data: dict[str, Any] = {"needed": "yes"}
    if value is None:
        data.pop(field)
    else:
        data[field] = value
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(data)
    return caught.value


@pytest.mark.parametrize(("field", "value", "kind", "param"), CASES, ids=[c[2] for c in CASES])
def test_each_refusal_reads_in_japanese_with_its_limit(
    field: str, value: Any, kind: str, param: str
) -> None:
    exc = _refusal(field, value)
    (error,) = exc.errors()
    assert error["type"] == kind
    message = FormErrors.from_validation(exc, "ja").get(field)
    assert message is not None and JAPANESE.search(message), message
    assert param in message
    assert error["msg"] not in message
    for english in ("should", "Field required", "Input", "List", "valid"):
        assert english not in message, message


@pytest.mark.parametrize(("field", "value", "kind", "param"), CASES, ids=[c[2] for c in CASES])
def test_the_api_says_it_in_the_readers_words_and_keeps_type_and_loc(
    field: str, value: Any, kind: str, param: str
) -> None:
    exc = _refusal(field, value)
    errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
    (ja,) = field_errors(errors, "ja")
    (en,) = field_errors(errors, "en")
    assert ja["type"] == en["type"] == kind
    assert ja["loc"] == ["body", field]
    assert JAPANESE.search(ja["msg"]) and param in ja["msg"]
    assert en["msg"] != exc.errors()[0]["msg"]  # the catalog's sentence, not pydantic's
    if value is not None and kind in ("enum", "literal_error"):
        assert repr(value) not in ja["msg"] and repr(value) not in en["msg"]  # no echo
