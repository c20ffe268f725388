"""Importing a season's candidates and requests from CSV or XLSX: preview, then all or nothing.

Both imports check every row first, by the rules of the season files (UTF-8 or CP932 CSV, or
XLSX) plus what only the database knows (ids already in the season, which BoE a row names),
and report every problem as row/column/message. A commit writes every row in one transaction,
or, if any row is wrong, nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import season as repo
from altmatch.db.models import (
    ApplicationStageChange,
    Organisation,
    SeasonCandidate,
    SeasonCouple,
    SeasonRequest,
    SeasonRow,
)
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.application import ApplicationStage
from altmatch.i18n import N_, Message
from altmatch.io.errors import file_error
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.season_files import (
    CandidateRecord,
    RequestRecord,
    Upload,
    read_candidate_upload,
    read_request_upload,
)
from altmatch.io.tabular import RowError
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import StaleError
from altmatch.services.kernel.imports import ImportOut, import_result
from altmatch.services.season.access import access_season
from altmatch.services.season.linking import invite_unlinked_in, linkable

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _open_for_import(season: SeasonRow) -> None:
    if season.status != "open":
        raise StaleError(
            Message(N_("This season's outcome is published; it takes no more imports."))
        )


def import_candidates(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    content: bytes,
    filename: str,
    commit: bool,
    limits: ImportLimits = DEFAULT_LIMITS,
    locale: str = "en",
) -> ImportOut:
    """Check (and with `commit`, store) a candidates file. A row's `email` links the application
    to the candidate account with that address if the address is confirmed, and otherwise
    queues an invitation to it, in the same transaction (services.season.linking);
    `partner_id` makes a couple."""
    require(actor, Permission.SEASON_MANAGE)
    upload = read_candidate_upload(content, filename, limits)
    # The file is parsed above, outside any transaction; only a commit takes the write lock.
    with sessions.begin() if commit else sessions() as session:
        season = access_season(session, actor, season_id)
        _open_for_import(season)
        errors = [*upload.errors, *_candidate_problems(session, season, upload, filename)]
        if errors or not commit:
            return import_result(len(upload.records), errors, upload.sha256, False, locale)
        _store_candidates(session, actor, season, upload)
        after = {"rows": len(upload.records), "sha256": upload.sha256}
        record_audit(session, actor, "season.candidates_imported", "season", season.id, None, after)
        return import_result(len(upload.records), [], upload.sha256, committed=True)


def _candidate_problems(
    session: Session, season: SeasonRow, upload: Upload[CandidateRecord], filename: str
) -> list[RowError]:
    existing = repo.candidate_external_ids(session, season.id)
    in_file = {r.id for r in upload.records}
    couple_of = _existing_couples(session, season)
    problems: list[RowError] = []
    for record, row, extra in zip(upload.records, upload.rows, upload.extras, strict=True):
        if record.id in existing:
            already = N_("already in this season")
            problems.append(file_error(filename, row, "candidate_id", already))
        email = extra.get("email", "")
        if email and (not _EMAIL.fullmatch(email) or len(email) > 254):
            not_email = N_("not an email address: {value}")
            problems.append(file_error(filename, row, "email", not_email, value=repr(email)))
        if len(extra.get("name", "")) > 200:
            too_long = N_("a name has at most {limit} characters")
            problems.append(file_error(filename, row, "name", too_long, limit=200))
        partner = extra.get("partner_id", "")
        if not partner:
            continue
        if partner == record.id:
            own = N_("cannot be their own partner")
            problems.append(file_error(filename, row, "partner_id", own))
            continue
        if partner not in in_file and partner not in existing:
            unknown = N_("unknown candidate {value}")
            problems.append(file_error(filename, row, "partner_id", unknown, value=repr(partner)))
            continue
        pair = frozenset((record.id, partner))
        taken = [who for who in sorted(pair) if couple_of.get(who, pair) != pair]
        for who in taken:
            coupled = N_("{who} is already in a couple")
            problems.append(file_error(filename, row, "partner_id", coupled, who=who))
        if not taken:
            couple_of |= dict.fromkeys(pair, pair)
    return problems


def _existing_couples(session: Session, season: SeasonRow) -> dict[str, frozenset[str]]:
    external = {c.id: c.external_id for c in repo.candidates(session, season.id)}
    found: dict[str, frozenset[str]] = {}
    for couple in repo.couples(session, season.id):
        pair = frozenset((external[couple.candidate_a_id], external[couple.candidate_b_id]))
        found |= dict.fromkeys(pair, pair)
    return found


def _store_candidates(
    session: Session, actor: Actor, season: SeasonRow, upload: Upload[CandidateRecord]
) -> None:
    rows: dict[str, SeasonCandidate] = {}
    linked = {c.user_id for c in repo.candidates(session, season.id) if c.user_id is not None}
    emails = [extra.get("email", "").strip().lower() or None for extra in upload.extras]
    accounts = accounts_repo.users_by_emails(session, {e for e in emails if e})
    for record, extra, email in zip(upload.records, upload.extras, emails, strict=True):
        user = accounts.get(email) if email else None
        user_id = user.id if user and linkable(user) and user.id not in linked else None
        if user_id is not None:
            linked.add(user_id)
        row = SeasonCandidate(
            season_id=season.id,
            external_id=record.id,
            user_id=user_id,
            name=extra.get("name", "").strip() or record.id,
            email=email,
            jlpt=record.jlpt.value,
            teaching_years=record.teaching_years,
            driving_licence=record.driving_licence,
            school_experience=list(record.school_experience),
            interview_score=record.interview_score,
            preferred_prefectures=list(record.preferred_prefectures),
            preferred_area=record.preferred_area,
            preferred_school_levels=list(record.preferred_school_levels),
            accepts_anywhere=record.accepts_anywhere,
            stage=ApplicationStage.SUBMITTED.value,
        )
        session.add(row)
        rows[record.id] = row
    session.flush()
    now = utc_now()
    session.add_all(
        ApplicationStageChange(
            candidate_id=row.id,
            at=now,
            by_user_id=actor.user_id,
            from_stage=None,
            to_stage=ApplicationStage.SUBMITTED.value,
        )
        for row in rows.values()
    )
    invite_unlinked_in(session, rows.values(), accounts, now)
    existing = {c.external_id: c for c in repo.candidates(session, season.id)}
    pairs = {
        frozenset((record.id, extra["partner_id"]))
        for record, extra in zip(upload.records, upload.extras, strict=True)
        if extra.get("partner_id")
    }
    for pair in sorted(sorted(p) for p in pairs):
        a, b = pair
        session.add(
            SeasonCouple(
                season_id=season.id,
                candidate_a_id=existing[a].id,
                candidate_b_id=existing[b].id,
            )
        )
    session.flush()


def import_requests(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    content: bytes,
    filename: str,
    commit: bool,
    limits: ImportLimits = DEFAULT_LIMITS,
    locale: str = "en",
) -> ImportOut:
    """Check (and with `commit`, store) a requests file for the coordinator. Its `boe` column
    names a Board of Education of the programme by organisation id or exact name (English or
    Japanese)."""
    require(actor, Permission.SEASON_MANAGE)
    upload = read_request_upload(content, filename, limits)
    # The file is parsed above, outside any transaction; only a commit takes the write lock.
    with sessions.begin() if commit else sessions() as session:
        season = access_season(session, actor, season_id)
        _open_for_import(season)
        boes = _boe_lookup(repo.programme_boes(session, season.programme_id))
        existing = repo.request_external_ids(session, season.id)
        errors = list(upload.errors)
        for record, row in zip(upload.records, upload.rows, strict=True):
            if record.id in existing:
                already = N_("already in this season")
                errors.append(file_error(filename, row, "request_id", already))
            if record.boe and record.boe not in boes:
                no_boe = N_(
                    "no Board of Education of this programme is called {value} "
                    "(give its id or name)"
                )
                errors.append(file_error(filename, row, "boe", no_boe, value=repr(record.boe)))
        if errors or not commit:
            return import_result(len(upload.records), errors, upload.sha256, False, locale)
        now = utc_now()
        for record in upload.records:
            session.add(_request_row(season, boes[record.boe], record, actor, now))
        session.flush()
        after = {"rows": len(upload.records), "sha256": upload.sha256}
        record_audit(session, actor, "season.requests_imported", "season", season.id, None, after)
        return import_result(len(upload.records), [], upload.sha256, committed=True)


def _boe_lookup(boes: Sequence[Organisation]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for boe in boes:
        found[str(boe.id)] = boe
        found.setdefault(boe.name_en, boe)
        found.setdefault(boe.name_ja, boe)
    return found


def _request_row(
    season: SeasonRow, boe: Organisation, record: RequestRecord, actor: Actor, now: datetime
) -> SeasonRequest:
    return SeasonRequest(
        season_id=season.id,
        boe_id=boe.id,
        external_id=record.id,
        capacity=record.capacity,
        prefecture=record.prefecture,
        school_levels=list(record.school_levels),
        area=record.area,
        requires_driving_licence=record.requires_driving_licence,
        min_jlpt=record.min_jlpt.value,
        min_teaching_years=record.min_teaching_years,
        weight_jlpt=record.weight_jlpt,
        weight_teaching_years=record.weight_teaching_years,
        weight_school_levels=record.weight_school_levels,
        weight_driving_licence=record.weight_driving_licence,
        updated_at=now,
        updated_by=actor.user_id,
    )
