"""Seed the database with the demo season through the services: organisations, their schools,
personas' accounts, an open season with its requests and candidates, and the dispatch
companies' operations and BoEs' direct-hire postings. Running it again adds nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from altmatch.clock import JAPAN, japan_now, utc_now
from altmatch.db import Sessions
from altmatch.demo import (
    DEMO_PASSWORD,
    DemoSeason,
    Persona,
    generate_direct_hire,
    generate_dispatch,
)
from altmatch.demo.dispatch_records import persona_contract_term
from altmatch.demo.interview_panels import InterviewRound, interview_round
from altmatch.demo.seed_operations import OperationsSeeded, seed_demo_operations
from altmatch.demo.seed_recruitment import seed_demo_recruitment
from altmatch.demo.seed_support import seed_demo_support
from altmatch.demo.shortlist_round import decide_demo_shortlist
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.io.season_files import COLUMNS, UPLOAD_COLUMNS
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import HiringPath
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.schools import SchoolFields, add_schools, list_schools
from altmatch.services.accounts.users import (
    create_organisation,
    create_user,
    list_organisations,
    list_users,
)
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.kernel.listing import ListQuery
from altmatch.services.my_placement import AltContractIn, record_alt_contract
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.season.interview_report import interviews_page
from altmatch.services.season.setup import list_seasons, open_season, season_overview

REQUEST_WINDOW = timedelta(days=60)  # the demo season stays open for BoE edits this long


@dataclass(frozen=True)
class SeedReport:
    season_id: int
    organisations_added: int
    schools_added: int
    accounts_added: int
    requests_imported: int
    candidates_imported: int
    operations: OperationsSeeded = field(default_factory=OperationsSeeded)
    interview_scores: int = 0  # rubric scores calibrated (demo.interview_panels)
    interview_decisions: int = 0  # candidates shortlisted or not (demo.shortlist_round)
    online_applications: int = 0  # added to the online intake (demo.seed_recruitment)
    online_season_id: int | None = None  # next year's intake, open for online applications


def seed_demo_database(sessions: Sessions, demo: DemoSeason) -> SeedReport:
    """Create whatever of the demo is missing; everything is found by name, email or id."""
    orgs, added_orgs = _organisations(sessions, demo)
    added_schools = _schools(sessions, demo, orgs)
    added_users = _accounts(sessions, demo.personas, orgs)
    _alt_contracts(sessions, demo.personas, orgs)
    operations = _operations(sessions, demo, orgs)
    seed_demo_support(sessions, demo.personas, orgs)
    coordinator = act_as(
        sessions, OPERATOR, next(p.login for p in demo.personas if p.role is Role.COORDINATOR)
    )
    season_id = _season(sessions, coordinator, demo)
    counts = season_overview(sessions, coordinator, season_id).counts
    interviews = interview_round(demo)  # its raw means are the imported interview scores
    requests = candidates = 0
    if counts.requests == 0:
        requests = _imported(
            import_requests(
                sessions,
                coordinator,
                season_id,
                content=_requests_csv(demo, orgs),
                filename="requests.csv",
                commit=True,
            )
        )
    if counts.candidates == 0:
        candidates = _imported(
            import_candidates(
                sessions,
                coordinator,
                season_id,
                content=_candidates_csv(demo, interviews.raw_scores),
                filename="candidates.csv",
                commit=True,
            )
        )
    scores = _calibrate(sessions, coordinator, season_id, interviews)
    decided = decide_demo_shortlist(sessions, coordinator, season_id)
    online = seed_demo_recruitment(
        sessions,
        orgs[demo.programme.id],
        next(p.login for p in demo.personas if p.role is Role.COORDINATOR),
        seed=demo.seed,
        contract_start=_next_year(_jet_start()),
        deadline=_deadline(),
    )
    return SeedReport(
        season_id,
        added_orgs,
        added_schools,
        added_users,
        requests,
        candidates,
        operations,
        scores,
        decided,
        online.applications,
        online.season_id,
    )


def _calibrate(
    sessions: Sessions, coordinator: Actor, season_id: int, interviews: InterviewRound
) -> int:
    """Calibrate the demo's interview round, as a coordinator uploads it, unless the season
    has a calibration already; the number of scores calibrated."""
    if interviews_page(sessions, coordinator, season_id, ListQuery(per_page=1)).calibration:
        return 0
    result = calibrate_season(
        sessions,
        coordinator,
        season_id,
        content=interviews.content,
        filename="interview_scores.csv",
    )
    if not result.committed:
        problems = "; ".join(f"{e.row}:{e.column}: {e.message}" for e in result.errors[:5])
        raise RuntimeError(f"the demo's interview scores were refused: {problems}")
    return interviews.scores


def _imported(result: ImportOut) -> int:
    if not result.committed:
        problems = "; ".join(f"{e.row}:{e.column}: {e.message}" for e in result.errors[:5])
        raise RuntimeError(f"the demo import was refused: {problems}")
    return result.rows


def _organisations(sessions: Sessions, demo: DemoSeason) -> tuple[dict[str, int], int]:
    """Demo organisation id (e.g. 'boe-28-kobe') → database id."""
    existing = {(o.kind, o.name_en): o.id for o in list_organisations(sessions, actor=OPERATOR)}
    found: dict[str, int] = {}
    added = 0

    def ensure(
        key: str,
        kind: OrgKind,
        name: str,
        name_ja: str,
        *,
        prefecture: str | None = None,
        municipality: str | None = None,
        programme_id: int | None = None,
    ) -> int:
        nonlocal added
        if (kind, name) not in existing:
            made = create_organisation(
                sessions,
                actor=OPERATOR,
                kind=kind,
                name_en=name,
                name_ja=name_ja,
                prefecture=prefecture,
                municipality=municipality,
                programme_id=programme_id,
            )
            existing[kind, name] = made.id
            added += 1
        found[key] = existing[kind, name]
        return found[key]

    programme = ensure(
        demo.programme.id, OrgKind.PROGRAMME, demo.programme.name, demo.programme.name_ja
    )
    for boe in demo.boes:
        ensure(
            boe.id,
            OrgKind.BOE,
            boe.name,
            boe.name_ja,
            prefecture=boe.prefecture,
            municipality=boe.municipality,
            programme_id=programme,
        )
    for company in demo.companies:
        ensure(company.id, OrgKind.COMPANY, company.name, company.name_ja)
    return found, added


def _schools(sessions: Sessions, demo: DemoSeason, orgs: Mapping[str, int]) -> int:
    """Each BoE's demo schools that it does not have yet (found by their id), one BoE at a time."""
    by_boe: dict[str, list[SchoolFields]] = {}
    for school in demo.schools:
        by_boe.setdefault(school.boe_id, []).append(
            SchoolFields(
                external_id=school.external_id,
                name_en=school.name,
                name_ja=school.name_ja,
                level=school.level,
                area=school.area,
                municipality=school.municipality,
                latitude=school.latitude,
                longitude=school.longitude,
            )
        )
    added = 0
    for boe_key, wanted in by_boe.items():
        boe_id = orgs[boe_key]
        have = {s.external_id for s in list_schools(sessions, OPERATOR, boe_id).schools}
        missing = [s for s in wanted if s.external_id not in have]
        if missing:
            added += len(add_schools(sessions, OPERATOR, boe_id, missing))
    return added


def _accounts(sessions: Sessions, people: Sequence[Persona], orgs: Mapping[str, int]) -> int:
    existing = {u.email for u in list_users(sessions, actor=OPERATOR)}
    added = 0
    for person in people:
        if person.login in existing:
            continue
        staff = person.role in (Role.COORDINATOR, Role.BOE_STAFF, Role.COMPANY_STAFF, Role.ASSESSOR)
        create_user(
            sessions,
            actor=OPERATOR,
            email=person.login,
            display_name=person.name,
            role=person.role,
            password=DEMO_PASSWORD,
            organisation_id=orgs[person.organisation_id]
            if staff and person.organisation_id
            else None,
        )
        added += 1
    return added


def _alt_contracts(sessions: Sessions, people: Sequence[Persona], orgs: Mapping[str, int]) -> None:
    """Each employed-ALT persona's current contract with their employer (a company: dispatch,
    a BoE: direct hire), a year from last season's start; recording it again adds nothing."""
    users = {u.email: u.id for u in list_users(sessions, actor=OPERATOR)}
    start, end = persona_contract_term(load_rulebook(), utc_now().date())
    for person in people:
        if person.role is not Role.ALT or not person.organisation_id:
            continue
        dispatch = person.organisation_id.startswith("company-")
        record_alt_contract(
            sessions,
            OPERATOR,
            AltContractIn(
                user_id=users[person.login],
                employer_id=orgs[person.organisation_id],
                path=HiringPath.DISPATCH if dispatch else HiringPath.DIRECT_HIRE,
                start=start,
                end=end,
                recontract_year=end.year,
                workplace_boe_id=orgs[person.boe_id] if person.boe_id else None,
            ),
        )


def _operations(sessions: Sessions, demo: DemoSeason, orgs: Mapping[str, int]) -> OperationsSeeded:
    """The companies' contracts, roster, assignments, tenders and transfers, and the BoEs'
    direct-hire postings with applications, placed around today (once)."""
    today = utc_now().date()
    book = load_rulebook()
    return seed_demo_operations(
        sessions,
        OPERATOR,
        dispatch=generate_dispatch(demo, today, book),
        direct_hire=generate_direct_hire(demo, today, book),
        orgs=orgs,
        logins={p.key: p.login for p in demo.personas},
        boe_staff={
            p.organisation_id: p.key
            for p in demo.personas
            if p.role is Role.BOE_STAFF and p.organisation_id
        },
    )


def _season(sessions: Sessions, coordinator: Actor, demo: DemoSeason) -> int:
    start = _jet_start()
    name = f"{start.year} demo season"
    for season in list_seasons(sessions, coordinator):
        if season.name == name:
            return season.id
    opened = open_season(
        sessions,
        coordinator,
        name=name,
        year=start.year,
        request_deadline=_deadline(),
        contract_start=start,
    )
    return opened.id


def _jet_start() -> date:
    """The next JET start date in the rulebook's timeline (figures are data)."""
    windows = load_rulebook().paths[HiringPath.JET].timeline.windows
    today = utc_now().date()
    upcoming = [w.starts for w in windows if w.starts >= today]
    return min(upcoming) if upcoming else max(w.starts for w in windows)


def _next_year(start: date) -> date:
    """The same start a year on: the intake recruiting now, for next year's season."""
    return start.replace(year=start.year + 1) if (start.month, start.day) != (2, 29) else start


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _requests_csv(demo: DemoSeason, orgs: Mapping[str, int]) -> bytes:
    """The demo's requests, naming each BoE by its database id."""
    required, optional = COLUMNS["requests"]
    rows = (
        (
            r.record.id,
            r.record.capacity,
            orgs[r.boe_id],
            r.record.prefecture,
            ";".join(r.record.school_levels),
            r.record.area,
            _yes(r.record.requires_driving_licence),
            r.record.min_jlpt.value,
            r.record.min_teaching_years,
            r.record.weight_jlpt,
            r.record.weight_teaching_years,
            r.record.weight_school_levels,
            r.record.weight_driving_licence,
        )
        for r in demo.requests
    )
    return _csv((*required, *optional), rows)


def _candidates_csv(demo: DemoSeason, interview_scores: Mapping[str, int]) -> bytes:
    """The demo's candidates; persona candidates carry their login, so their accounts link.
    Each one's interview score is their panel's raw mean (demo.interview_panels), as a
    programme that does not calibrate would import it."""
    required, optional = COLUMNS["candidates"]
    logins = {p.candidate_id: p.login for p in demo.personas if p.candidate_id}
    partner = {a: b for a, b in demo.couples}
    rows = (
        (
            c.record.id,
            c.record.jlpt.value,
            c.record.teaching_years,
            _yes(c.record.driving_licence),
            ";".join(c.record.school_experience),
            interview_scores.get(c.record.id, c.record.interview_score),
            ";".join(c.record.preferred_prefectures),
            c.record.preferred_area,
            ";".join(c.record.preferred_school_levels),
            _yes(c.record.accepts_anywhere),
            c.name,
            logins.get(c.record.id, ""),
            partner.get(c.record.id, ""),
        )
        for c in demo.candidates
    )
    return _csv((*required, *optional, *UPLOAD_COLUMNS["candidates"]), rows)


def _deadline() -> datetime:
    """17:00 Japan time, REQUEST_WINDOW from today: a deadline a BoE would actually be given."""
    day = (japan_now() + REQUEST_WINDOW).date()
    return datetime.combine(day, time(17, 0), tzinfo=JAPAN).astimezone(UTC)
