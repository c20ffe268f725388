"""Deleting one's own account (APPI): everything altmatch holds about the person is deleted or
pseudonymised in one transaction, except what the rulebook's personal_data.retention keeps.

What happens, context by context (the deletion page and docs/operations/security.md say the
same to people):

- account, sessions, second-factor rows, sign-in attempts, notifications and account e-mails
  (confirmation links, invitations to their applications' address): deleted;
- online applications (answers, statement of purpose, documents, referees and their letters,
  screening decisions): deleted;
- season applications: deleted when no match run used them; otherwise pseudonymised in place
  (name "Deleted applicant #<id>", no e-mail, no account link) and withdrawn if still active,
  because published runs are immutable and were computed from them;
- employment contracts, the roster entry (with its assignment history) and a hire's
  application: kept as the employment record, unlinked and stripped of everything else (name,
  home, skills, preferences, checklist, the compliance watch's dates, cover note), until the
  rulebook's period after the employment ends; current assignments end today; the company's
  acknowledgements of compliance alerts about the person, the renewal questions asked of them
  with their answers, and the termly surveys about them (their own answers and the schools')
  are deleted;
- transfer requests and applications that did not lead to a hire: deleted;
- support cases: kept without the ALT's words (subject, description, their messages and files
  erased), closed if open, until the rulebook's period after they closed;
- audit entries about the person or their records: ids and actions kept, values dropped;
- the employer of a contract in force is told, by contract number only, and a dispatch
  company whose roster lists the person, by their staff number only.

Names and the e-mail address are also scrubbed from the texts that others wrote and that are
kept (handlers' messages, notes and file names, mediation records, stage-change notes): a best
effort, since free text can name someone in ways no program recognises.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import JAPAN, utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import direct_hire as direct_hire_repo
from altmatch.db import dispatch as dispatch_repo
from altmatch.db import interview_decisions as decisions_repo
from altmatch.db import personal_data as repo
from altmatch.db import support as support_repo
from altmatch.db.models import (
    ApplicationStageChange,
    CaseEvent,
    EmploymentContract,
    PostingApplication,
    RosterAlt,
    SeasonCandidate,
    SupportCase,
    User,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.i18n import N_, Message
from altmatch.rulebook.vocabulary import RetainedKind
from altmatch.services.accounts.users import normalise_email
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError
from altmatch.services.personal_data.online_applications import delete_online_applications
from altmatch.services.personal_data.retention import keep_until
from altmatch.services.support.notifications import notify

SCRUBBED = "[deleted]"
# Application stages a deleted applicant leaves (withdrawn): they can no longer be placed.
ACTIVE_STAGES = frozenset(
    {"submitted", "screened", "interviewed", "shortlisted", "alternate", "placed"}
)
# Audit values kept about a deleted person's records: ids, states and counts, never text.
AUDIT_KEYS = frozenset(
    {
        "stage",
        "status",
        "level",
        "version",
        "role",
        "kind",
        "path",
        "posting_id",
        "employer_id",
        "organisation_id",
        "contract_id",
        "user_id",
        "attachment_id",
        "mediation_id",
        "size",
        "from",
        "to",
        "reopened_count",
        "sessions_revoked",
        "consent_version",
        "locale",
        "renewal_intention",
        "scope",
        "failures",
        "reason",
        "enabled",
    }
)


class ErasureOut(BaseModel):
    """What deleting the account did: rows deleted and rows kept (pseudonymised), by kind, and
    the organisations told."""

    deleted: dict[str, int]
    kept: dict[str, int]
    told: list[int]


def keep_audit_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """An audit entry's values without anything personal: only AUDIT_KEYS with plain values."""
    if values is None:
        return None
    return {
        k: v
        for k, v in values.items()
        if k in AUDIT_KEYS and (v is None or isinstance(v, bool | int | float | str))
    }


def scrubber(names: Iterable[str]) -> Callable[[str], str]:
    """A function that replaces the person's names and e-mail address in a text by SCRUBBED:
    each whole name, each part of a name (3 letters or more; 2 or more for Japanese), and the
    e-mail address and its local part. Latin words match whole words only, case-insensitively."""
    words: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        words.add(name)
        if "@" in name:
            local = name.split("@", 1)[0]
            if len(local) >= 3:
                words.add(local)
            continue
        for part in name.split(" "):
            if len(part) >= 3 or (len(part) >= 2 and not part.isascii()):
                words.add(part)
    if not words:
        return lambda text: text
    patterns = [
        rf"(?<!\w){re.escape(w)}(?!\w)" if w.isascii() else re.escape(w)
        for w in sorted(words, key=len, reverse=True)
    ]
    found = re.compile("|".join(patterns), re.IGNORECASE)
    return lambda text: found.sub(SCRUBBED, text) if text else text


@dataclass
class _Erasure:
    """One account's erasure, inside the caller's transaction."""

    session: Session
    user: User
    at: datetime
    deleted: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    told: list[int] = field(default_factory=list)
    records: dict[str, set[int]] = field(default_factory=dict)
    scrub: Callable[[str], str] = field(default=lambda text: text)

    @property
    def today(self) -> date:
        return self.at.astimezone(JAPAN).date()

    def run(self) -> ErasureOut:
        session, user = self.session, self.user
        applications = [c for c, _season in repo.season_applications(session, user.id)]
        roster = dispatch_repo.roster_alt_of_user(session, user.id)
        contracts = repo.contracts_of(session, user.id, [c.id for c in applications])
        postings = direct_hire_repo.applications_of_user(session, user.id)
        cases = support_repo.cases_of_alt(session, user.id)
        names = [user.display_name, user.email, *(c.name for c in applications)]
        names += [c.email for c in applications if c.email]
        if roster is not None:
            names.append(roster.name)
        self.scrub = scrubber(names)
        self.records = {
            "season_candidate": {c.id for c in applications},
            "employment_contract": {c.id for c in contracts},
            "posting_application": {a.id for a in postings},
            "support_case": {c.id for c in cases},
            "roster_alt": {roster.id} if roster else set(),
            "transfer_request": {
                t.id for t in (dispatch_repo.transfers_of_alt(session, roster.id) if roster else [])
            },
        }
        self._tell_employers(contracts)
        self._audit_entries()
        # before the season applications they point at; their files and references go too
        self.deleted["online_application"] += delete_online_applications(session, user.id)
        self._season_applications(applications)
        self._contracts(contracts)
        if roster is not None:
            self._roster_entry(roster)
        self._direct_hire(postings, {c.id: c for c in contracts})
        self._support_cases(cases)
        notices = repo.notifications_of(session, user.id)
        for notice in notices:
            session.delete(notice)
        self.deleted["notification"] += len(notices)
        proven = user.email if user.email_verified_at is not None else None
        applied = [c.id for c in applications]
        self.deleted["account_email"] += repo.delete_email_tokens(session, user.id, applied, proven)
        session.flush()
        return ErasureOut(
            deleted=dict(sorted(self.deleted.items())),
            kept=dict(sorted(self.kept.items())),
            told=self.told,
        )

    # -- the employer, told ---------------------------------------------------------------

    def _tell_employers(self, contracts: list[EmploymentContract]) -> None:
        """Staff of each employer with a contract in force today learn that the account is
        gone, by contract number: nothing they do not already hold."""
        current = [c for c in contracts if c.start <= self.today <= c.end]
        for contract in current:
            staff = repo.staff_of(self.session, [contract.employer_id])
            notify(
                self.session,
                [u.id for u in staff],
                kind="account_deleted",
                message=Message(
                    N_(
                        "The ALT of employment contract #{contract_id} deleted their altmatch "
                        "account. altmatch keeps the employment record without their name; "
                        "what is kept, and for how long, is on the account deletion page."
                    ),
                    {"contract_id": contract.id},
                ),
            )
            if contract.employer_id not in self.told:
                self.told.append(contract.employer_id)

    # -- audit entries --------------------------------------------------------------------

    def _audit_entries(self) -> None:
        entries = repo.audit_entries_about(self.session, self.user.id, self.records)
        repo.redact_audit_entries(self.session, [e.id for e in entries], keep_audit_values)
        self.kept["audit_entry"] += len(entries)

    # -- season applications --------------------------------------------------------------

    def _season_applications(self, applications: list[SeasonCandidate]) -> None:
        used = repo.candidates_in_runs(self.session, [c.id for c in applications])
        repo.delete_candidates(self.session, [c.id for c in applications if c.id not in used])
        self.deleted["season_application"] += sum(1 for c in applications if c.id not in used)
        for candidate in (c for c in applications if c.id in used):
            candidate.name = f"Deleted applicant #{candidate.id}"
            candidate.email = None
            candidate.user_id = None
            if candidate.stage in ACTIVE_STAGES:
                self.session.add(
                    ApplicationStageChange(
                        candidate_id=candidate.id,
                        at=self.at,
                        by_user_id=None,
                        from_stage=candidate.stage,
                        to_stage="withdrawn",
                    )
                )
                candidate.stage = "withdrawn"
            self.kept["season_application"] += 1
        # the interview round's decision about a person is not part of a run's inputs: it goes
        decisions_repo.delete_decisions(self.session, [c.id for c in applications if c.id in used])
        self.session.flush()

    # -- the employment record ------------------------------------------------------------

    def _keep(self, entity: str, row_id: int, kind: RetainedKind, start: date) -> bool:
        """List a row as kept until its period ends; False (keep nothing) when it has ended
        already, so the caller deletes the row at once."""
        last = keep_until(kind, start)
        if last < self.today:
            return False
        repo.add_retained(
            self.session, entity=entity, entity_id=row_id, kind=kind.value, keep_until=last
        )
        self.kept[entity] += 1
        return True

    def _contracts(self, contracts: list[EmploymentContract]) -> None:
        ended = [
            c.id
            for c in contracts
            if not self._keep("employment_contract", c.id, RetainedKind.EMPLOYMENT_RECORD, c.end)
        ]
        repo.delete_contracts(self.session, ended)
        self.deleted["employment_contract"] += len(ended)
        repo.unlink_contracts(self.session, [c.id for c in contracts if c.id not in ended])

    def _roster_entry(self, alt: RosterAlt) -> None:
        """The company's roster entry: the staff number, contract end and assignment history
        stay; the ALT's person goes. Transfer requests (their wishes and reasons) are deleted:
        the moves that were made are in the assignment history. So are the acknowledgements of
        compliance alerts about them (their notes may say anything about the person), and the
        termly surveys about them (theirs of their schools, and the schools' of them)."""
        repo.delete_transfers_of_alt(self.session, alt.id)
        self.deleted["transfer_request"] += len(self.records["transfer_request"])
        acknowledged = repo.delete_acknowledgements_of_alt(self.session, alt.id)
        if acknowledged:
            self.deleted["compliance_acknowledgement"] += acknowledged
        answered = repo.delete_renewal_asks_of_alt(self.session, alt.id)
        if answered:
            self.deleted["renewal_ask"] += answered
        surveys = repo.delete_surveys_of_alt(self.session, alt.id)
        if surveys:
            self.deleted["survey"] += surveys
        if not self._keep("roster_alt", alt.id, RetainedKind.EMPLOYMENT_RECORD, alt.contract_end):
            self.session.delete(alt)
            self.deleted["roster_alt"] += 1
            return
        repo.end_open_assignments(self.session, alt.id, self.today)
        staff = repo.staff_of(self.session, [alt.company_id])
        notify(
            self.session,
            [u.id for u in staff],
            kind="account_deleted",
            message=Message(
                N_(
                    "The ALT with staff number {staff_number} on your roster deleted their "
                    "altmatch account. altmatch keeps the roster entry without their name or "
                    "home, has ended their current school assignments and leaves them out of "
                    "assignment plans; what is kept, and for how long, is on the account "
                    "deletion page."
                ),
                {"staff_number": alt.external_id},
            ),
        )
        if alt.company_id not in self.told:
            self.told.append(alt.company_id)
        alt.user_id = None
        alt.name = f"Deleted ALT #{alt.id}"
        alt.home_prefecture = ""
        alt.home_municipality = ""
        alt.home_latitude = None
        alt.home_longitude = None
        alt.school_experience = []
        alt.driving_licence = False
        alt.jlpt = "none"
        alt.preferred_prefectures = []
        alt.checklist = {}
        alt.employed_since = None
        alt.residence_card_expires_on = None
        alt.renewal_intention = "leaving"
        self.session.flush()

    def _direct_hire(
        self, applications: list[PostingApplication], contracts: dict[int, EmploymentContract]
    ) -> None:
        """An application that led to a hire is a hiring document, kept with the employment
        record; every other application is deleted with its history."""
        for app in applications:
            contract = contracts.get(app.contract_id) if app.contract_id else None
            hired = app.stage == "hired"
            end = contract.end if contract is not None else self.today
            if hired and self._keep(
                "posting_application", app.id, RetainedKind.EMPLOYMENT_RECORD, end
            ):
                app.user_id = None
                app.cover_note = ""
                for change in repo.posting_stage_changes(self.session, [app.id]):
                    change.note = self.scrub(change.note)
                continue
            self.session.delete(app)
            self.deleted["posting_application"] += 1
        self.session.flush()

    # -- support cases --------------------------------------------------------------------

    def _support_cases(self, cases: list[SupportCase]) -> None:
        """Keep each case's own record without the ALT's words; close it if it is open."""
        ids = [c.id for c in cases]
        repo.delete_messages_by(self.session, ids, self.user.id)
        repo.delete_attachments_by(self.session, ids, self.user.id)
        for message in repo.kept_messages(self.session, ids):
            message.body = self.scrub(message.body)
        for attachment in repo.attachment_rows(self.session, ids):
            attachment.filename = self.scrub(attachment.filename)
        for case in cases:
            for mediation, _school in support_repo.case_mediations(self.session, case.id):
                mediation.agreed = self.scrub(mediation.agreed)
        self.session.flush()  # before any case (and what hangs on it) is deleted
        for case in cases:
            open_now = case.status != "resolved"
            resolved = self.at if open_now else (case.resolved_at or self.at)
            day = resolved.astimezone(JAPAN).date()
            if not self._keep("support_case", case.id, RetainedKind.SUPPORT_CASE, day):
                self.session.delete(case)
                self.deleted["support_case"] += 1
                continue
            if open_now:
                case.status = "resolved"
                case.resolved_at = self.at
                self.session.add(
                    CaseEvent(
                        case_id=case.id, at=self.at, by_user_id=None, action="account_deleted"
                    )
                )
            case.alt_user_id = None
            case.subject = ""
            case.description = ""
        self.session.flush()


def delete_my_account(
    sessions: Sessions, actor: Actor, *, confirm_email: str, now: datetime | None = None
) -> ErasureOut:
    """Delete the signed-in candidate's or ALT's account once they have typed their e-mail
    address to confirm: all of it, or (on any error) nothing. What is kept, why and for how
    long is the rulebook's personal_data.retention (see the module docstring)."""
    require(actor, Permission.ACCOUNT_DELETE_OWN)
    at = now or utc_now()
    with sessions.begin() as session:
        user = accounts_repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        if normalise_email(confirm_email) != user.email:
            raise RuleError(
                Message(N_("Type your email address exactly to confirm.")), "confirm_email"
            )
        out = _Erasure(session, user, at).run()
        before = {"role": user.role, "consent_version": user.consent_version}
        after = {"deleted": out.deleted, "kept": out.kept, "told": out.told}
        record_audit(session, actor, "user.deleted", "user", user.id, before, after)
        accounts_repo.delete_user(session, user)
    return out
