"""What deleting your account will do, for the page (and its JSON twin) that asks you to
confirm: what is deleted, what is kept (which fields, why, legal basis and period, from the
rulebook) and how many of your records that touches, and who is told."""

from __future__ import annotations

from pydantic import BaseModel

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import direct_hire as direct_hire_repo
from altmatch.db import dispatch as dispatch_repo
from altmatch.db import personal_data as repo
from altmatch.db import season as season_repo
from altmatch.db import support as support_repo
from altmatch.domain.access import Actor, NotFoundError, Permission
from altmatch.i18n import N_, Message, render
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import RetainedKind

DELETED = (
    N_(
        "Your account, your sessions on every device, your two-factor settings and recovery "
        "codes, and the record of sign-ins and sign-ups made with your e-mail address."
    ),
    N_("Your notifications, and the account e-mails written to your confirmed address."),
    N_(
        "Your online applications: answers, statement of purpose, documents, your referees' "
        "names, addresses and letters, and the screening decisions."
    ),
    N_("Season applications that no match run was computed from, with their history."),
    N_("Your transfer requests and their history."),
    N_("Direct-hire applications that did not lead to a hire, with their history."),
    N_(
        "From everything that is kept: your name, e-mail address, home address and "
        "coordinates, skills, preferences, onboarding checklist and cover notes, and the "
        "subject, description, messages and files you wrote in support cases. Your name and "
        "e-mail are also removed from the texts others wrote that are kept (a best effort)."
    ),
)
NOT_LINKED = N_(
    "Saved path-advisor comparisons are not linked to your account: they stay reachable only "
    "by their link, and altmatch cannot tell which are yours."
)


class KeptOut(BaseModel):
    """One kind of kept record, as the rulebook states it, in the reader's language."""

    kind: RetainedKind
    record: str
    kept: str
    why: str
    period: str
    years: int | None
    source: str
    yours: int  # how many of your records are of this kind today


class ToldOut(BaseModel):
    organisation_id: int
    name: str


class DeletionNoticeOut(BaseModel):
    can_delete: bool  # candidates and ALTs; staff accounts are closed by an administrator
    deleted: list[str]
    not_linked: str
    kept: list[KeptOut]
    told: list[ToldOut]  # employers of a contract in force today, and the roster's company


def deletion_notice(sessions: Sessions, actor: Actor, *, locale: str = "en") -> DeletionNoticeOut:
    """What deleting the signed-in person's account would delete, keep and tell, today."""
    rules = load_rulebook().personal_data.retention
    today = today_in_japan()
    with sessions() as session:
        user = accounts_repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        applications = [c.id for c, _s in repo.season_applications(session, user.id)]
        contracts = repo.contracts_of(session, user.id, applications)
        roster = dispatch_repo.roster_alt_of_user(session, user.id)
        hired = [
            a for a in direct_hire_repo.applications_of_user(session, user.id) if a.stage == "hired"
        ]
        records = {
            "season_candidate": applications,
            "employment_contract": [c.id for c in contracts],
            "roster_alt": [roster.id] if roster else [],
            "posting_application": [a.id for a in hired],
            "support_case": [c.id for c in support_repo.cases_of_alt(session, user.id)],
        }
        yours = {
            RetainedKind.EMPLOYMENT_RECORD: len(contracts) + (roster is not None) + len(hired),
            RetainedKind.SUPPORT_CASE: len(records["support_case"]),
            RetainedKind.SEASON_APPLICATION: len(repo.candidates_in_runs(session, applications)),
            RetainedKind.AUDIT_ENTRY: len(repo.audit_entries_about(session, user.id, records)),
        }
        employers = [c.employer_id for c in contracts if c.start <= today <= c.end]
        if roster is not None:
            employers.append(roster.company_id)
        orgs = season_repo.organisations(session, set(employers))
        told = [
            ToldOut(
                organisation_id=i,
                name=orgs[i].name_ja if locale == "ja" else orgs[i].name_en,
            )
            for i in dict.fromkeys(employers)
            if i in orgs
        ]
    return DeletionNoticeOut(
        can_delete=actor.can(Permission.ACCOUNT_DELETE_OWN),
        deleted=[render(Message(m), locale) for m in DELETED],
        not_linked=render(Message(NOT_LINKED), locale),
        kept=[
            KeptOut(
                kind=kind,
                record=rule.record.get(locale),
                kept=rule.kept.get(locale),
                why=rule.why.get(locale),
                period=rule.period.get(locale),
                years=rule.years,
                source=str(rule.source),
                yours=yours[kind],
            )
            for kind, rule in rules.items()
        ],
        told=told,
    )
