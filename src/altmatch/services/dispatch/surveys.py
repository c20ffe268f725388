"""A dispatch company's termly satisfaction surveys: the results its staff read (response rates,
scores and comments per ALT × school), the school contacts the surveys go to, and
`pair_satisfaction`, which the roster optimiser and the retention watch read. Opening a round
is services.dispatch.survey_rounds (re-exported here); the links and e-mails are
services.dispatch.survey_links.

Only the company's staff (and the operator, naming a company) see any of this: the ALT's
answers about a school are confidential from the school and its Board of Education, and no
page a school or BoE can open shows them (BoE staff lack DISPATCH_MANAGE; the school has only
its own link, which shows its own form).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db import surveys as repo
from altmatch.db.dispatch import positions_in_force
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    RosterAlt,
    School,
    SurveyInvitation,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.satisfaction import PairSatisfaction, SurveyKind, mean_score
from altmatch.rulebook import load_rulebook
from altmatch.services.dispatch.contracts import company_for, named
from altmatch.services.dispatch.survey_rounds import (
    OpenRoundIn,
    PlannedInvitationOut,
    RoundOut,
    RoundPreviewOut,
    expires_at,
    form_of,
    items_of,
    open_round,
    plan_round,
    preview_round,
    round_out,
)
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import RowId

__all__ = [
    "ContactIn",
    "OpenRoundIn",
    "PairSatisfaction",
    "PlannedInvitationOut",
    "RoundOut",
    "RoundPreviewOut",
    "SurveysOut",
    "company_surveys",
    "expires_at",
    "form_of",
    "items_of",
    "open_round",
    "pair_satisfaction",
    "preview_round",
    "set_school_contact",
]

# --- what the optimiser and the retention watch read --------------------------------------------


def pair_satisfaction(
    session: Session, company_id: int, *, on: dt.date
) -> dict[tuple[int, int], PairSatisfaction]:
    """Each (roster ALT id, school id) pair of the company with an answered survey in a round
    open by `on`: the school's mean score (1-5) from the latest round the school answered, the
    ALT's from the latest round the ALT answered, how many of the two there are, and the term
    of the latest. Answers given after `on` (Japan time) are not read; pairs without any answer
    are absent."""
    school_items = items_of(SurveyKind.SCHOOL)
    alt_items = items_of(SurveyKind.ALT)
    latest: dict[tuple[int, int, str], tuple[float, str]] = {}
    for invitation, round_ in repo.answered_invitations(session, company_id, on, expires_at(on)):
        key = (invitation.alt_id, invitation.school_id, invitation.kind)
        if key in latest:
            continue  # rows come latest term first
        items = school_items if invitation.kind == SurveyKind.SCHOOL else alt_items
        score = mean_score(invitation.answers or {}, items)
        if score is not None:
            latest[key] = (score, f"{round_.academic_year}-{round_.term}")
    out: dict[tuple[int, int], PairSatisfaction] = {}
    for alt_id, school_id in {(a, s) for a, s, _k in latest}:
        school = latest.get((alt_id, school_id, SurveyKind.SCHOOL.value))
        alt = latest.get((alt_id, school_id, SurveyKind.ALT.value))
        keys = [x[1] for x in (school, alt) if x is not None]
        out[(alt_id, school_id)] = PairSatisfaction(
            school_score=school[0] if school else None,
            alt_score=alt[0] if alt else None,
            responses=len(keys),
            round_key=max(keys, key=lambda k: tuple(int(p) for p in k.split("-"))),
        )
    return out


# --- read models -----------------------------------------------------------------------------


class AnswerOut(BaseModel):
    invitation_id: int
    answered: bool
    answered_at: dt.datetime | None
    scores: dict[str, int]
    mean: float | None
    comment: str


class PairResultOut(BaseModel):
    alt_id: int
    alt: str
    alt_name: str
    school_id: int
    school: str
    school_answer: AnswerOut | None  # None: not invited (no contact recorded)
    alt_answer: AnswerOut | None  # confidential: company staff only
    fit: float | None


class ContactOut(BaseModel):
    position_id: int
    position: str
    contract: str
    school: str
    contact_name: str | None
    contact_email: str | None


class ItemOut(BaseModel):
    id: str
    question: str


class SurveysOut(BaseModel):
    """The company's rounds with their response rates, the chosen round's results per pair
    (the ALT's answers included: company staff only), and the school contacts."""

    company_id: int
    company: str
    today: dt.date
    rounds: list[RoundOut]
    selected: RoundOut | None
    pairs: list[PairResultOut]
    school_items: list[ItemOut]
    alt_items: list[ItemOut]
    contacts: list[ContactOut]
    next_round: RoundPreviewOut


EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ContactIn(BaseModel):
    """The company's contact at the school of one of its positions (both empty: none)."""

    position_id: RowId
    contact_name: str = Field(default="", max_length=200)
    contact_email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)


# --- results ---------------------------------------------------------------------------------


def _answer_out(row: SurveyInvitation, kind: SurveyKind) -> AnswerOut:
    scores = dict(row.answers or {})
    return AnswerOut(
        invitation_id=row.id,
        answered=row.answered_at is not None,
        answered_at=row.answered_at,
        scores=scores,
        mean=mean_score(scores, items_of(kind)),
        comment=row.comment,
    )


def _pairs(
    session: Session, invitations: Sequence[SurveyInvitation], locale: str
) -> list[PairResultOut]:
    by_pair: dict[tuple[int, int], dict[str, SurveyInvitation]] = {}
    for row in invitations:
        by_pair.setdefault((row.alt_id, row.school_id), {})[row.kind] = row
    out = []
    for (alt_id, school_id), sides in by_pair.items():
        alt = session.get(RosterAlt, alt_id)
        school = session.get(School, school_id)
        if alt is None or school is None:
            continue
        school_row = sides.get(SurveyKind.SCHOOL.value)
        alt_row = sides.get(SurveyKind.ALT.value)
        school_answer = _answer_out(school_row, SurveyKind.SCHOOL) if school_row else None
        alt_answer = _answer_out(alt_row, SurveyKind.ALT) if alt_row else None
        fit = PairSatisfaction(
            school_answer.mean if school_answer else None,
            alt_answer.mean if alt_answer else None,
            0,
        ).fit
        out.append(
            PairResultOut(
                alt_id=alt.id,
                alt=alt.external_id,
                alt_name=alt.name,
                school_id=school.id,
                school=named(school, locale),
                school_answer=school_answer,
                alt_answer=alt_answer,
                fit=round(fit, 3) if fit is not None else None,
            )
        )
    out.sort(key=lambda p: (p.fit if p.fit is not None else 2.0, p.alt, p.school_id))
    return out


def _contacts(session: Session, company_id: int, on: dt.date, locale: str) -> list[ContactOut]:
    return [
        ContactOut(
            position_id=pos.id,
            position=pos.external_id,
            contract=contract.reference,
            school=named(school, locale),
            contact_name=pos.contact_name,
            contact_email=pos.contact_email,
        )
        for pos, contract, school, _p in positions_in_force(session, company_id, on)
    ]


def company_surveys(
    sessions: Sessions,
    actor: Actor,
    *,
    round_id: int | None = None,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
) -> SurveysOut:
    """The company's rounds (latest first) with response rates, the results of `round_id`
    (default: the latest), the school contacts, and what opening this term's round would do.
    Another company's round is NotFoundError."""
    require(actor, Permission.DISPATCH_MANAGE)
    today = today or today_in_japan()
    book = load_rulebook()
    with sessions() as session:
        company = company_for(session, actor, company_id)
        rounds = repo.rounds_of_company(session, company.id)
        invitations = repo.invitations_of_rounds(session, [r.id for r in rounds])
        by_round: dict[int, list[SurveyInvitation]] = {}
        for row in invitations:
            by_round.setdefault(row.round_id, []).append(row)
        outs = [round_out(r, by_round.get(r.id, []), locale) for r in rounds]
        if round_id is not None and round_id not in {r.id for r in rounds}:
            raise NotFoundError("survey_round")
        chosen = round_id if round_id is not None else (rounds[0].id if rounds else None)
        selected = next((r for r in outs if r.id == chosen), None)
        rules = book.dispatch_surveys
        return SurveysOut(
            company_id=company.id,
            company=named(company, locale),
            today=today,
            rounds=outs,
            selected=selected,
            pairs=_pairs(session, by_round.get(chosen, []), locale) if chosen else [],
            school_items=[
                ItemOut(id=i.id, question=i.question.get(locale)) for i in rules.school_survey.items
            ],
            alt_items=[
                ItemOut(id=i.id, question=i.question.get(locale)) for i in rules.alt_survey.items
            ],
            contacts=_contacts(session, company.id, today, locale),
            next_round=plan_round(session, company.id, today, locale, book)[0],
        )


def set_school_contact(
    sessions: Sessions, actor: Actor, body: ContactIn, *, company_id: int | None = None
) -> ContactOut:
    """Record whom the school survey of one of the company's positions goes to. Another
    company's position is NotFoundError."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions.begin() as session:
        company = company_for(session, actor, company_id)
        pos = session.get(ContractPosition, body.position_id)
        contract = session.get(DispatchContract, pos.contract_id) if pos is not None else None
        if pos is None or contract is None or contract.company_id != company.id:
            raise NotFoundError("position")
        before = {"contact_name": pos.contact_name, "contact_email": pos.contact_email}
        pos.contact_name = body.contact_name.strip() or None
        pos.contact_email = str(body.contact_email) if body.contact_email else None
        after = {"contact_name": pos.contact_name, "contact_email": pos.contact_email}
        record_audit(
            session,
            actor,
            "position.contact",
            "contract_position",
            pos.id,
            before,
            after,
            tenant_id=company.id,
        )
        school = session.get(School, pos.school_id)
        return ContactOut(
            position_id=pos.id,
            position=pos.external_id,
            contract=contract.reference,
            school=school.name_en if school else "",
            contact_name=pos.contact_name,
            contact_email=pos.contact_email,
        )
