"""The online application (issue 19): what a complete application holds, which recruiting office
handles it, and the facts eligibility reads from it.

Pure: the rulebook supplies the limits, the caller the answers and what has been uploaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from altmatch.domain.profile import Profile
from altmatch.i18n import N_, register_labels
from altmatch.rulebook.recruitment import Recruitment
from altmatch.rulebook.vocabulary import Degree, English, Jlpt


class DocumentKind(StrEnum):
    DEGREE = "degree"
    TRANSCRIPT = "transcript"


register_labels(
    DocumentKind,
    {DocumentKind.DEGREE: N_("Degree certificate"), DocumentKind.TRANSCRIPT: N_("Transcript")},
)


class ReferenceStatus(StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    EXPIRED = "expired"


register_labels(
    ReferenceStatus,
    {
        ReferenceStatus.REQUESTED: N_("Requested"),
        ReferenceStatus.RECEIVED: N_("Received"),
        ReferenceStatus.EXPIRED: N_("Link expired"),
    },
)


class Missing(StrEnum):
    """What keeps an application from being submitted."""

    NAME = "name"
    CITIZENSHIP = "citizenship"
    OFFICE = "office"  # no recruiting office serves the citizenship
    STATEMENT_SHORT = "statement_short"
    STATEMENT_LONG = "statement_long"
    DEGREE = "degree"
    TRANSCRIPT = "transcript"
    REFEREES = "referees"
    REFERENCES = "references"


register_labels(
    Missing,
    {
        Missing.NAME: N_("Your name"),
        Missing.CITIZENSHIP: N_("Your citizenship"),
        Missing.OFFICE: N_("A recruiting office for your citizenship: none serves that country"),
        Missing.STATEMENT_SHORT: N_("A statement of purpose of at least the minimum length"),
        Missing.STATEMENT_LONG: N_("A statement of purpose within the length limit"),
        Missing.DEGREE: N_("Your degree certificate"),
        Missing.TRANSCRIPT: N_("Your transcript"),
        Missing.REFEREES: N_("Two referees named"),
        Missing.REFERENCES: N_("Both references received"),
    },
)


@dataclass(frozen=True)
class Answers:
    """An application's answers, as typed (a draft may leave any of them empty)."""

    name: str = ""
    citizenship: str = ""  # ISO 3166-1 alpha-2
    degree: Degree = Degree.BACHELOR
    english: English = English.NATIVE
    jlpt: Jlpt = Jlpt.NONE
    teaching_years: int = 0
    driving_licence: bool = False
    prior_jet_years: int = 0
    years_in_japan_recent: int = 0
    preferred_prefectures: tuple[str, ...] = ()
    statement: str = ""
    time_zone: str = ""  # IANA name; blank: the recruiting office's zone


@dataclass(frozen=True)
class Office:
    """A recruiting office as the domain sees it: its code and the countries it serves."""

    code: str
    countries: frozenset[str] = field(default_factory=frozenset)


def office_for(citizenship: str, offices: Iterable[Office]) -> Office | None:
    """The office serving the citizenship (ISO code, any case); the first in the given order
    when two claim it, None when none does."""
    code = citizenship.strip().upper()
    if not code:
        return None
    return next((o for o in offices if code in {c.upper() for c in o.countries}), None)


def statement_length(text: str) -> int:
    """Characters as the applicant sees them: line breaks count as one, ends are trimmed."""
    return len(text.replace("\r\n", "\n").strip())


def missing_items(
    answers: Answers,
    rules: Recruitment,
    *,
    office: Office | None,
    documents: Iterable[DocumentKind],
    referees: int,
    references_received: int,
) -> list[Missing]:
    """Everything a submission still needs, in the form's order; empty: it can be submitted.
    References count only when the rulebook does not let them follow the submission."""
    out: list[Missing] = []
    if not answers.name.strip():
        out.append(Missing.NAME)
    if not answers.citizenship.strip():
        out.append(Missing.CITIZENSHIP)
    elif office is None:
        out.append(Missing.OFFICE)
    length = statement_length(answers.statement)
    if length < rules.statement.min_chars:
        out.append(Missing.STATEMENT_SHORT)
    elif length > rules.statement.max_chars:
        out.append(Missing.STATEMENT_LONG)
    held = set(documents)
    out += [m for kind, m in _DOCUMENTS if kind not in held]
    wanted = rules.references.count
    if referees < wanted:
        out.append(Missing.REFEREES)
    elif not rules.references.may_follow and references_received < wanted:
        out.append(Missing.REFERENCES)
    return out


_DOCUMENTS: Sequence[tuple[DocumentKind, Missing]] = (
    (DocumentKind.DEGREE, Missing.DEGREE),
    (DocumentKind.TRANSCRIPT, Missing.TRANSCRIPT),
)


def profile_of(answers: Answers) -> Profile:
    """The facts eligibility reads: an applicant abroad, as the form states them."""
    return Profile(
        degree=answers.degree,
        citizenship=answers.citizenship.strip().upper(),
        english=answers.english,
        teaching_years=answers.teaching_years,
        jlpt=answers.jlpt,
        driving_licence=answers.driving_licence,
        prior_jet_years=answers.prior_jet_years,
        years_in_japan_recent=answers.years_in_japan_recent,
    )


def reference_number(season_year: int, office_code: str, application_id: int) -> str:
    """The receipt's reference: year, office and the application's number, e.g.
    2027-LONDON-000042 (readable over the phone, unique because the id is)."""
    return f"{season_year}-{office_code.upper()}-{application_id:06d}"


# The first bytes of each accepted kind of file: what an upload is, whatever its name claims.
_SIGNATURES: Sequence[tuple[bytes, str]] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_type(data: bytes) -> str | None:
    """The content type the file's own bytes show (PDF, JPEG or PNG), or None."""
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)
