"""The demo's termly surveys: a contact at every position's school, last term's round complete
(most pairs well matched, some poorly, with comments on both sides) and this term's round open
with some answers still to come, so the surveys page, the survey link and the assignment's
satisfaction option all have something to show.

Among each company's ALTs working a position on the day last term ended (by staff number):
every sixth pair from the third on is poorly matched (the school answers 2s and a 3, the ALT
1s and 2s, both with a comment); the others are well matched (4s and 5s). Every seventh ALT
did not answer last term. In this term's round every third pair has answered (the same
pattern), the rest are pending; their e-mails go out when the sweep runs on or after the day
the round opens. ALTs receive their survey at an example address (the demo's ALTs have no
e-mail of their own).

Deterministic: it draws nothing, so the rest of the demo is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from altmatch.demo.dispatch_records import (
    DemoAssignment,
    DemoContact,
    DemoContract,
    DemoRosterAlt,
    DemoSurveyInvitation,
    DemoSurveyRound,
    DemoSurveys,
    in_japan,
)
from altmatch.demo.personas import personas
from altmatch.domain.access import Role
from altmatch.domain.satisfaction import Term, previous_term, survey_window, term_of
from altmatch.rulebook.schema import Rulebook

SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
GOOD_SCHOOL = (5, 4, 5, 4)
POOR_SCHOOL = (2, 2, 3, 2)
GOOD_ALT = (4, 5, 4)
POOR_ALT = (2, 1, 2)
POOR_SCHOOL_COMMENT = "授業の準備が不十分なことが多く、打ち合わせの時間にも遅れがちです。"
GOOD_SCHOOL_COMMENT = "生徒に人気があり、授業の準備も丁寧です。来年度もお願いしたいです。"
POOR_ALT_COMMENT = (
    "I have no desk in the staff room and rarely know which lessons I will teach until I arrive."
)
GOOD_ALT_COMMENT = "The teachers plan with me every week and the students are great."


def _contacts(company_id: str, contracts: Sequence[DemoContract]) -> list[DemoContact]:
    out = []
    n = 0
    for contract in contracts:
        if contract.company_id != company_id:
            continue
        for position in contract.positions:
            surname = SURNAMES[n % len(SURNAMES)]
            n += 1
            out.append(
                DemoContact(
                    company_id,
                    position.external_id,
                    f"{surname}（教頭）",
                    f"vp.{position.school_external_id}@schools.example.jp",
                )
            )
    return out


def _working(
    assignments: Sequence[DemoAssignment], company_id: str, day: date
) -> list[DemoAssignment]:
    """The company's assignments on `day`, one per ALT (the latest started), by staff number."""
    latest: dict[str, DemoAssignment] = {}
    for a in assignments:
        working = a.company_id == company_id and a.start <= day and (a.end is None or a.end >= day)
        newer = a.alt_external_id not in latest or latest[a.alt_external_id].start <= a.start
        if working and newer:
            latest[a.alt_external_id] = a
    return [latest[k] for k in sorted(latest)]


def _round(
    company_id: str,
    term: Term,
    book: Rulebook,
    pairs: Sequence[DemoAssignment],
    contacts: Mapping[str, DemoContact],
    names: Mapping[str, str],
    staff: str | None,
    *,
    answered: Sequence[bool],
    alt_answered: Sequence[bool],
) -> DemoSurveyRound:
    window = survey_window(term, book.dispatch_surveys.window)
    opened = in_japan(window.opens_on - timedelta(days=1), 10)
    sent = in_japan(window.opens_on, 9)
    invitations = []
    for n, pair in enumerate(pairs):
        poor = n % 6 == 2
        contact = contacts[pair.position_external_id]
        at = in_japan(window.opens_on + timedelta(days=2 + n % 5), 15)
        items = book.dispatch_surveys.school_survey.items
        scores = POOR_SCHOOL if poor else GOOD_SCHOOL
        invitations.append(
            DemoSurveyInvitation(
                "school",
                pair.alt_external_id,
                pair.position_external_id,
                contact.email,
                contact.name,
                "ja",
                sent,
                at if answered[n] else None,
                {i.id: s for i, s in zip(items, scores, strict=True)} if answered[n] else None,
                (POOR_SCHOOL_COMMENT if poor else GOOD_SCHOOL_COMMENT) if answered[n] else "",
            )
        )
        alt_items = book.dispatch_surveys.alt_survey.items
        alt_scores = POOR_ALT if poor else GOOD_ALT
        done = alt_answered[n]
        invitations.append(
            DemoSurveyInvitation(
                "alt",
                pair.alt_external_id,
                pair.position_external_id,
                f"{pair.alt_external_id.lower()}@alts.example.jp",
                names.get(pair.alt_external_id, pair.alt_external_id),
                "en",
                sent,
                at + timedelta(hours=3) if done else None,
                {i.id: s for i, s in zip(alt_items, alt_scores, strict=True)} if done else None,
                (POOR_ALT_COMMENT if poor else GOOD_ALT_COMMENT) if done else "",
            )
        )
    return DemoSurveyRound(
        company_id,
        term.academic_year,
        term.number,
        window.opens_on,
        window.closes_on,
        window.remind_on,
        opened,
        staff,
        tuple(invitations),
    )


def add_surveys(
    contracts: Sequence[DemoContract],
    roster: Sequence[DemoRosterAlt],
    assignments: Sequence[DemoAssignment],
    today: date,
    book: Rulebook,
) -> DemoSurveys:
    """The demo's contacts and survey rounds (see the module)."""
    terms = book.dispatch_surveys.school_terms
    this_term = term_of(today, terms)
    last_term = previous_term(this_term, terms)
    names = {a.external_id: a.name for a in roster}
    contacts: list[DemoContact] = []
    rounds: list[DemoSurveyRound] = []
    for company_id in sorted({c.company_id for c in contracts}):
        mine = _contacts(company_id, contracts)
        contacts.extend(mine)
        by_position = {c.position_external_id: c for c in mine}
        staff = next(
            (
                p.key
                for p in personas()
                if p.role is Role.COMPANY_STAFF and p.organisation_id == company_id
            ),
            None,
        )
        last = [
            p
            for p in _working(assignments, company_id, last_term.end)
            if p.position_external_id in by_position
        ]
        if last:
            rounds.append(
                _round(
                    company_id,
                    last_term,
                    book,
                    last,
                    by_position,
                    names,
                    staff,
                    answered=[True] * len(last),
                    alt_answered=[n % 7 != 6 for n in range(len(last))],
                )
            )
        now = [
            p
            for p in _working(assignments, company_id, today)
            if p.position_external_id in by_position
        ]
        if now:
            answered = [n % 3 == 0 for n in range(len(now))]
            rounds.append(
                _round(
                    company_id,
                    this_term,
                    book,
                    now,
                    by_position,
                    names,
                    staff,
                    answered=answered,
                    alt_answered=answered,
                )
            )
    return DemoSurveys(tuple(contacts), tuple(rounds))
