"""The APPI disclosure: everything altmatch holds about the signed-in person, from every context,
as one JSON document or as a ZIP archive with a machine-readable `index.json`.

The archive holds one file per section (JSON, or CSV where the records are flat rows), the
support-case attachments as files under `attachments/<case id>/`, and `index.json`, which names
each section's file, format, record count, source tables and a description in English and
Japanese, lists every attachment with its case, size and SHA-256, and says what is left out on
purpose (secrets, handlers' internal notes, other people's data).

Memory stays bounded: the sections of one person are small, and attachments (up to the
rulebook's size limit each) are read from the database and written to the archive one at a
time, into a file object the caller provides (a spooled temporary file in the web layer).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import numpy as np
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import direct_hire as direct_hire_repo
from altmatch.db import dispatch as dispatch_repo
from altmatch.db import interview_calibration as calibration_repo
from altmatch.db import interview_decisions as decisions_repo
from altmatch.db import personal_data as repo
from altmatch.db import retention_watch as retention_repo
from altmatch.db import season as season_repo
from altmatch.db import support as support_repo
from altmatch.db.models import SeasonCandidate, User
from altmatch.domain.access import Actor, NotFoundError
from altmatch.i18n import N_, Message, render
from altmatch.io.export import ExportCell, export_rows
from altmatch.services.accounts.users import user_out
from altmatch.services.personal_data.online_applications import (
    ApplicationFile,
    application_file_bytes,
    online_application_records,
)
from altmatch.services.season.reasons_store import read_explanation

FORMAT = "altmatch.personal-data-export"
VERSION = 1
ARCHIVE_NAME = "altmatch-my-data.zip"


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _both(msgid: str) -> dict[str, str]:
    """A catalog message in both interface languages."""
    return {"en": render(Message(msgid), "en"), "ja": render(Message(msgid), "ja")}


@dataclass(frozen=True)
class Section:
    """One part of the export: its records, where they come from and what they are."""

    name: str
    sources: tuple[str, ...]
    description: str  # a catalog msgid
    records: list[dict[str, Any]] | dict[str, Any]
    columns: tuple[str, ...] = ()  # set: the archive holds it as CSV with these columns

    @property
    def file(self) -> str:
        return f"{self.name}.{'csv' if self.columns else 'json'}"

    @property
    def count(self) -> int:
        return len(self.records) if isinstance(self.records, list) else 1

    def index_entry(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "format": "csv" if self.columns else "json",
            "records": self.count,
            "sources": list(self.sources),
            "description": _both(self.description),
        }


@dataclass
class Attachment:
    """A support-case file: described in the index, its bytes read only when written."""

    case_id: int
    attachment_id: int
    filename: str
    content_type: str
    size: int
    uploaded_by_you: bool
    at: datetime
    sha256: str = ""

    @property
    def file(self) -> str:
        safe = re.sub(r"[^\w.\-]+", "_", self.filename).lstrip("._") or "file"
        return f"attachments/{self.case_id}/{self.attachment_id}-{safe}"

    def entry(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "case_id": self.case_id,
            "attachment_id": self.attachment_id,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "uploaded_by_you": self.uploaded_by_you,
            "at": _iso(self.at),
        }


CONTRACT_COLUMNS = (
    "contract_id",
    "path",
    "employer",
    "employer_ja",
    "workplace_boe",
    "start",
    "end",
    "recontract_year",
    "application_id",
    "created_at",
)
ASSIGNMENT_COLUMNS = (
    "school",
    "school_ja",
    "municipality",
    "position",
    "contract_reference",
    "days_per_week",
    "start",
    "end",
)
NOTIFICATION_COLUMNS = ("at", "kind", "case_id", "text", "read_at", "emailed_at")
ACCOUNT_EMAIL_COLUMNS = ("purpose", "to", "created_at", "sent_at", "expires_at", "used_at")


# What the export leaves out on purpose, and why (index.json's `left_out`).
LEFT_OUT = (
    N_(
        "Your password, the secret of your authenticator app, your recovery codes and the "
        "tokens of your sessions: altmatch keeps only one-way hashes or secrets that would let "
        "someone sign in as you, not information about you."
    ),
    N_(
        "Support handlers' internal notes on your cases: they are your employer's working "
        "notes and are never shown to you in altmatch either. The replies sent to you are "
        "included."
    ),
    N_(
        "Other people's data: other applicants, ALTs and staff (a match run's other results, "
        "an optimiser's proposed moves for other ALTs, the names of school contacts in "
        "mediation records)."
    ),
)


@dataclass
class _Collected:
    user_id: int
    sections: list[Section] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    application_files: list[ApplicationFile] = field(default_factory=list)


def _account(session: Session, user: User) -> Section:
    record = user_out(session, user).model_dump(mode="json")
    record["two_factor_enabled"] = user.totp_enabled_at is not None
    return Section(
        "account",
        ("users", "organisations"),
        N_(
            "Your account: name, e-mail address, role, organisation, language, when it was "
            "created and the consent you gave."
        ),
        record,
    )


def _sign_ins(session: Session, user: User) -> list[Section]:
    sessions = [
        {
            "created_at": _iso(s.created_at),
            "last_seen_at": _iso(s.last_seen_at),
            "expires_at": _iso(s.expires_at),
            "revoked_at": _iso(s.revoked_at),
        }
        for s in accounts_repo.list_user_sessions(session, user.id)
    ]
    attempts = [
        {"at": _iso(a.at), "ip": a.ip, "success": a.success}
        for a in accounts_repo.list_login_attempts(session, user.email)
    ]
    return [
        Section(
            "sessions",
            ("user_sessions",),
            N_(
                "Your sign-in sessions: when each started, was last used, expires or was "
                "ended. The secret tokens are left out."
            ),
            sessions,
            ("created_at", "last_seen_at", "expires_at", "revoked_at"),
        ),
        Section(
            "sign_in_attempts",
            ("login_attempts",),
            N_(
                "Sign-in and sign-up attempts made with your e-mail address: when, from which "
                "address (sign-ups are marked sign-up:), and whether they succeeded."
            ),
            attempts,
            ("at", "ip", "success"),
        ),
    ]


def _application(
    session: Session, row: SeasonCandidate, season_name: str, year: int
) -> dict[str, Any]:
    return {
        "application_id": row.id,
        "season": {"id": row.season_id, "name": season_name, "year": year},
        "candidate_id": row.external_id,
        "name": row.name,
        "email": row.email,
        "answers": {
            "jlpt": row.jlpt,
            "teaching_years": row.teaching_years,
            "driving_licence": row.driving_licence,
            "school_experience": list(row.school_experience),
            "preferred_prefectures": list(row.preferred_prefectures),
            "preferred_area": row.preferred_area,
            "preferred_school_levels": list(row.preferred_school_levels),
            "accepts_anywhere": row.accepts_anywhere,
        },
        "interview_score": row.interview_score,
        "interview_calibration": _calibrated(session, row),
        "interview_decision": _interview_decision(session, row),
        "stage": row.stage,
        "stage_history": [
            {
                "at": _iso(c.at),
                "from_stage": c.from_stage,
                "to_stage": c.to_stage,
                "by_you": c.by_user_id == row.user_id and row.user_id is not None,
            }
            for c in season_repo.stage_changes(session, row.id)
        ],
    }


def _calibrated(session: Session, row: SeasonCandidate) -> dict[str, Any] | None:
    """The application's place in the season's current interview calibration, if it has one:
    the scores the match read in place of the raw interview score."""
    calibration = calibration_repo.current_calibration(session, row.season_id)
    if calibration is None:
        return None
    found = calibration_repo.calibrated_candidate(session, calibration.id, row.id)
    if found is None:
        return None
    return {
        "calibration_id": calibration.id,
        "raw_mean": found.raw_mean,
        "calibrated_score": found.score,
        "standard_error": found.se,
        "assessors": found.assessors,
        "match_score": found.match_score,
    }


def _interview_decision(session: Session, row: SeasonCandidate) -> dict[str, Any] | None:
    """The interview round's decision on the application, with the figures it was made on."""
    found = decisions_repo.decision_of(session, row.id)
    if found is None:
        return None
    return {
        "decision": found.decision,
        "alternate_position": found.alternate_position,
        "position": found.position,
        "raw_mean": found.raw_mean,
        "calibrated_score": found.score,
        "standard_error": found.se,
        "cut": found.cut,
        "alternate_cut": found.alternate_cut,
        "reasons": list(found.reasons),
        "calibration_id": found.calibration_id,
        "decided_at": _iso(found.decided_at),
    }


def _season(session: Session, user: User) -> tuple[list[Section], list[int]]:
    applications = repo.season_applications(session, user.id)
    ids = [c.id for c, _s in applications]
    outcomes: list[dict[str, Any]] = []
    runs: dict[int, list[dict[str, Any]]] = {}
    for placement, run, request, boe in repo.published_placements(session, ids):
        first = placement.alternate_request_id
        first_at = repo.requests_by_id(session, {first}).get(first) if first else None
        outcome = {
            "application_id": placement.candidate_id,
            "season_id": run.season_id,
            "run_id": run.id,
            "run_kind": run.kind,
            "published_at": _iso(run.published_at),
            "placed": request is not None,
            "request_id": request.external_id if request else None,
            "boe": boe.name_en if boe else None,
            "boe_ja": boe.name_ja if boe else None,
            "prefecture": request.prefecture if request else None,
            "choice": placement.candidate_rank,
            "chance": placement.chance,
            "chance_low": placement.chance_low,
            "chance_high": placement.chance_high,
            "explanation": read_explanation(session, placement),
            "first_alternate_place": {
                "request_id": first_at.external_id,
                "position": placement.alternate_position,
            }
            if first_at
            else None,
            "alternate_positions": [],
        }
        outcomes.append(outcome)
        runs.setdefault(run.id, []).append(outcome)
    for run_id, found in runs.items():
        _alternate_positions(session, run_id, found)
    sections = [
        Section(
            "season_applications",
            ("season_candidates", "seasons", "application_stage_changes"),
            N_(
                "Your placement season applications: the answers the match uses, your "
                "interview score, the stage and every change of stage."
            ),
            [_application(session, c, s.name, s.year) for c, s in applications],
        ),
        Section(
            "season_outcomes",
            ("run_placements", "run_alternates", "match_runs", "season_requests"),
            N_(
                "Your outcome in each published match run: where you were placed (or not) and "
                "why, your chance when it was computed, where you would first be called as an "
                "alternate, and your place on each request's stored alternates list (its first "
                "50; deeper places are not kept, they are recomputed when asked for)."
            ),
            outcomes,
        ),
    ]
    return sections, ids


def _alternate_positions(session: Session, run_id: int, outcomes: list[dict[str, Any]]) -> None:
    """Add each application's place (1 = called first) on the run's stored alternates lists
    (each request's first ALTERNATES_STORED)."""
    wanted = {o["application_id"]: o for o in outcomes}
    places: list[tuple[int, int, int]] = []  # (application, request row, position)
    for request_id, ids in season_repo.run_alternates(session, run_id):
        for cid in wanted:
            hits = np.flatnonzero(ids == cid)
            if hits.size:
                places.append((cid, request_id, int(hits[0]) + 1))
    requests = repo.requests_by_id(session, {r for _c, r, _p in places})
    for cid, request_id, position in places:
        request = requests.get(request_id)
        wanted[cid]["alternate_positions"].append(
            {"request_id": request.external_id if request else None, "position": position}
        )


def _employment(session: Session, user: User, candidate_ids: Sequence[int]) -> list[Section]:
    contracts = repo.contracts_of(session, user.id, candidate_ids)
    orgs = season_repo.organisations(
        session,
        {c.employer_id for c in contracts}
        | {c.workplace_boe_id for c in contracts if c.workplace_boe_id},
    )
    contract_rows = [
        {
            "contract_id": c.id,
            "path": c.path,
            "employer": orgs[c.employer_id].name_en if c.employer_id in orgs else "",
            "employer_ja": orgs[c.employer_id].name_ja if c.employer_id in orgs else "",
            "workplace_boe": orgs[c.workplace_boe_id].name_en if c.workplace_boe_id in orgs else "",
            "start": _iso(c.start),
            "end": _iso(c.end),
            "recontract_year": c.recontract_year,
            "application_id": c.candidate_id,
            "created_at": _iso(c.created_at),
        }
        for c in contracts
    ]
    alt = dispatch_repo.roster_alt_of_user(session, user.id)
    entries: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    transfers: list[dict[str, Any]] = []
    if alt is not None:
        company = season_repo.organisations(session, {alt.company_id})[alt.company_id]
        entries.append(
            {
                "roster_id": alt.id,
                "company": company.name_en,
                "company_ja": company.name_ja,
                "staff_number": alt.external_id,
                "name": alt.name,
                "home_prefecture": alt.home_prefecture,
                "home_municipality": alt.home_municipality,
                "home_latitude": alt.home_latitude,
                "home_longitude": alt.home_longitude,
                "school_experience": list(alt.school_experience),
                "driving_licence": alt.driving_licence,
                "jlpt": alt.jlpt,
                "contract_end": _iso(alt.contract_end),
                "renewal_intention": alt.renewal_intention,
                "preferred_prefectures": list(alt.preferred_prefectures or []),
                "onboarding_checklist": dict(alt.checklist or {}),
                "employed_since": _iso(alt.employed_since),
                "residence_card_expires_on": _iso(alt.residence_card_expires_on),
                "compliance_acknowledgements": [
                    {
                        "rule": a.rule,
                        "due_on": _iso(a.due_on),
                        "acknowledged_at": _iso(a.acknowledged_at),
                        "note": a.note,
                    }
                    for a in dispatch_repo.acknowledgements_of_alt(session, alt.id)
                ],
                "renewal_asks": [
                    {
                        "contract_end": _iso(r.contract_end),
                        "deadline": _iso(r.deadline),
                        "asked_at": _iso(r.asked_at),
                        "reminded_at": _iso(r.reminded_at),
                        "answered_at": _iso(r.answered_at),
                        "answer": r.answer,
                        "reason": r.reason,
                    }
                    for r in retention_repo.asks_of_alt(session, alt.id)
                ],
                "your_surveys_of_your_schools": [
                    {
                        "school_id": i.school_id,
                        "sent_to": i.email,
                        "sent_at": _iso(i.sent_at),
                        "answered_at": _iso(i.answered_at),
                        "answers": dict(i.answers or {}),
                        "comment": i.comment,
                    }
                    for i in repo.own_survey_answers(session, alt.id)
                ],
                "created_at": _iso(alt.created_at),
            }
        )
        for a, position, contract, school in dispatch_repo.assignment_history(session, [alt.id]):
            assignments.append(
                {
                    "school": school.name_en,
                    "school_ja": school.name_ja,
                    "municipality": school.municipality,
                    "position": position.external_id,
                    "contract_reference": contract.reference,
                    "days_per_week": position.days_per_week,
                    "start": _iso(a.start),
                    "end": _iso(a.end),
                }
            )
        for t in dispatch_repo.transfers_of_alt(session, alt.id):
            transfers.append(
                {
                    "transfer_id": t.id,
                    "to_prefecture": t.to_prefecture,
                    "to_municipality": t.to_municipality,
                    "reasons": t.reasons,
                    "status": t.status,
                    "created_at": _iso(t.created_at),
                    "decided_at": _iso(t.decided_at),
                    "decision_note": t.decision_note,
                    "steps": [
                        {
                            "at": _iso(e.at),
                            "action": e.action,
                            "note": e.note,
                            "by_you": e.by_user_id == user.id,
                        }
                        for e in dispatch_repo.transfer_events(session, t.id)
                    ],
                }
            )
    return [
        Section(
            "employment_contracts",
            ("employment_contracts", "organisations"),
            N_("Your employment contracts: employer, workplace, hiring path and dates."),
            contract_rows,
            CONTRACT_COLUMNS,
        ),
        Section(
            "roster_entries",
            ("roster_alts", "compliance_acknowledgements", "renewal_asks", "survey_invitations"),
            N_(
                "Your entry on a dispatch company's roster: staff number, home, experience, "
                "skills, contract end, renewal intention, onboarding checklist, the dates its "
                "compliance watch uses (when your first contract began, when your residence "
                "card expires), the company's acknowledgements of those deadlines, its questions "
                "whether you will renew with your answers, and your answers to its termly surveys "
                "of your schools."
            ),
            entries,
        ),
        Section(
            "roster_assignments",
            ("roster_assignments", "contract_positions", "dispatch_contracts", "schools"),
            N_("The schools your dispatch company assigned you to, from when to when."),
            assignments,
            ASSIGNMENT_COLUMNS,
        ),
        Section(
            "transfer_requests",
            ("transfer_requests", "transfer_events"),
            N_(
                "Your transfer requests with every step (proposals that move other ALTs are "
                "left out)."
            ),
            transfers,
        ),
    ]


def _direct_hire(session: Session, user: User) -> Section:
    applications = direct_hire_repo.applications_of_user(session, user.id)
    postings = repo.postings_by_id(session, {a.posting_id for a in applications})
    boes = season_repo.organisations(session, {p.boe_id for p in postings.values()})
    records = []
    for app in applications:
        posting = postings[app.posting_id]
        boe = boes.get(posting.boe_id)
        records.append(
            {
                "application_id": app.id,
                "posting": {
                    "id": posting.id,
                    "title": posting.title_en,
                    "title_ja": posting.title_ja,
                    "boe": boe.name_en if boe else "",
                    "boe_ja": boe.name_ja if boe else "",
                },
                "declared": dict(app.declared),
                "cover_note": app.cover_note,
                "stage": app.stage,
                "contract_id": app.contract_id,
                "created_at": _iso(app.created_at),
                "updated_at": _iso(app.updated_at),
                "stage_history": [
                    {
                        "at": _iso(c.at),
                        "from_stage": c.from_stage,
                        "to_stage": c.to_stage,
                        "note": c.note,
                        "by_you": c.by_user_id == user.id,
                    }
                    for c in direct_hire_repo.stage_changes(session, app.id)
                ],
            }
        )
    return Section(
        "direct_hire_applications",
        ("posting_applications", "posting_stage_changes", "postings"),
        N_(
            "Your applications to direct-hire postings: the facts you declared, your cover "
            "note, the stage and every change of stage."
        ),
        records,
    )


def _support(session: Session, user: User) -> tuple[Section, list[Attachment]]:
    cases = support_repo.cases_of_alt(session, user.id)
    employers = season_repo.organisations(session, {c.employer_id for c in cases})
    files: list[Attachment] = []
    records = []
    for case in reversed(cases):  # oldest first
        employer = employers.get(case.employer_id)
        attached = [
            Attachment(
                case_id=case.id,
                attachment_id=row.id,
                filename=row.filename,
                content_type=row.content_type,
                size=row.size,
                uploaded_by_you=row.uploaded_by == user.id,
                at=row.at,
            )
            for row in repo.attachment_rows(session, [case.id])
        ]
        files += attached
        records.append(
            {
                "case_id": case.id,
                "subject": case.subject,
                "description": case.description,
                "category": case.category,
                "urgency": case.urgency,
                "language": case.language,
                "path": case.path,
                "employer": employer.name_en if employer else "",
                "employer_ja": employer.name_ja if employer else "",
                "status": case.status,
                "level": case.level,
                "opened_at": _iso(case.opened_at),
                "first_response_due": _iso(case.first_response_due),
                "resolution_due": _iso(case.resolution_due),
                "first_responded_at": _iso(case.first_responded_at),
                "resolved_at": _iso(case.resolved_at),
                "reopened_count": case.reopened_count,
                "messages": [
                    {
                        "at": _iso(m.at),
                        "body": m.body,
                        "by_you": m.author_user_id == user.id,
                    }
                    for m in support_repo.case_messages(session, case.id)
                    if not m.internal
                ],
                "events": [
                    {"at": _iso(e.at), "action": e.action, "by_you": e.by_user_id == user.id}
                    for e in support_repo.case_events(session, case.id)
                ],
                "mediations": [
                    {
                        "at": _iso(m.at),
                        "school": school,
                        "contact_role": m.contact_role,
                        "agreed": m.agreed,
                    }
                    for m, school in support_repo.case_mediations(session, case.id)
                ],
                "attachments": [a.file for a in attached],
            }
        )
    section = Section(
        "support_cases",
        ("support_cases", "case_messages", "case_events", "case_mediations", "case_attachments"),
        N_(
            "The support cases you opened: what you wrote, the replies you were sent, what "
            "happened when (views by handlers included), mediation records, and the files "
            "(in attachments/, listed in this index with their SHA-256). Handlers' internal "
            "notes are left out."
        ),
        records,
    )
    return section, files


def _rest(session: Session, user: User, records: dict[str, list[int]]) -> list[Section]:
    locale = user.locale
    notices = [
        {
            "at": _iso(n.at),
            "kind": n.kind,
            "case_id": n.case_id,
            "text": render(
                Message(str(n.message.get("msgid", "")), dict(n.message.get("params") or {})),
                locale,
            ),
            "read_at": _iso(n.read_at),
            "emailed_at": _iso(n.emailed_at),
        }
        for n in repo.notifications_of(session, user.id)
    ]
    proven = user.email if user.email_verified_at is not None else None
    mails = [
        {
            "purpose": t.purpose,
            "to": t.email,
            "created_at": _iso(t.created_at),
            "sent_at": _iso(t.sent_at),
            "expires_at": _iso(t.expires_at),
            "used_at": _iso(t.used_at),
        }
        for t in repo.email_tokens_of(session, user.id, proven)
    ]
    audit = [
        {
            "at": _iso(e.at),
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "by_you": e.actor_user_id == user.id,
            "before": e.before,
            "after": e.after,
        }
        for e in repo.audit_entries_about(session, user.id, records)
    ]
    return [
        Section(
            "notifications",
            ("notifications",),
            N_("The notices altmatch sent you, in your language."),
            notices,
            NOTIFICATION_COLUMNS,
        ),
        Section(
            "account_emails",
            ("email_tokens",),
            N_(
                "The account e-mails altmatch wrote to your address (confirmation links, "
                "invitations): when each was written, sent and used. The links themselves are "
                "secrets and are not kept."
            ),
            mails,
            ACCOUNT_EMAIL_COLUMNS,
        ),
        Section(
            "saved_advice",
            ("saved_advice",),
            N_(
                "Saved path-advisor comparisons are not linked to any account: whoever has a "
                "comparison's link can open it, and altmatch cannot tell which are yours, so "
                "none are listed here."
            ),
            [],
        ),
        Section(
            "audit_log",
            ("audit_log",),
            N_(
                "Audit log entries that you caused or that are about your account and your records."
            ),
            audit,
        ),
    ]


def _collect(session: Session, actor: Actor) -> _Collected:
    user = accounts_repo.get_user(session, actor.own_user_id())
    if user is None:
        raise NotFoundError("user")
    found = _Collected(user.id)
    found.sections.append(_account(session, user))
    found.sections += _sign_ins(session, user)
    season_sections, candidate_ids = _season(session, user)
    found.sections += season_sections
    employment = _employment(session, user, candidate_ids)
    found.sections += employment
    found.sections.append(_direct_hire(session, user))
    support, found.attachments = _support(session, user)
    found.sections.append(support)
    online, found.application_files = online_application_records(session, user.id)
    found.sections.append(
        Section(
            "online_applications",
            (
                "online_applications",
                "application_documents",
                "application_references",
                "screening_decisions",
            ),
            N_(
                "Your online applications: your answers and statement of purpose, the office, "
                "the receipt, your documents and the references your referees uploaded (the "
                "files are under applications/), and each screening decision with its reason."
            ),
            online,
        )
    )

    def ids(name: str, key: str) -> list[int]:
        section = next(s for s in found.sections if s.name == name)
        return [int(r[key]) for r in section.records if isinstance(r, dict) and key in r]

    records = {
        "season_candidate": candidate_ids,
        "employment_contract": ids("employment_contracts", "contract_id"),
        "roster_alt": ids("roster_entries", "roster_id"),
        "transfer_request": ids("transfer_requests", "transfer_id"),
        "posting_application": ids("direct_hire_applications", "application_id"),
        "support_case": ids("support_cases", "case_id"),
    }
    found.sections += _rest(session, user, records)
    return found


def _index(found: _Collected, exported_at: datetime) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "account_id": found.user_id,
        "sections": [s.index_entry() for s in found.sections],
        "attachments": [a.entry() for a in found.attachments],
        "left_out": [_both(msgid) for msgid in LEFT_OUT],
    }


def _attachment_bytes(session: Session, found: _Collected) -> Iterator[tuple[Attachment, bytes]]:
    """Each attachment with its bytes and its SHA-256 filled in, one at a time."""
    for attachment in found.attachments:
        data = repo.attachment_data(session, attachment.attachment_id)
        attachment.sha256 = hashlib.sha256(data).hexdigest()
        yield attachment, data
        session.expire_all()  # nothing read so far needs to stay in memory


def export_my_data(
    sessions: Sessions, actor: Actor, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything altmatch holds about the signed-in person as one JSON document: the index
    (with each attachment's SHA-256) and every section by name; attachments' bytes only in the
    archive (`write_export_archive`)."""
    with sessions() as session:
        found = _collect(session, actor)
        for _attachment, _data in _attachment_bytes(session, found):
            pass
        document: dict[str, Any] = {"index": _index(found, now or utc_now())}
        document["exported_at"] = document["index"]["exported_at"]
        for section in found.sections:
            document[section.name] = section.records
        return document


def _csv(section: Section) -> bytes:
    records = section.records if isinstance(section.records, list) else [section.records]
    rows: list[list[ExportCell]] = [
        [_cell(record.get(column)) for column in section.columns] for record in records
    ]
    return export_rows(section.columns, rows, "csv")


def _cell(value: object) -> ExportCell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def write_export_archive(
    sessions: Sessions, actor: Actor, out: IO[bytes], *, now: datetime | None = None
) -> None:
    """Write the person's export as a ZIP archive to `out`: one file per section, the
    attachments under attachments/, and index.json (written last, once every SHA-256 is
    known). Attachments are read and written one at a time."""
    with sessions() as session, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        found = _collect(session, actor)
        for section in found.sections:
            data = _csv(section) if section.columns else _json(section.records)
            archive.writestr(section.file, data)
        for attachment, data in _attachment_bytes(session, found):
            archive.writestr(attachment.file, data)
        for application_file, data in application_file_bytes(session, found.application_files):
            archive.writestr(application_file.file, data)
        archive.writestr("index.json", _json(_index(found, now or utc_now())))
