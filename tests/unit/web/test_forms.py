"""FormErrors: a refused form's errors in the reader's words, never pydantic's English."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from altmatch.i18n import N_, Message, translations
from altmatch.rulebook.vocabulary import Jlpt
from altmatch.services.kernel.errors import RuleError, stale_record
from altmatch.services.kernel.validation import NOT_VALID, TEMPLATES, UNKNOWN_FIELD
from altmatch.web.pages.forms import FormErrors, field_name

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


class Everything(BaseModel):
    """One field per kind of constraint a page's form model uses."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=3)
    code: str = Field(pattern=r"^[A-Z]+$")
    count: int = Field(ge=1, le=5)
    share: float = Field(gt=0, lt=1)
    kind: Literal["a", "b"]
    level: Jlpt
    day: date
    moment: datetime
    flag: bool
    tags: list[str] = Field(min_length=1, max_length=2)
    note: str
    odd: int = 1

    @field_validator("odd")
    @classmethod
    def _odd(cls, value: int) -> int:
        if value % 2 == 0:
            raise ValueError("must be odd")  # English only: pydantic's value_error
        return value


BAD = {
    "name": "x",
    "code": "abc",
    "count": 9,
    "share": 0,
    "kind": "c",
    "level": "N7",
    "day": "someday",
    "moment": "soon",
    "flag": "perhaps",
    "tags": [],
    "odd": 2,
    "colour": "red",
}  # and `note` missing


def _refused(data: dict[str, object]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate(data)
    return caught.value


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_no_pydantic_sentence_reaches_the_reader(locale: str) -> None:
    exc = _refused(BAD)
    errors = FormErrors.from_validation(exc, locale)
    pydantic_sentences = {str(e["msg"]) for e in exc.errors()}
    assert len(errors.entries) == len(exc.errors()) == 13
    for entry in errors.entries:
        assert entry.message not in pydantic_sentences, entry
        assert "should" not in entry.message and "Value error" not in entry.message
        if locale == "ja":
            assert JAPANESE.search(entry.message), entry


def test_each_field_gets_its_catalog_message_with_the_limit() -> None:
    errors = FormErrors.from_validation(_refused(BAD), "en")
    assert errors.get("name") == "enter at least 2 characters"
    assert errors.get("count") == "must be at most 5"
    assert errors.get("share") == "must be more than 0"
    assert errors.get("tags") == "choose at least 1"
    assert errors.get("note") == "this field is required"
    assert errors.get("odd") == "this value is not valid"  # a validator's own English is not shown
    assert errors.get("colour") == "unknown field"
    assert "'N7'" in (errors.get("level") or "") and "'N1'" in (errors.get("level") or "")
    ja = FormErrors.from_validation(_refused(BAD), "ja")
    assert ja.get("count") == "5以下にしてください"
    assert ja.get("note") == "この項目は必須です"


def test_every_message_the_mapping_uses_is_translated() -> None:
    for msgid in [*TEMPLATES.values(), NOT_VALID, UNKNOWN_FIELD]:
        assert translations("ja").get(msgid), msgid


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (("body", "subject"), "subject"),
        (("school_levels", 0), "school_levels"),
        (("pins", 1, "alt_id"), "pins"),
        (("priorities", "pay"), "priorities.pay"),
        ((), None),
        ("entries.0.role", "entries"),
        ("version", "version"),
        (None, None),
    ],
)
def test_an_error_location_names_the_form_input(
    loc: tuple[int | str, ...] | str | None, name: str | None
) -> None:
    assert field_name(loc) == name


def test_a_refusal_sits_on_its_field_or_on_the_form_and_a_stale_record_is_409() -> None:
    refused = FormErrors.from_rule(RuleError(Message(N_("Title")), "title_en"), "ja")
    assert refused.get("title_en") == translations("ja")["Title"] and refused.status_code == 422
    whole = FormErrors.from_rule(RuleError(Message(N_("Title"))), "en")
    assert whole.entries[0].field is None and whole.messages == ["Title"]
    stale = FormErrors.from_error(stale_record(), "en")
    assert stale.status_code == 409 and "version" in stale
    assert FormErrors.from_rule(stale_record(), "en", status_code=400).status_code == 400


def test_no_error_is_falsy_and_reads_like_an_empty_mapping() -> None:
    none = FormErrors()
    assert not none and none.get("anything") is None and "anything" not in none
    two = FormErrors.of(N_("Title"), "en", "title_en")
    assert two and two.get("title_en") == "Title"
