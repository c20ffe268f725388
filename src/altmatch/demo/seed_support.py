"""Seed support routing and a few cases for the demo personas, through the services: each
persona staff member answers their organisation's first level, and the employed ALT personas
have cases to look at (one overdue, one answered). Running it again adds nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta

from altmatch.clock import JAPAN, utc_now
from altmatch.db import Sessions
from altmatch.demo import Persona
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.domain.support import RouteRole
from altmatch.rulebook.vocabulary import CaseCategory, Urgency
from altmatch.services.accounts.authentication import act_as
from altmatch.services.my_placement import my_placement
from altmatch.services.support.case_reads import list_my_cases
from altmatch.services.support.cases import CaseIn, MessageIn, open_case, post_message
from altmatch.services.support.routing import RouteEntryIn, RoutesIn, list_routes, set_routes

# Who answers first: a BoE's supervisor, a company's support desk.
FIRST_LEVEL = {Role.BOE_STAFF: RouteRole.SUPERVISOR, Role.COMPANY_STAFF: RouteRole.SUPPORT_DESK}

# (ALT persona, category, urgency, subject, description, days ago, staff persona who answered)
CASES = (
    (
        "alt_james",
        CaseCategory.HOUSING,
        Urgency.NORMAL,
        "Mould in my apartment",
        "Black mould keeps coming back on the bedroom wall of the flat the company found for "
        "me. The landlord has not answered my messages. Could someone contact the agency?",
        6,
        None,
    ),
    (
        "alt_hannah",
        CaseCategory.PAY_CONTRACT,
        Urgency.LOW,
        "Summer pay on my payslip",
        "My August payslip shows a lower base salary than my contract. Is this the summer "
        "break rate, and where is it written in my contract?",
        9,
        "minato_company_staff",
    ),
)
REPLY = (
    "Thank you for asking. The August rate is in article 7 of your contract (the summer break "
    "rate). I will send you that page of the contract tomorrow."
)


def seed_demo_support(
    sessions: Sessions, personas: Sequence[Persona], orgs: Mapping[str, int]
) -> int:
    """Route each persona staff member's organisation to them, then open the demo cases once;
    returns the number of cases opened."""
    for persona in personas:
        role = FIRST_LEVEL.get(persona.role)
        org = orgs.get(persona.organisation_id or "")
        if role is None or org is None or list_routes(sessions, OPERATOR, org).entries:
            continue
        user = act_as(sessions, OPERATOR, persona.login)
        entry = RouteEntryIn(role=role, user_id=user.user_id)
        set_routes(sessions, OPERATOR, org, RoutesIn(entries=[entry]))
    by_key = {p.key: p for p in personas}
    opened = 0
    now = utc_now()
    for alt_key, category, urgency, subject, text, days_ago, answered_by in CASES:
        alt_persona = by_key.get(alt_key)
        if alt_persona is None:
            continue
        alt = act_as(sessions, OPERATOR, alt_persona.login)
        if list_my_cases(sessions, alt).cases:
            continue
        at = _not_before_contract(sessions, alt, now - timedelta(days=days_ago), now)
        body = CaseIn(category=category, urgency=urgency, subject=subject, description=text)
        case = open_case(sessions, alt, body, now=at)
        opened += 1
        if answered_by and answered_by in by_key:
            staff = act_as(sessions, OPERATOR, by_key[answered_by].login)
            reply = MessageIn(body=REPLY)
            answered_at = min(at + timedelta(hours=3), now)
            post_message(sessions, staff, case.id, reply, now=answered_at)
    return opened


def _not_before_contract(sessions: Sessions, alt: Actor, at: datetime, now: datetime) -> datetime:
    """`at`, or the start (in Japan) of the ALT's current contract if that began later: a case
    is routed by the contract in force on the day it is opened, and a persona's contract may
    have begun only days ago."""
    today = now.astimezone(JAPAN).date()
    starts = [c.start for c in my_placement(sessions, alt).contracts if c.start <= today]
    if not starts:
        return at  # opening the case says what is missing
    return max(at, datetime.combine(max(starts), time(), JAPAN))
