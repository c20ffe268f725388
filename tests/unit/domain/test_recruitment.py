"""The online application's pure rules: what a complete application needs, the statement's
length, which office serves a citizenship, the receipt's reference and file sniffing."""

from __future__ import annotations

from dataclasses import replace

from altmatch.domain.eligibility import assess
from altmatch.domain.recruitment import (
    Answers,
    DocumentKind,
    Missing,
    Office,
    missing_items,
    office_for,
    profile_of,
    reference_number,
    sniff_type,
    statement_length,
)
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import HiringPath

RULES = load_rulebook().recruitment
OFFICES = (
    Office("london", frozenset({"GB"})),
    Office("wellington", frozenset({"NZ", "FJ", "TO"})),
)
COMPLETE = Answers(name="Ana Reyes", citizenship="gb", statement="x" * RULES.statement.min_chars)
BOTH = (DocumentKind.DEGREE, DocumentKind.TRANSCRIPT)


def _missing(answers: Answers = COMPLETE, **kw: object) -> list[Missing]:
    args: dict[str, object] = {
        "office": office_for(answers.citizenship, OFFICES),
        "documents": BOTH,
        "referees": 2,
        "references_received": 2,
    }
    args.update(kw)
    return missing_items(answers, RULES, **args)  # type: ignore[arg-type]


def test_a_complete_application_misses_nothing() -> None:
    assert _missing() == []


def test_an_empty_draft_misses_everything_in_the_forms_order() -> None:
    found = _missing(Answers(), office=None, documents=(), referees=0, references_received=0)
    assert found == [
        Missing.NAME,
        Missing.CITIZENSHIP,
        Missing.STATEMENT_SHORT,
        Missing.DEGREE,
        Missing.TRANSCRIPT,
        Missing.REFEREES,
    ]


def test_references_must_arrive_unless_the_rulebook_lets_them_follow() -> None:
    assert not RULES.references.may_follow  # the 2026 edition waits for them
    assert _missing(references_received=1) == [Missing.REFERENCES]
    following = RULES.model_copy(
        update={"references": RULES.references.model_copy(update={"may_follow": True})}
    )
    found = missing_items(
        COMPLETE,
        following,
        office=OFFICES[0],
        documents=BOTH,
        referees=2,
        references_received=0,
    )
    assert found == []


def test_the_statement_limit_counts_characters_not_bytes() -> None:
    """4,000 Japanese characters are 12,000 bytes in UTF-8 but 4,000 characters: allowed;
    one more is over."""
    limit = RULES.statement.max_chars
    at_limit = replace(COMPLETE, statement="あ" * limit)
    assert len(at_limit.statement.encode()) == 3 * limit
    assert _missing(at_limit) == []
    assert _missing(replace(COMPLETE, statement="あ" * (limit + 1))) == [Missing.STATEMENT_LONG]


def test_line_endings_and_surrounding_blanks_do_not_count() -> None:
    assert statement_length("  ab\r\ncd  \n") == 5  # "ab\ncd"


def test_the_office_follows_citizenship_in_any_case() -> None:
    assert office_for("fj", OFFICES) == OFFICES[1]
    assert office_for(" GB ", OFFICES) == OFFICES[0]
    assert office_for("JM", OFFICES) is None and office_for("", OFFICES) is None
    assert _missing(replace(COMPLETE, citizenship="JM")) == [Missing.OFFICE]


def test_the_profile_is_what_eligibility_reads() -> None:
    path = load_rulebook().paths[HiringPath.JET]
    assert assess(path, profile_of(COMPLETE)).failed == ()
    failed = assess(path, profile_of(replace(COMPLETE, citizenship="fr"))).failed
    assert [r.id for r in failed] == ["jet.citizenship"]


def test_the_reference_number_names_year_office_and_application() -> None:
    assert reference_number(2027, "london", 42) == "2027-LONDON-000042"


def test_a_file_is_known_by_its_first_bytes() -> None:
    assert sniff_type(b"%PDF-1.7 ...") == "application/pdf"
    assert sniff_type(b"\xff\xd8\xff\xe0 jfif") == "image/jpeg"
    assert sniff_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_type(b"GIF89a") is None and sniff_type(b"<html>%PDF-") is None
