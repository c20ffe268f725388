"""The assessor's side of the interview round (issue 19): my panels and their booked
candidates, one candidate's score sheet, saving and submitting it, and declaring a conflict of
interest.

**Access** follows one recorded fact: the reader sits on the candidate's panel
(`panel_assessors`). An assessor or a coordinator who sits on a panel scores it; nobody else
sees its candidates, whatever their role (404, never confirming the candidate exists). The
operator has no sheets of their own (403).

**Sheets** are saved whole with compare-and-swap on their version (a second tab's stale save
is refused with 409). A draft may leave criteria out; submitting needs every criterion of the
rubric, each on its scale. A submitted sheet stays correctable until the season's outcome is
published (services.season.interview_report.season_open); submitting and every correction
after it are audited, with the scores before and after.

**Conflicts**: declaring one (a reason code of the rulebook's `interview_conflicts`, and a note)
is audited and tells the office's staff. From then on the candidate is gone from the
assessor's list, any further scoring of them is refused (404), and a sheet already started
stays stored but is never read by calibration (db.interview_scoring.season_sheets); the
scheduler keeps the assessor's panels from hearing the candidate.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.clock import JAPAN, utc_now
from altmatch.db import Sessions
from altmatch.db import interview_scoring as repo
from altmatch.db import recruitment as recruitment_repo
from altmatch.db.interview_scoring import BookedCandidate, SeatedPanel
from altmatch.db.models import InterviewConflict, ScoreSheet
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.interview_sheets import (
    ScoresIn,
    SheetStatus,
    assessor_key,
    score_problems,
    sheet_rows,
    sheet_status,
    sheets_input,
)
from altmatch.i18n import N_, Message
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.guidance import InterviewRubric
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError, stale_record
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.notifications import notify
from altmatch.services.season.application_reads import clock, local_time
from altmatch.services.season.interview_report import season_open

MAX_NOTE = 4000
CLOSED = N_("This season's outcome is published: its interview scores can no longer change.")


class AssessingSlotOut(BaseModel):
    """A booked interview of one of the reader's panels."""

    candidate_id: int  # the season's application (season_candidates.id)
    name: str
    reference: str  # the online application's reference number, or the imported id
    starts_at: datetime
    ends_at: datetime
    office_time: str  # "2027-01-20 10:00 (Europe/London)"
    reader_time: str  # the same moment in the zone the reader chose (AssessingOut.zone)
    sheet: SheetStatus


class AssessingPanelOut(BaseModel):
    id: int
    code: str
    season_id: int
    season_name: str
    office_code: str
    office_name_en: str
    office_name_ja: str
    time_zone: str  # the office's
    mode: str  # in_person or remote
    room: str
    slots: list[AssessingSlotOut]


class AssessingOut(BaseModel):
    """The panels the reader sits on, newest season first, each with its booked candidates in
    time order (less those the reader declared a conflict with)."""

    zone: str  # the zone `reader_time` is in
    zones: list[str]  # the zones offered to choose from
    panels: list[AssessingPanelOut]
    conflicts_declared: int


class SheetAnchorOut(BaseModel):
    score: int
    text: str


class SheetCriterionOut(BaseModel):
    id: str
    name: str
    description: str
    anchors: list[SheetAnchorOut]


class ConflictReasonOut(BaseModel):
    code: str
    text: str


class ScoreSheetOut(BaseModel):
    """One candidate's sheet as its assessor reads it, in the reader's language. `version` 0:
    no sheet saved yet (send 0 with the first save)."""

    candidate_id: int
    name: str
    reference: str
    panel_id: int
    panel_code: str
    season_id: int
    office_time: str
    japan_time: str
    statement: str | None  # the statement of purpose (None: an imported application)
    low: int
    high: int
    criteria: list[SheetCriterionOut]
    scores: dict[str, int]
    note: str
    status: SheetStatus
    submitted_at: datetime | None
    version: int
    editable: bool  # False once the season's outcome is published
    conflict_reasons: list[ConflictReasonOut]
    conflict_note_required_for: str  # the reason code that needs a note


class ScoreSheetIn(BaseModel):
    scores: dict[str, int] = Field(
        default_factory=dict, description="criterion id -> score on the rubric's scale"
    )
    note: str = Field(default="", max_length=MAX_NOTE)


class ConflictIn(BaseModel):
    reason: str = Field(min_length=1, max_length=32)
    note: str = Field(default="", max_length=MAX_NOTE)


class ConflictOut(BaseModel):
    candidate_id: int
    reason: str
    declared_at: datetime


class SheetsSummaryOut(BaseModel):
    """What calibration from the season's sheets would read, before anyone confirms it."""

    submitted: int  # submitted sheets
    unsubmitted: int  # drafts: not read
    excluded: int  # sheets of an assessor who declared a conflict with the candidate
    candidates: int  # with at least one submitted sheet
    assessors: int
    scores: int
    sha256: str  # of the rows; storing with it refuses sheets changed since (409)


# -- reading ------------------------------------------------------------------------------------


def _assessor(actor: Actor) -> int:
    require(actor, Permission.INTERVIEWS_SCORE)
    return actor.own_user_id()


def _zone(zone: str | None) -> str:
    if not zone:
        return str(JAPAN)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RuleError(Message(N_("Choose a time zone from the list.")), "tz") from exc
    return zone


def _reference(booked: BookedCandidate) -> str:
    app = booked.application
    if app is not None and app.reference_number:
        return app.reference_number
    return booked.candidate.external_id


def my_panels(sessions: Sessions, actor: Actor, *, zone: str | None = None) -> AssessingOut:
    """The panels the reader sits on with their booked candidates; times in each office's zone
    and in `zone` (an IANA name; Japan's by default)."""
    user_id = _assessor(actor)
    reader_zone = _zone(zone)
    with sessions() as session:
        seats = repo.seated_panels(session, user_id)
        booked = repo.booked_candidates(session, user_id, [s.panel.id for s in seats])
        panels = []
        for seat in seats:
            slots = [
                _slot_out(b, seat, reader_zone) for b in booked if b.slot.panel_id == seat.panel.id
            ]
            panels.append(_panel_out(seat, slots))
        zones = sorted({str(JAPAN), reader_zone, *(s.office.time_zone for s in seats)})
        return AssessingOut(
            zone=reader_zone,
            zones=zones,
            panels=panels,
            conflicts_declared=repo.conflicts_of(session, user_id),
        )


def _slot_out(booked: BookedCandidate, seat: SeatedPanel, zone: str) -> AssessingSlotOut:
    sheet = booked.sheet
    return AssessingSlotOut(
        candidate_id=booked.candidate.id,
        name=booked.candidate.name,
        reference=_reference(booked),
        starts_at=booked.slot.starts_at,
        ends_at=booked.slot.ends_at,
        office_time=local_time(booked.slot.starts_at, seat.office.time_zone),
        reader_time=clock(booked.slot.starts_at, zone),
        sheet=sheet_status(sheet is not None, sheet is not None and sheet.submitted_at is not None),
    )


def _panel_out(seat: SeatedPanel, slots: list[AssessingSlotOut]) -> AssessingPanelOut:
    return AssessingPanelOut(
        id=seat.panel.id,
        code=seat.panel.code,
        season_id=seat.season.id,
        season_name=seat.season.name,
        office_code=seat.office.code,
        office_name_en=seat.office.name_en,
        office_name_ja=seat.office.name_ja,
        time_zone=seat.office.time_zone,
        mode=seat.panel.mode,
        room=seat.panel.room,
        slots=slots,
    )


def _seat(session: Session, user_id: int, candidate_id: int) -> tuple[SeatedPanel, BookedCandidate]:
    """The candidate's booked slot on a panel the user sits on (and has no conflict with);
    anyone else: not found."""
    found = repo.seat_for_candidate(session, user_id, candidate_id)
    if found is None:
        raise NotFoundError("candidate")
    return found


def score_sheet(
    sessions: Sessions, actor: Actor, candidate_id: int, *, locale: str = "en"
) -> ScoreSheetOut:
    """One candidate of the reader's panels: the rubric with its anchors in `locale`, their
    statement of purpose (read-only) and the reader's saved scores."""
    user_id = _assessor(actor)
    with sessions() as session:
        seat, booked = _seat(session, user_id, candidate_id)
        return _sheet_out(session, seat, booked, locale)


def _sheet_out(
    session: Session, seat: SeatedPanel, booked: BookedCandidate, locale: str
) -> ScoreSheetOut:
    rubric = load_rulebook().interview_rubric
    conflicts = load_rulebook().interview_conflicts
    sheet = booked.sheet
    app = booked.application
    submitted = app is not None and app.submitted_at is not None
    return ScoreSheetOut(
        candidate_id=booked.candidate.id,
        name=booked.candidate.name,
        reference=_reference(booked),
        panel_id=seat.panel.id,
        panel_code=seat.panel.code,
        season_id=seat.season.id,
        office_time=local_time(booked.slot.starts_at, seat.office.time_zone),
        japan_time=clock(booked.slot.starts_at, str(JAPAN)),
        statement=app.statement if submitted and app is not None else None,
        low=rubric.min_score,
        high=rubric.max_score,
        criteria=_criteria(rubric, locale),
        scores={k: int(v) for k, v in (sheet.scores if sheet else {}).items()},
        note=sheet.note if sheet else "",
        status=sheet_status(
            sheet is not None, sheet is not None and sheet.submitted_at is not None
        ),
        submitted_at=sheet.submitted_at if sheet else None,
        version=sheet.version if sheet else 0,
        editable=season_open(session, seat.season),
        conflict_reasons=[
            ConflictReasonOut(code=code, text=text.get(locale))
            for code, text in conflicts.reasons.items()
        ],
        conflict_note_required_for=conflicts.explained,
    )


def _criteria(rubric: InterviewRubric, locale: str) -> list[SheetCriterionOut]:
    return [
        SheetCriterionOut(
            id=c.id,
            name=c.name.get(locale),
            description=c.description.get(locale),
            anchors=[SheetAnchorOut(score=a.score, text=a.text.get(locale)) for a in c.anchors],
        )
        for c in rubric.criteria
    ]


# -- writing ------------------------------------------------------------------------------------


def _checked_scores(
    body: ScoreSheetIn, rubric: InterviewRubric, *, complete: bool, locale: str
) -> dict[str, int]:
    criteria = [c.id for c in rubric.criteria]
    problems = score_problems(
        body.scores, criteria, rubric.min_score, rubric.max_score, complete=complete
    )
    wrong = [p for p in problems if not p.missing]
    if wrong:
        first = wrong[0]
        raise RuleError(first.message, f"scores.{first.criterion}" if first.criterion else "scores")
    missing = [p.criterion for p in problems if p.missing and p.criterion]
    if missing:
        names = ", ".join(c.name.get(locale) for c in rubric.criteria if c.id in missing)
        message = N_("Score every criterion before you submit the sheet: {missing}.")
        raise RuleError(Message(message, {"missing": names}), f"scores.{missing[0]}")
    return dict(body.scores)


def check_sheet(
    sessions: Sessions, actor: Actor, candidate_id: int, body: ScoreSheetIn, *, locale: str = "en"
) -> None:
    """Refuse (RuleError) scores that could not be submitted, storing nothing: what the
    confirmation page checks before it asks."""
    user_id = _assessor(actor)
    with sessions() as session:
        _seat(session, user_id, candidate_id)
    _checked_scores(body, load_rulebook().interview_rubric, complete=True, locale=locale)


@stale_guard()
def save_sheet(
    sessions: Sessions,
    actor: Actor,
    candidate_id: int,
    body: ScoreSheetIn,
    *,
    version: int,
    submit: bool = False,
    locale: str = "en",
) -> ScoreSheetOut:
    """Save the reader's sheet for a candidate of their panel: a draft, or with `submit` the
    whole sheet for calibration. `version` is the sheet's as read (0: none yet); a stale one is
    refused (409). A submitted sheet stays submitted: saving it again is a correction, which
    must be complete and is audited."""
    user_id = _assessor(actor)
    rubric = load_rulebook().interview_rubric
    note = body.note.strip()
    now = utc_now()
    with sessions.begin() as session:
        seat, booked = _seat(session, user_id, candidate_id)
        if not season_open(session, seat.season):
            raise StaleError(Message(CLOSED), "scores")
        sheet = booked.sheet
        was_submitted = sheet is not None and sheet.submitted_at is not None
        scores = _checked_scores(body, rubric, complete=submit or was_submitted, locale=locale)
        before = None if sheet is None else {"scores": dict(sheet.scores), "note": sheet.note}
        if sheet is None:
            if version != 0:
                raise stale_record()
            sheet = ScoreSheet(
                candidate_id=booked.candidate.id,
                panel_id=seat.panel.id,
                assessor_id=user_id,
                scores=scores,
                note=note,
                submitted_at=now if submit else None,
                updated_at=now,
            )
            session.add(sheet)
            try:
                session.flush()
            except IntegrityError as exc:  # another tab saved the first version meanwhile
                raise stale_record() from exc
        else:
            expect_version(sheet, version)
            sheet.scores = scores
            sheet.note = note
            sheet.panel_id = seat.panel.id
            sheet.updated_at = now  # the version moves on even when nothing else changed
            if submit and sheet.submitted_at is None:
                sheet.submitted_at = now
            session.flush()
        if submit or was_submitted:
            action = "interview.sheet_corrected" if was_submitted else "interview.sheet_submitted"
            after = {"scores": scores, "note": note, "panel": seat.panel.code}
            record_audit(
                session,
                actor,
                action,
                "score_sheet",
                sheet.id,
                before if was_submitted else None,
                after,
                tenant_id=seat.season.programme_id,
            )
        booked = BookedCandidate(booked.slot, booked.candidate, booked.application, sheet)
        return _sheet_out(session, seat, booked, locale)


def declare_conflict(
    sessions: Sessions, actor: Actor, candidate_id: int, body: ConflictIn
) -> ConflictOut:
    """Declare a conflict of interest with a candidate of the reader's panel, with a reason
    of the rulebook's list (and a note, which the explained reason needs): audited, the
    office's staff are told, and the candidate leaves the reader's list for good."""
    user_id = _assessor(actor)
    rules = load_rulebook().interview_conflicts
    reason = rules.reasons.get(body.reason)
    if reason is None:
        raise RuleError(Message(N_("Choose a reason from the list.")), "reason")
    note = body.note.strip()
    if body.reason == rules.explained and not note:
        raise RuleError(Message(N_("Say in the note what the conflict is.")), "note")
    now = utc_now()
    with sessions.begin() as session:
        seat, booked = _seat(session, user_id, candidate_id)
        row = InterviewConflict(
            assessor_id=user_id,
            candidate_id=booked.candidate.id,
            reason=body.reason,
            note=note,
            declared_at=now,
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:  # declared from another tab meanwhile
            raise stale_record() from exc
        after = {
            "candidate_id": booked.candidate.id,
            "panel": seat.panel.code,
            "reason": body.reason,
            "note": note,
            "sheet_started": booked.sheet is not None,
        }
        record_audit(
            session,
            actor,
            "interview.conflict_declared",
            "interview_conflict",
            row.id,
            None,
            after,
            tenant_id=seat.season.programme_id,
        )
        staff = [uid for uid, _, _ in recruitment_repo.office_screeners(session, seat.office.id)]
        notify(
            session,
            [uid for uid in staff if uid != user_id],
            kind="interview_conflict",
            message=Message(
                N_(
                    "An assessor of panel {panel} declared a conflict of interest with "
                    "candidate {reference}: {reason}. That panel must not hear them; move "
                    "their interview to another panel."
                ),
                # the rulebook's reason in both languages: a notice is read in either
                {
                    "panel": seat.panel.code,
                    "reference": _reference(booked),
                    "reason": f"{reason.en} / {reason.ja}",
                },
            ),
            link=f"/offices/{seat.office.id}/interviews?season={seat.season.id}",
        )
        return ConflictOut(candidate_id=booked.candidate.id, reason=body.reason, declared_at=now)


# -- calibration's input ------------------------------------------------------------------------


def submitted_scores(session: Session, season_id: int) -> ScoresIn:
    """The season's submitted sheets (less conflicted ones) as calibration rows, canonical."""
    rows = [
        row
        for s in repo.season_sheets(session, season_id)
        if s.submitted_at is not None
        for row in sheet_rows(s.candidate, s.panel, s.assessor_id, s.scores)
    ]
    return sheets_input(rows)


def summary_of(session: Session, season_id: int) -> SheetsSummaryOut:
    """What calibration from the season's sheets would read (the caller checked access)."""
    sheets = repo.season_sheets(session, season_id)
    done = [s for s in sheets if s.submitted_at is not None]
    scores = submitted_scores(session, season_id)
    return SheetsSummaryOut(
        submitted=len(done),
        unsubmitted=len(sheets) - len(done),
        excluded=repo.conflicted_sheets(session, season_id),
        candidates=len({s.candidate for s in done}),
        assessors=len({assessor_key(s.assessor_id) for s in done}),
        scores=scores.records,
        sha256=scores.sha256 if scores.records else "",
    )
