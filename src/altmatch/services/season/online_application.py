"""The online application's writes (issue 19): a signed-in candidate's draft, documents,
referees, and submission with a receipt (the reads: services.season.application_reads).

An application belongs to the candidate who started it; nobody else reaches it through these
functions (screeners read it through services.season.screening). Every write carries the
`version` the applicant read. Submission needs everything `domain.recruitment.missing_items`
asks for and no eligibility rule failed; it creates (or updates) the season's SeasonCandidate in
stage `submitted` for the office serving the applicant's citizenship, so the match and the
review pages read it like an imported one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import recruitment as repo
from altmatch.db.models import (
    ApplicationDocument,
    ApplicationReference,
    ApplicationStageChange,
    OnlineApplication,
    SeasonCandidate,
    SeasonRow,
    User,
)
from altmatch.domain.access import Actor, NotFoundError
from altmatch.domain.application import ApplicationStage
from altmatch.domain.recruitment import (
    DocumentKind,
    reference_number,
    sniff_type,
)
from altmatch.i18n import N_, Message
from altmatch.rulebook.prefectures import load_prefectures
from altmatch.services.accounts.authentication import token_hash
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.notifications import notify
from altmatch.services.season.application_reads import (
    JAPAN,
    ApplicationIn,
    OnlineApplicationOut,
    RefereeLetter,
    UploadFileIn,
    _missing,
    _office,
    _own,
    _own_required,
    _season,
    answers_in,
    application_out,
    eligibility_of,
    recruitment_rules,
)
from altmatch.services.season.time_zones import checked_zone

# -- writing ------------------------------------------------------------------------------------


def _editable(row: OnlineApplication) -> None:
    if row.status != "draft":
        raise StaleError(
            Message(N_("This application is submitted; it can no longer change.")), "status"
        )


@stale_guard()
def save_draft(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    body: ApplicationIn,
    *,
    version: int | None,
) -> OnlineApplicationOut:
    """Save the form as it stands (the first save starts the application: `version` None)."""
    with sessions.begin() as session:
        season = _season(session, actor, season_id)
        row = _own(session, actor, season)
        if row is None:
            if version is not None:
                raise NotFoundError("application")
            row = OnlineApplication(
                season_id=season.id, user_id=actor.own_user_id(), answers={}, statement=""
            )
            session.add(row)
        else:
            _editable(row)
            expect_version(row, version)
        data = body.model_dump(mode="json")
        data["preferred_prefectures"] = _prefectures(body.preferred_prefectures)
        data["time_zone"] = checked_zone(body.time_zone)
        row.statement = data.pop("statement")
        row.answers = data
        office = _office(session, season, body.citizenship)
        row.office_id = office.id if office else None
        row.updated_at = utc_now()
        session.flush()
        record_audit(
            session,
            actor,
            "application.draft_saved",
            "online_application",
            row.id,
            None,
            {"office_id": row.office_id},
            tenant_id=season.programme_id,
        )
        return application_out(session, season, row)


def _prefectures(names: list[str]) -> list[str]:
    """The prefectures as the season stores them (English names, each once, in order), from
    a code, or an English or Japanese name; an unknown one is refused by name."""
    found: list[str] = []
    for name in (n.strip() for n in names if n.strip()):
        prefecture = load_prefectures().find(name)
        if prefecture is None:
            raise RuleError(
                Message(N_("{name} is not a prefecture of Japan."), {"name": name[:64]}),
                "preferred_prefectures",
            )
        if prefecture.en not in found:
            found.append(prefecture.en)
    return found


def check_upload(data: bytes, filename: str) -> str:
    """The content type the file's bytes show, if the rulebook accepts it and its size."""
    rules = recruitment_rules().documents
    if len(data) > rules.max_bytes:
        raise RuleError(
            Message(
                N_("{file} is larger than the limit of {limit} MB."),
                {"file": filename, "limit": f"{rules.max_bytes / 1_000_000:g}"},
            ),
            "file",
        )
    kind = sniff_type(data)
    if kind is None or kind not in rules.content_types:
        raise RuleError(
            Message(N_("{file} is not a PDF, JPEG or PNG file."), {"file": filename}), "file"
        )
    return kind


@stale_guard()
def upload_document(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    kind: DocumentKind,
    upload: UploadFileIn,
    *,
    version: int,
) -> OnlineApplicationOut:
    """Store the degree or transcript (a new one replaces the old); sniffed, size-limited."""
    content_type = check_upload(upload.data, upload.filename)
    with sessions.begin() as session:
        season = _season(session, actor, season_id)
        row = _own_required(session, actor, season)
        _editable(row)
        expect_version(row, version)
        old = repo.document_of(session, row.id, kind)
        if old is not None:
            session.delete(old)
            session.flush()
        session.add(
            ApplicationDocument(
                application_id=row.id,
                kind=kind.value,
                filename=_safe_name(upload.filename),
                content_type=content_type,
                size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
                data=upload.data,
                uploaded_at=utc_now(),
            )
        )
        row.updated_at = utc_now()  # bumps the version: the applicant's page reloads
        session.flush()
        record_audit(
            session,
            actor,
            "application.document_uploaded",
            "online_application",
            row.id,
            None,
            {"kind": kind.value, "size": len(upload.data)},
            tenant_id=season.programme_id,
        )
        return application_out(session, season, row)


def _safe_name(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return "".join(c for c in name if c.isprintable())[:200]


class RefereeIn(BaseModel):
    slot: int = Field(ge=1, le=5)
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@stale_guard()
def name_referee(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    body: RefereeIn,
    *,
    version: int,
    site_url: str,
) -> tuple[OnlineApplicationOut, RefereeLetter]:
    """Name (or change) the referee in a slot, or resend their link: a fresh single-use link
    replaces any earlier one. A received reference cannot be replaced."""
    rules = recruitment_rules().references
    if body.slot > rules.count:
        raise RuleError(
            Message(N_("This programme asks for {count} references."), {"count": rules.count}),
            "slot",
        )
    with sessions.begin() as session:
        season = _season(session, actor, season_id)
        row = _own_required(session, actor, season)
        if row.status != "draft" and not rules.may_follow:
            _editable(row)
        expect_version(row, version)
        ref = repo.reference_of(session, row.id, body.slot)
        if ref is not None and ref.requests_sent >= rules.max_requests:
            raise RuleError(
                Message(
                    N_("This referee has been sent {n} e-mails already; no more can be sent."),
                    {"n": ref.requests_sent},
                ),
                "slot",
            )
        if ref is not None and ref.received_at is not None:
            raise StaleError(
                Message(N_("This reference has arrived; it cannot be replaced.")), "slot"
            )
        user = session.get(User, actor.own_user_id())
        if user is not None and user.email.lower() == body.email.strip().lower():
            raise RuleError(Message(N_("A referee cannot be yourself.")), "email")
        token = secrets.token_urlsafe(32)
        now = utc_now()
        if ref is None:
            ref = ApplicationReference(application_id=row.id, slot=body.slot, requests_sent=0)
            session.add(ref)
        ref.referee_name = body.name.strip()
        ref.referee_email = body.email.strip()
        ref.token_hash = token_hash(token)
        ref.requested_at = now
        ref.expires_at = now + timedelta(days=rules.link_days)
        ref.requests_sent = (ref.requests_sent or 0) + 1
        row.updated_at = now
        session.flush()
        record_audit(
            session,
            actor,
            "application.referee_requested",
            "online_application",
            row.id,
            None,
            {"slot": body.slot, "sent": ref.requests_sent},
            tenant_id=season.programme_id,
        )
        applicant = str(row.answers.get("name") or (user.display_name if user else ""))
        letter = _letter(ref, applicant, season.name, f"{site_url}/references/{token}")
        return application_out(session, season, row), letter


def _letter(ref: ApplicationReference, applicant: str, season: str, link: str) -> RefereeLetter:
    """English then Japanese: the referee has no account and so no language of their own."""
    expires = f"{ref.expires_at:%Y-%m-%d %H:%M} UTC" if ref.expires_at else ""
    body = (
        f"Dear {ref.referee_name},\n\n{applicant} has named you as a referee for their "
        f"application to {season}. Please upload your reference letter (PDF, JPEG or PNG) "
        f"at this link, which works once, until {expires}:\n\n{link}\n\n"
        "No account is needed. If you did not expect this, ignore this e-mail.\n\n---\n\n"
        f"{ref.referee_name} 様\n\n{applicant} さんが {season} への応募の推薦者として"
        f"あなたを指定しました。次のリンクから推薦状（PDF、JPEG、PNG）をアップロードして"
        f"ください。リンクは1回限り、{expires} まで有効です。\n\n{link}\n\n"
        "アカウントは不要です。心当たりがない場合は、このメールを無視してください。\n"
    )
    return RefereeLetter(
        to=ref.referee_email,
        subject=f"Reference request / 推薦状のお願い: {applicant}",
        body=body,
        label=f"reference-{ref.id}-{ref.requests_sent}",
    )


@stale_guard()
def submit_application(
    sessions: Sessions, actor: Actor, season_id: int, *, version: int
) -> OnlineApplicationOut:
    """Submit a complete, eligible draft: the receipt is recorded and notified, and the
    season's application (SeasonCandidate) is created or updated in stage `submitted`."""
    with sessions.begin() as session:
        season = _season(session, actor, season_id)
        row = _own_required(session, actor, season)
        _editable(row)
        expect_version(row, version)
        body = answers_in(row)
        missing = _missing(session, season, row, body)
        if missing:
            raise RuleError(Message(N_("The application is not complete yet.")), "missing")
        if not eligibility_of(body, season).eligible:
            raise RuleError(
                Message(N_("The answers do not meet an eligibility rule of the programme.")),
                "eligibility",
            )
        office = _office(session, season, body.citizenship)
        assert office is not None  # missing_items said an office serves the citizenship
        now = utc_now()
        row.status = "submitted"
        row.office_id = office.id
        row.submitted_at = now
        row.reference_number = reference_number(season.year, office.code, row.id)
        if not body.time_zone.strip():  # the interview's clock: blank means the office's
            row.answers = {**row.answers, "time_zone": office.time_zone}
        row.updated_at = now
        candidate = _season_candidate(session, actor, season, row, body)
        row.candidate_id = candidate.id
        session.flush()
        record_audit(
            session,
            actor,
            "application.submitted",
            "online_application",
            row.id,
            None,
            {"reference": row.reference_number, "office": office.code},
            tenant_id=season.programme_id,
        )
        notify(
            session,
            [row.user_id],
            kind="application_received",
            message=Message(
                N_("Your application {reference} was received on {when} (Japan time)."),
                {
                    "reference": row.reference_number,
                    "when": f"{now.astimezone(JAPAN):%Y-%m-%d %H:%M}",
                },
            ),
            link=f"/seasons/{season.id}/apply",
        )
        return application_out(session, season, row)


def _season_candidate(
    session: Session, actor: Actor, season: SeasonRow, row: OnlineApplication, body: ApplicationIn
) -> SeasonCandidate:
    user = session.get(User, row.user_id)
    candidate = repo.season_candidate_of_user(session, season.id, row.user_id)
    before = candidate.stage if candidate else None
    if candidate is None:
        candidate = SeasonCandidate(
            season_id=season.id,
            external_id=row.reference_number or f"online-{row.id}",
            user_id=row.user_id,
            interview_score=0,  # set by the interview round
            school_experience=[],
            preferred_area=None,
            preferred_school_levels=[],
            accepts_anywhere=False,
            stage=ApplicationStage.SUBMITTED.value,
        )
        session.add(candidate)
    candidate.name = body.name.strip()
    candidate.email = user.email if user else None
    candidate.jlpt = body.jlpt.value
    candidate.teaching_years = body.teaching_years
    candidate.driving_licence = body.driving_licence
    candidate.preferred_prefectures = [p.strip() for p in body.preferred_prefectures if p.strip()]
    candidate.stage = ApplicationStage.SUBMITTED.value
    session.flush()
    if before != ApplicationStage.SUBMITTED.value:
        session.add(
            ApplicationStageChange(
                candidate_id=candidate.id,
                at=utc_now(),
                by_user_id=actor.user_id,
                from_stage=before,
                to_stage=ApplicationStage.SUBMITTED.value,
            )
        )
    return candidate
