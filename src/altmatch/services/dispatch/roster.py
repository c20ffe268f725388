"""A dispatch company's roster: its ALTs with home, experience, skills, contract end, renewal
intention, the compliance watch's dates, onboarding checklist and assignments; ticking checklist
items, recording renewal intentions and compliance dates (versioned: a stale edit is 409),
importing the roster from CSV/XLSX (upsert by alt_id, all or nothing) and exporting it.

Only the company's own staff (or the operator for a named company) see any of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import dispatch as repo
from altmatch.db.dispatch import add_roster_alts, assignment_history, roster_alts_of_company
from altmatch.db.models import RosterAlt
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.dispatch import checklist_progress
from altmatch.i18n import N_, Message
from altmatch.io.export import Format, export_rows
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.roster_file import (
    ROSTER_COLUMNS,
    ROSTER_KEPT_WHEN_ABSENT,
    RosterRecord,
    read_roster_upload,
)
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import Jlpt, RenewalIntention, SchoolLevel
from altmatch.services.dispatch.access import access_roster_alt
from altmatch.services.dispatch.contracts import (
    company_for,
    import_out,
    named,
)
from altmatch.services.dispatch.retention import AltRiskOut, alt_risk
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.kernel.listing import ListMetaOut, ListQuery, ListSpec, list_meta
from altmatch.services.kernel.locking import expect_version, stale_guard, touch

LEVELS = frozenset(level.value for level in SchoolLevel)
UNASSIGNED = repo.UNASSIGNED
# The roster as a long list (db.listing): the contract filter is a row id or "unassigned".
ROSTER: ListSpec = replace(
    repo.ROSTER_LIST,
    filters={
        "contract": None,
        "renewal_intention": tuple(r.value for r in RenewalIntention),
        "jlpt": tuple(j.value for j in Jlpt),
        "prefecture": None,
    },
)


class RosterAssignmentOut(BaseModel):
    position_id: int
    position: str
    contract_id: int
    contract_reference: str
    school_id: int
    school: str
    start: date
    end: date | None


class ChecklistItemOut(BaseModel):
    id: str
    label: str
    done_on: date | None


class RosterAltOut(BaseModel):
    id: int
    alt_id: str
    name: str
    home_prefecture: str
    home_municipality: str
    home_latitude: float | None  # None: the ALT deleted their account (a kept record)
    home_longitude: float | None
    school_experience: list[SchoolLevel]
    driving_licence: bool
    jlpt: Jlpt
    contract_end: date
    renewal_intention: RenewalIntention
    preferred_prefectures: list[str]
    employed_since: date | None  # the first fixed-term contract with the company began
    residence_card_expires_on: date | None
    checklist_done: int
    checklist_total: int
    checklist_percent: int
    current: RosterAssignmentOut | None
    version: int


class RosterAltDetailOut(RosterAltOut):
    checklist: list[ChecklistItemOut]
    history: list[RosterAssignmentOut]
    retention: AltRiskOut | None = None  # None once their contract with the company has ended


class RosterFilters(BaseModel):
    renewal_intention: RenewalIntention | None = None
    prefecture: str | None = None


class RosterOut(BaseModel):
    company_id: int
    company: str
    filters: RosterFilters
    prefectures: list[str]  # every home prefecture on the roster, for the filter
    total: int  # ALTs on the roster before filtering
    alts: list[RosterAltOut]


class ChecklistTick(BaseModel):
    item: str = Field(min_length=1, max_length=64)
    done_on: date | None = Field(default=None, description="Completion date; null un-ticks")
    version: int = Field(description="The version you read: a stale one is refused with 409.")


class RenewalEdit(BaseModel):
    renewal_intention: RenewalIntention
    version: int = Field(description="The version you read: a stale one is refused with 409.")


class ComplianceDatesEdit(BaseModel):
    """The compliance watch's dates of one ALT; null clears one."""

    employed_since: date | None = Field(
        default=None, description="When the ALT's first fixed-term contract with you began."
    )
    residence_card_expires_on: date | None = Field(
        default=None, description="The expiry date on the ALT's residence card."
    )
    version: int = Field(description="The version you read: a stale one is refused with 409.")


def _items() -> list[str]:
    return [item.id for item in load_rulebook().dispatch_operations.onboarding.items]


def _assignments(
    session: Session, alt_ids: Sequence[int], locale: str, *, current_only: bool
) -> dict[int, list[RosterAssignmentOut]]:
    found: dict[int, list[RosterAssignmentOut]] = {}
    for a, p, c, s in assignment_history(session, alt_ids, current_only=current_only):
        found.setdefault(a.alt_id, []).append(
            RosterAssignmentOut(
                position_id=p.id,
                position=p.external_id,
                contract_id=c.id,
                contract_reference=c.reference,
                school_id=s.id,
                school=named(s, locale),
                start=a.start,
                end=a.end,
            )
        )
    return found


def _day(value: object) -> date | None:
    """A checklist completion date as stored (ISO text); anything unreadable shows as none."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _alt_out(row: RosterAlt, current: RosterAssignmentOut | None, items: list[str]) -> RosterAltOut:
    progress = checklist_progress(items, row.checklist or {})
    return RosterAltOut(
        id=row.id,
        alt_id=row.external_id,
        name=row.name,
        home_prefecture=row.home_prefecture,
        home_municipality=row.home_municipality,
        home_latitude=row.home_latitude,
        home_longitude=row.home_longitude,
        school_experience=[SchoolLevel(v) for v in row.school_experience if v in LEVELS],
        driving_licence=row.driving_licence,
        jlpt=Jlpt(row.jlpt),
        contract_end=row.contract_end,
        renewal_intention=RenewalIntention(row.renewal_intention),
        preferred_prefectures=list(row.preferred_prefectures or []),
        employed_since=row.employed_since,
        residence_card_expires_on=row.residence_card_expires_on,
        checklist_done=progress.done,
        checklist_total=progress.total,
        checklist_percent=progress.percent,
        current=current,
        version=row.version,
    )


def list_roster(
    sessions: Sessions,
    actor: Actor,
    *,
    filters: RosterFilters | None = None,
    locale: str = "en",
    company_id: int | None = None,
) -> RosterOut:
    """The company's ALTs by name, optionally only those with a renewal intention or living in
    a prefecture."""
    require(actor, Permission.DISPATCH_MANAGE)
    chosen = filters or RosterFilters()
    with sessions() as session:
        company = company_for(session, actor, company_id)
        rows = roster_alts_of_company(session, company.id, by_name=True)
        prefectures = sorted({r.home_prefecture for r in rows if r.home_prefecture})
        total = len(rows)
        if chosen.renewal_intention is not None:
            rows = [r for r in rows if r.renewal_intention == chosen.renewal_intention.value]
        if chosen.prefecture:
            rows = [r for r in rows if r.home_prefecture == chosen.prefecture]
        current = _assignments(session, [r.id for r in rows], locale, current_only=True)
        items = _items()
        return RosterOut(
            company_id=company.id,
            company=named(company, locale),
            filters=chosen,
            prefectures=prefectures,
            total=total,
            alts=[_alt_out(r, next(iter(current.get(r.id, [])), None), items) for r in rows],
        )


class ContractChoiceOut(BaseModel):
    id: int
    reference: str


class RosterPageOut(RosterOut):
    """One page of the roster (`alts`), with the query it answers and the contract filter's
    choices; `total` stays the whole roster's size, `listing.total` the ALTs that match."""

    listing: ListMetaOut
    contracts: list[ContractChoiceOut]


def roster_page(
    sessions: Sessions,
    actor: Actor,
    lq: ListQuery,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> RosterPageOut:
    """One page of the company's ALTs, searched, filtered, sorted and paged in the database;
    only the company's own ALTs are ever read (the operator names the company)."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions() as session:
        company = company_for(session, actor, company_id)
        order = [r.value for r in RenewalIntention]
        page = repo.roster_page(session, company.id, lq, renewal_order=order)
        rows: list[RosterAlt] = [row for (row,) in page.rows]
        current = _assignments(session, [r.id for r in rows], locale, current_only=True)
        items = _items()
        chosen = lq.get("renewal_intention")
        return RosterPageOut(
            company_id=company.id,
            company=named(company, locale),
            filters=RosterFilters(
                renewal_intention=RenewalIntention(chosen) if chosen else None,
                prefecture=lq.get("prefecture") or None,
            ),
            prefectures=repo.roster_prefectures(session, company.id),
            total=repo.roster_size(session, company.id),
            alts=[_alt_out(r, next(iter(current.get(r.id, [])), None), items) for r in rows],
            listing=list_meta(page, ROSTER),
            contracts=[
                ContractChoiceOut(id=c.id, reference=c.reference)
                for c in repo.contracts_of_company(session, company.id, by_reference=True)
            ],
        )


def _access_alt(session: Session, actor: Actor, alt_id: int, company_id: int | None) -> RosterAlt:
    if actor.is_operator:
        alt = session.get(RosterAlt, alt_id)
        if alt is None or (company_id is not None and alt.company_id != company_id):
            raise NotFoundError("alt")
        return alt
    require(actor, Permission.DISPATCH_MANAGE)
    return access_roster_alt(session, actor, alt_id)


def _detail(session: Session, row: RosterAlt, locale: str) -> RosterAltDetailOut:
    history = _assignments(session, [row.id], locale, current_only=False).get(row.id, [])
    current = next((a for a in history if a.end is None), None)
    items = load_rulebook().dispatch_operations.onboarding.items
    done = row.checklist or {}
    summary = _alt_out(row, current, [i.id for i in items])
    return RosterAltDetailOut(
        **summary.model_dump(),
        checklist=[
            ChecklistItemOut(
                id=i.id,
                label=i.label.get(locale),
                done_on=_day(done.get(i.id)),
            )
            for i in items
        ],
        history=history,
        retention=alt_risk(session, row, locale),
    )


def get_roster_alt(
    sessions: Sessions,
    actor: Actor,
    alt_id: int,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> RosterAltDetailOut:
    """One ALT with their onboarding checklist and every assignment, newest first."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions() as session:
        return _detail(session, _access_alt(session, actor, alt_id, company_id), locale)


def _versioned_update(
    session: Session, row: RosterAlt, version: int, values: dict[str, object]
) -> None:
    """Set `values` if the editor read `version`. The mapper's UPDATE ... WHERE version = the
    one loaded makes a concurrent edit lose (409 under stale_guard); touched, so every edit moves
    the version on even when it leaves the value as it was."""
    expect_version(row, version)
    for key, value in values.items():
        setattr(row, key, value)
    touch(row)
    session.flush()


@stale_guard()
def tick_checklist(
    sessions: Sessions,
    actor: Actor,
    alt_id: int,
    tick: ChecklistTick,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> RosterAltDetailOut:
    """Record (or with no date, clear) when an onboarding item was completed."""
    require(actor, Permission.DISPATCH_MANAGE)
    if tick.item not in _items():
        raise RuleError(Message(N_("There is no such checklist item.")), "item")
    with sessions.begin() as session:
        row = _access_alt(session, actor, alt_id, company_id)
        before = dict(row.checklist or {})
        after = {k: v for k, v in before.items() if k != tick.item}
        if tick.done_on is not None:
            after[tick.item] = tick.done_on.isoformat()
        _versioned_update(session, row, tick.version, {"checklist": after})
        record_audit(
            session,
            actor,
            "roster_alt.checklist_ticked",
            "roster_alt",
            row.id,
            {"checklist": before},
            {"checklist": after},
            tenant_id=row.company_id,
        )
        return _detail(session, row, locale)


@stale_guard()
def set_renewal_intention(
    sessions: Sessions,
    actor: Actor,
    alt_id: int,
    edit: RenewalEdit,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> RosterAltDetailOut:
    """Record whether the ALT means to renew their contract."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions.begin() as session:
        row = _access_alt(session, actor, alt_id, company_id)
        before = {"renewal_intention": row.renewal_intention}
        value = edit.renewal_intention.value
        _versioned_update(session, row, edit.version, {"renewal_intention": value})
        record_audit(
            session,
            actor,
            "roster_alt.renewal_intention_set",
            "roster_alt",
            row.id,
            before,
            {"renewal_intention": value},
            tenant_id=row.company_id,
        )
        return _detail(session, row, locale)


@stale_guard()
def set_compliance_dates(
    sessions: Sessions,
    actor: Actor,
    alt_id: int,
    edit: ComplianceDatesEdit,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> RosterAltDetailOut:
    """Record when the ALT's first fixed-term contract began and when their residence card
    expires (the compliance watch's facts); the first may not be after their contract end."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions.begin() as session:
        row = _access_alt(session, actor, alt_id, company_id)
        if edit.employed_since is not None and edit.employed_since > row.contract_end:
            raise RuleError(
                Message(
                    N_("The first contract cannot begin after the contract end ({end})."),
                    {"end": row.contract_end},
                ),
                "employed_since",
            )
        names = ("employed_since", "residence_card_expires_on")
        before = {k: _iso(getattr(row, k)) for k in names}
        values = {k: getattr(edit, k) for k in names}
        _versioned_update(session, row, edit.version, values)
        record_audit(
            session,
            actor,
            "roster_alt.compliance_dates_set",
            "roster_alt",
            row.id,
            before,
            {k: _iso(v) for k, v in values.items()},
            tenant_id=row.company_id,
        )
        return _detail(session, row, locale)


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _fields(record: RosterRecord, given: frozenset[str] = frozenset()) -> dict[str, object]:
    """The row's values from a file record; the dates of ROSTER_KEPT_WHEN_ABSENT only when the
    file has their column (`given`), so an older file keeps what the roster holds."""
    kept = {
        column: getattr(record, column) for column in ROSTER_KEPT_WHEN_ABSENT if column in given
    }
    return kept | {
        "name": record.name,
        "home_prefecture": record.home_prefecture,
        "home_municipality": record.home_municipality,
        "home_latitude": record.home_latitude,
        "home_longitude": record.home_longitude,
        "school_experience": [level.value for level in record.school_experience],
        "driving_licence": record.driving_licence,
        "jlpt": record.jlpt.value,
        "contract_end": record.contract_end,
        "renewal_intention": record.renewal_intention.value,
        "preferred_prefectures": list(record.preferred_prefectures),
    }


@stale_guard()
def import_roster(
    sessions: Sessions,
    actor: Actor,
    *,
    content: bytes,
    filename: str,
    commit: bool = True,
    company_id: int | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    locale: str = "en",
) -> ImportOut:
    """Check (and with `commit`, store) a roster file: a known alt_id updates that ALT, a new
    one adds an ALT; every row or, if any is wrong, none."""
    require(actor, Permission.DISPATCH_MANAGE)
    upload = read_roster_upload(content, filename, limits)
    # The file is parsed above, outside any transaction; only a commit of a good file takes
    # the write lock.
    storing = commit and not upload.errors
    with sessions.begin() if storing else sessions() as session:
        company = company_for(session, actor, company_id)
        if upload.errors or not commit:
            return import_out(len(upload.records), upload.errors, upload.sha256, False, locale)
        existing = {r.external_id: r for r in roster_alts_of_company(session, company.id)}
        added: list[str] = []
        updated: list[str] = []
        new_rows: list[RosterRecord] = []
        for record in upload.records:
            row = existing.get(record.alt_id)
            if row is None:
                new_rows.append(record)
                added.append(record.alt_id)
                continue
            fields = _fields(record, upload.given)
            if any(getattr(row, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                updated.append(record.alt_id)
        # a generator: add_roster_alts builds one batch of parameters at a time
        add_roster_alts(
            session,
            company.id,
            ({"external_id": r.alt_id, **_fields(r, upload.given)} for r in new_rows),
        )
        session.flush()
        after = {
            "rows": len(upload.records),
            "added": added,
            "updated": updated,
            "sha256": upload.sha256,
        }
        record_audit(
            session,
            actor,
            "roster.imported",
            "company",
            company.id,
            None,
            after,
            tenant_id=company.id,
        )
        return import_out(len(upload.records), [], upload.sha256, True)


EXPORT_COLUMNS = (
    *ROSTER_COLUMNS,
    "checklist_done",
    "checklist_total",
    "current_contract",
    "current_position",
    "current_school",
)


def export_roster(
    sessions: Sessions,
    actor: Actor,
    fmt: Format,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> bytes:
    """The whole roster as CSV or XLSX, in the import's columns (so it can be edited and
    imported again) plus checklist progress and the current assignment. Entries kept after
    their ALT deleted their account (no home) are left out: they cannot be imported again."""
    roster = list_roster(sessions, actor, locale=locale, company_id=company_id)
    rows = [
        (
            a.alt_id,
            a.name,
            a.home_prefecture,
            a.home_municipality,
            a.home_latitude,
            a.home_longitude,
            ";".join(a.school_experience),
            "yes" if a.driving_licence else "no",
            a.jlpt.value,
            a.contract_end,
            a.renewal_intention.value,
            ";".join(a.preferred_prefectures),
            a.employed_since,
            a.residence_card_expires_on,
            a.checklist_done,
            a.checklist_total,
            a.current.contract_reference if a.current else None,
            a.current.position if a.current else None,
            a.current.school if a.current else None,
        )
        for a in roster.alts
        if a.home_latitude is not None
    ]
    return export_rows(EXPORT_COLUMNS, rows, fmt, sheet_name="roster")
