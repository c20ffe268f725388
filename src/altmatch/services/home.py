"""A signed-in person's home: the few next steps of their role, each a link with a status.

Read by the home page (`/` when signed in) and its JSON twin /api/v1/home. It reads several
contexts (seasons, dispatch, direct hire, support), so it sits beside them like
`my_placement`; every figure is a count or a short list, so the page stays fast however large
the season, and every step only names what the reader may already open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db import direct_hire as hire_repo
from altmatch.db import dispatch as dispatch_repo
from altmatch.db import recruitment as recruitment_repo
from altmatch.db import season as season_repo
from altmatch.db.models import SeasonRow
from altmatch.domain.access import AccessDeniedError, Actor, Role
from altmatch.domain.application import ApplicationStage
from altmatch.domain.direct_hire import PostingStage
from altmatch.domain.interview_sheets import SheetStatus
from altmatch.domain.support import CaseStatus
from altmatch.i18n import N_, Message, label, register_labels, render
from altmatch.services.dispatch.compliance import company_compliance
from altmatch.services.dispatch.contract_health import company_contract_health
from altmatch.services.dispatch.coverage import dispatch_coverage
from altmatch.services.dispatch.renewal_asks import my_renewal
from altmatch.services.dispatch.retention import company_retention
from altmatch.services.dispatch.surveys import company_surveys
from altmatch.services.my_placement import my_placement
from altmatch.services.notifications import unread_count
from altmatch.services.season.access import requests_locked
from altmatch.services.season.application_reads import open_seasons
from altmatch.services.season.interview_booking import my_interview
from altmatch.services.season.interview_planner import planner
from altmatch.services.season.interview_scoring import my_panels
from altmatch.services.support.case_reads import list_my_cases, list_queue


class StepStatus(StrEnum):
    """Whose move it is: the reader's (to do), someone else's (waiting), or nobody's (done)."""

    TO_DO = "todo"
    WAITING = "waiting"
    DONE = "done"


register_labels(
    StepStatus,
    {StepStatus.TO_DO: N_("To do"), StepStatus.WAITING: N_("Waiting"), StepStatus.DONE: N_("Done")},
)


class NextStep(BaseModel):
    key: str  # stable, e.g. "season-3-requests": for tests and scripts
    title: str  # in the reader's language
    detail: str
    href: str  # the screen where the step is taken
    status: StepStatus | None  # None: a link worth having, with nothing to finish
    due: dt.datetime | dt.date | None  # a deadline (a moment) or a day that matters


class HomeOut(BaseModel):
    role: Role
    steps: list[NextStep]


EARLY_STAGES = (ApplicationStage.SUBMITTED, ApplicationStage.SCREENED)
BOE_SEASONS = 3  # BoE staff see their programme's newest seasons (open, or their placements)


class _Steps:
    """Collects steps as Messages and renders them once, in the reader's language."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.steps: list[NextStep] = []

    def add(
        self,
        key: str,
        title: Message,
        detail: Message,
        href: str,
        status: StepStatus | None,
        due: dt.datetime | dt.date | None = None,
    ) -> None:
        self.steps.append(
            NextStep(
                key=key,
                title=render(title, self.locale),
                detail=render(detail, self.locale),
                href=href,
                status=status,
                due=due,
            )
        )

    def named(self, en: str, ja: str) -> str:
        return ja if self.locale == "ja" and ja else en


def home(
    sessions: Sessions,
    actor: Actor,
    *,
    locale: str = "en",
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> HomeOut:
    """The actor's next steps (`today`, `now`: Japan's date and the moment, for tests)."""
    steps = _Steps(locale)
    day = today or today_in_japan()
    moment = now or utc_now()
    build: dict[Role, Callable[[Sessions, Actor, _Steps, dt.date, dt.datetime], None]] = {
        Role.CANDIDATE: _candidate,
        Role.COORDINATOR: _coordinator,
        Role.BOE_STAFF: _boe_staff,
        Role.COMPANY_STAFF: _company_staff,
        Role.ALT: _alt,
        Role.ADMIN: _admin,
        Role.ASSESSOR: _assessor,
    }
    build[actor.role](sessions, actor, steps, day, moment)
    return HomeOut(role=actor.role, steps=steps.steps)


# -- candidates -----------------------------------------------------------------------------------


def _candidate(
    sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime
) -> None:
    with sessions() as session:
        for season in season_repo.seasons_of_candidate_user(session, actor.own_user_id()):
            _application(session, actor, steps, season)
    _online_applications(sessions, actor, steps)
    _interview(sessions, actor, steps, now)
    steps.add(
        "advisor",
        Message(N_("Compare paths")),
        Message(N_("See which ways to teach in Japan are open to you, and what each pays.")),
        "/advisor",
        None,
    )
    _direct_hire_applications(sessions, actor, steps)


def _application(session: Session, actor: Actor, steps: _Steps, season: SeasonRow) -> None:
    row = season_repo.candidate_of_user(session, season.id, actor.own_user_id())
    if row is None:
        return
    href = f"/seasons/{season.id}/application"
    params = {"season": season.name}
    stage = ApplicationStage(row.stage)
    run = season_repo.latest_published_run(session, season.id)
    placement = season_repo.placement_of(session, run.id, row.id) if run else None
    if placement is not None and stage is not ApplicationStage.WITHDRAWN:
        if placement.request_id is not None:
            outcome = Message(N_("You are placed. See where, and why."))
        elif placement.alternate_position is not None:
            outcome = Message(
                N_("You are not placed yet: you are alternate number {position}."),
                {"position": placement.alternate_position},
            )
        else:
            outcome = Message(N_("You are not placed in this match. See why."))
        title = Message(N_("{season}: your outcome"), params)
        steps.add(f"season-{season.id}-outcome", title, outcome, href, StepStatus.DONE)
        return
    withdrawn = stage is ApplicationStage.WITHDRAWN
    steps.add(
        f"season-{season.id}-application",
        Message(N_("{season}: your application"), params),
        Message(N_("Stage: {stage}."), {"stage": Message(label(stage))}),
        href,
        StepStatus.DONE if withdrawn else StepStatus.WAITING,
    )
    if season.status == "open" and not withdrawn:  # as the application page decides
        steps.add(
            f"season-{season.id}-preferences",
            Message(N_("{season}: check where you want to go"), params),
            Message(N_("You can change your location preferences until the outcome is published.")),
            f"{href}#preferences",
            StepStatus.TO_DO,
        )


def _online_applications(sessions: Sessions, actor: Actor, steps: _Steps) -> None:
    """Each season taking online applications that the candidate has not submitted to yet."""
    for found in open_seasons(sessions, actor):
        mine = found.application
        if mine is not None and mine.status == "submitted":
            continue  # followed on its own page; the season's application step above
        steps.add(
            f"online-{found.season_id}",
            Message(N_("{season}: apply online"), {"season": found.season_name}),
            Message(N_("Not started."))
            if mine is None
            else Message(N_("Draft: {n} things still needed."), {"n": len(mine.missing)}),
            f"/seasons/{found.season_id}/apply",
            StepStatus.TO_DO,
        )


def _interview(sessions: Sessions, actor: Actor, steps: _Steps, now: dt.datetime) -> None:
    """Each screened-in online application's interview: book one, or when it is (and whether
    it now falls outside the candidate's hours). Once heard, the application's stage says the
    rest."""
    with sessions() as session:
        seasons = [
            a.season_id
            for a in recruitment_repo.applications_of_user(session, actor.own_user_id())
            if a.status == "submitted"
        ]
    for season_id in seasons:
        try:
            found = my_interview(sessions, actor, season_id)
        except AccessDeniedError:  # not screened in through an office, or gone meanwhile
            continue
        if not found.screened_in:
            continue
        key, href = f"interview-{season_id}", f"/seasons/{season_id}/apply/interview"
        params = {"season": found.season_name}
        booking = found.booking
        if booking is None:
            steps.add(
                key,
                Message(N_("{season}: book your interview"), params),
                Message(N_("Slots open to you: {n}."), {"n": len(found.open_slots)}),
                href,
                StepStatus.TO_DO,
            )
        elif booking.starts_at > now:
            when = {"when": booking.your_time, "zone": found.your_zone}
            detail = (
                Message(N_("{when} ({zone}): outside your hours now. Move it."), when)
                if found.outside_hours
                else Message(N_("{when} ({zone})."), when)
            )
            steps.add(
                key,
                Message(N_("{season}: your interview"), params),
                detail,
                href,
                StepStatus.TO_DO if found.outside_hours else StepStatus.WAITING,
                due=booking.starts_at,
            )


def _direct_hire_applications(sessions: Sessions, actor: Actor, steps: _Steps) -> None:
    with sessions() as session:
        stages = [
            PostingStage(a.stage)
            for a in hire_repo.applications_of_user(session, actor.own_user_id())
        ]
    if not stages:
        return
    active = sum(1 for s in stages if s.is_open)
    steps.add(
        "direct-hire-applications",
        Message(N_("Your direct-hire applications")),
        Message(N_("In progress: {active} of {total}."), {"active": active, "total": len(stages)}),
        "/my/applications",
        StepStatus.WAITING if active else StepStatus.DONE,
    )


# -- coordinators ---------------------------------------------------------------------------------


def _coordinator(
    sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime
) -> None:
    with sessions() as session:
        seasons = _open_seasons(session, actor)
        if not seasons:
            steps.add(
                "open-season",
                Message(N_("Open a placement season")),
                Message(N_("No season of your programme is open.")),
                "/seasons",
                StepStatus.TO_DO,
            )
        for season in seasons:
            _season_checklist(session, steps, season, now)
    _offices(sessions, actor, steps)


def _offices(sessions: Sessions, actor: Actor, steps: _Steps) -> None:
    """The recruiting offices the coordinator works for: applications waiting to be screened,
    and the interview round of the newest open season (who still has no slot, and bookings a
    panel's declared conflict means moving)."""
    with sessions() as session:
        offices = recruitment_repo.offices_of_staff(session, actor.own_user_id())
        waiting = {o.id: recruitment_repo.awaiting_screening(session, o.id) for o in offices}
    for office in offices:
        name = {"office": steps.named(office.name_en, office.name_ja)}
        steps.add(
            f"office-{office.id}-queue",
            Message(N_("{office}: screening"), name),
            Message(N_("Waiting to be screened: {n}."), {"n": waiting[office.id]}),
            f"/offices/{office.id}/queue",
            StepStatus.TO_DO if waiting[office.id] else StepStatus.DONE,
        )
        try:
            plan = planner(sessions, actor, office.id)
        except AccessDeniedError:  # no open season
            continue
        unseated, to_move = len(plan.waiting), sum(1 for s in plan.slots if s.conflicted)
        steps.add(
            f"office-{office.id}-interviews",
            Message(N_("{office}: interviews"), name),
            Message(
                N_(
                    "Screened in: {heard}. Booked: {booked}. Waiting for a slot: {waiting}. "
                    "To move for a conflict of interest: {conflicts}."
                ),
                {
                    "heard": plan.heard,
                    "booked": plan.booked,
                    "waiting": unseated,
                    "conflicts": to_move,
                },
            ),
            f"/offices/{office.id}/interviews?season={plan.season.id}",
            StepStatus.TO_DO if unseated or to_move else StepStatus.DONE,
        )


def _open_seasons(session: Session, actor: Actor) -> list[SeasonRow]:
    if actor.programme_id is None:
        return []
    return [s for s in season_repo.list_seasons(session, actor.programme_id) if s.status == "open"]


def _season_checklist(session: Session, steps: _Steps, season: SeasonRow, now: dt.datetime) -> None:
    key, base, params = f"season-{season.id}", f"/seasons/{season.id}", {"season": season.name}
    n_requests, places = season_repo.request_totals(session, season.id)
    locked = requests_locked(season, now=now)
    steps.add(
        f"{key}-requests",
        Message(N_("{season}: requests"), params),
        Message(
            N_("Imported: {requests} requests for {places} places."),
            {"requests": n_requests, "places": places},
        ),
        f"{base}/requests",
        StepStatus.TO_DO if not n_requests else StepStatus.DONE if locked else StepStatus.WAITING,
        season.request_deadline,
    )
    stages = season_repo.candidates_per_stage(session, season.id)
    early = sum(stages.get(s.value, 0) for s in EARLY_STAGES)
    steps.add(
        f"{key}-candidates",
        Message(N_("{season}: candidates"), params),
        Message(
            N_("Imported: {candidates}. Still submitted or screened: {early}."),
            {"candidates": sum(stages.values()), "early": early},
        ),
        f"{base}/stages" if early else base,  # the stage board moves them on
        StepStatus.TO_DO if early or not stages else StepStatus.DONE,
    )
    drafts = [r for r in season_repo.runs(session, season.id) if r.status == "draft"]
    if drafts:
        newest = drafts[-1]
        steps.add(
            f"{key}-runs",
            Message(N_("{season}: review the draft runs"), params),
            Message(
                N_("Draft runs: {drafts}. The newest is run {run}."),
                {"drafts": len(drafts), "run": newest.id},
            ),
            f"{base}/runs/{newest.id}",
            StepStatus.TO_DO,
        )
    else:
        steps.add(
            f"{key}-runs",
            Message(N_("{season}: run the match"), params),
            Message(N_("No draft run yet.")),
            base,
            StepStatus.TO_DO if n_requests and stages else StepStatus.WAITING,
        )
    published = season_repo.latest_published_run(session, season.id)
    steps.add(
        f"{key}-publish",
        Message(N_("{season}: publish a run"), params),
        Message(N_("Candidates and BoEs see the outcome once a run is published."))
        if published is None
        else Message(N_("Run {run} is published."), {"run": published.id}),
        base,
        StepStatus.DONE if published else StepStatus.TO_DO if drafts else StepStatus.WAITING,
    )


# -- BoE staff ------------------------------------------------------------------------------------


def _boe_staff(
    sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime
) -> None:
    boe_id = actor.organisation_id
    with sessions() as session:
        seasons = (
            season_repo.list_seasons(session, actor.programme_id) if actor.programme_id else []
        )
        for season in seasons[:BOE_SEASONS]:
            _boe_season(session, steps, season, boe_id, now)
        new, postings = _new_applications(session, boe_id)
    steps.add(
        "direct-hire-postings",
        Message(N_("New direct-hire applications")),
        Message(
            N_("New applications: {applications}, to {postings} of your postings."),
            {"applications": new, "postings": postings},
        ),
        "/boe/postings",
        StepStatus.TO_DO if new else StepStatus.DONE,
    )
    _handled_cases(sessions, actor, steps, now)
    _notifications(sessions, actor, steps, "/my/notifications")


def _boe_season(
    session: Session, steps: _Steps, season: SeasonRow, boe_id: int | None, now: dt.datetime
) -> None:
    params = {"season": season.name}
    if season.status == "open":
        filed = len(season_repo.requests(session, season.id, boe_id=boe_id)) if boe_id else 0
        locked = requests_locked(season, now=now)
        steps.add(
            f"season-{season.id}-requests",
            Message(N_("{season}: your requests"), params),
            Message(N_("The deadline has passed: your requests are final."))
            if locked
            else Message(
                N_("Filed: {requests}. You can change them until the deadline."),
                {"requests": filed},
            ),
            f"/seasons/{season.id}/requests",
            StepStatus.DONE if locked else StepStatus.WAITING if filed else StepStatus.TO_DO,
            season.request_deadline,
        )
        return
    run = season_repo.latest_published_run(session, season.id)
    if run is not None and run.published_at is not None:
        steps.add(
            f"season-{season.id}-placements",
            Message(N_("{season}: published placements"), params),
            Message(N_("See who is placed with your BoE.")),
            f"/seasons/{season.id}/placements",
            None,
            run.published_at,
        )


def _new_applications(session: Session, boe_id: int | None) -> tuple[int, int]:
    """(applications still at "applied", postings that have any) of the BoE's postings."""
    if boe_id is None:
        return 0, 0
    counts = hire_repo.stage_counts_of_boe(session, boe_id)
    new = [(posting, n) for posting, stage, n in counts if stage == PostingStage.APPLIED and n]
    return sum(n for _, n in new), len({posting for posting, _ in new})


# -- dispatch company staff -----------------------------------------------------------------------


def _company_staff(
    sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime
) -> None:
    try:
        coverage = dispatch_coverage(sessions, actor, today=today)
    except AccessDeniedError:  # staff of no company: nothing of a company to show
        coverage = None
    if coverage is not None and coverage.contracts:
        renewals = [
            c.renewal_date
            for c in coverage.contracts
            if c.ends_within_horizon and c.renewal_date and c.renewal_date >= today
        ]
        at_risk, gap = len(coverage.at_risk), coverage.at_horizon.gap
        steps.add(
            "coverage",
            Message(N_("Contracts and coverage")),
            Message(
                N_(
                    "Contracts: {contracts}. ALTs at risk of leaving: {at_risk}. "
                    "Positions without an ALT in {months} months: {gap}."
                ),
                {
                    "contracts": len(coverage.contracts),
                    "at_risk": at_risk,
                    "months": coverage.rule.horizon_months,
                    "gap": gap,
                },
            ),
            "/dispatch/coverage",
            StepStatus.TO_DO if at_risk or gap else StepStatus.DONE,
            min(renewals, default=None),
        )
    elif coverage is not None:
        steps.add(
            "contracts",
            Message(N_("Record your contracts")),
            Message(N_("No dispatch contract is recorded for your company yet.")),
            "/dispatch/contracts",
            StepStatus.TO_DO,
        )
    if coverage is not None:
        _compliance(sessions, actor, steps, today)
        _contract_health(sessions, actor, steps, today)
        _surveys(sessions, actor, steps, today)
        with sessions() as session:
            transfers = dispatch_repo.transfers_of_company(session, coverage.company_id)
            pending = sum(1 for t in transfers if t.status == dispatch_repo.TRANSFER_PENDING)
        steps.add(
            "transfers",
            Message(N_("Transfer requests to decide")),
            Message(N_("Waiting for a decision: {pending}."), {"pending": pending}),
            "/dispatch/transfers",
            StepStatus.TO_DO if pending else StepStatus.DONE,
        )
    _handled_cases(sessions, actor, steps, now)
    _notifications(sessions, actor, steps, "/my/notifications")


def _contract_health(sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date) -> None:
    """The company's contracts at risk or to watch, and renewal questions not answered."""
    health = company_contract_health(sessions, actor, today=today)
    retention = company_retention(sessions, actor, today=today)
    steps.add(
        "contract_health",
        Message(N_("Contract health")),
        Message(
            N_("At risk: {at_risk}, to watch: {watch}. Renewal questions not answered: {n}."),
            {"at_risk": health.at_risk, "watch": health.watch, "n": retention.unanswered},
        ),
        "/dispatch/contract-health",
        StepStatus.TO_DO if health.at_risk else StepStatus.DONE,
    )


def _surveys(sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date) -> None:
    """This term's satisfaction survey round: to open once its window has begun, then how
    many have answered until it closes."""
    found = company_surveys(sessions, actor, today=today)
    term = found.next_round
    current = next((r for r in found.rounds if r.term_key == term.term_key), None)
    if current is None:
        steps.add(
            "surveys",
            Message(N_("Satisfaction surveys")),
            Message(N_("This term's round opens on {day}."), {"day": term.opens_on}),
            "/dispatch/surveys",
            StepStatus.TO_DO if today >= term.opens_on else StepStatus.DONE,
            term.opens_on,
        )
        return
    steps.add(
        "surveys",
        Message(N_("Satisfaction surveys")),
        Message(
            N_("This term's round: answered {answered} of {invited}."),
            {"answered": current.answered, "invited": current.invited},
        ),
        "/dispatch/surveys",
        StepStatus.WAITING if current.answered < current.invited else StepStatus.DONE,
        current.closes_on if current.answered < current.invited else None,
    )


def _compliance(sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date) -> None:
    """The company's compliance alerts not yet acknowledged, the earliest due date first."""
    watch = company_compliance(sessions, actor, today=today)
    open_dates = [a.due_on for a in watch.alerts if a.acknowledged is None]
    steps.add(
        "compliance",
        Message(N_("Compliance deadlines")),
        Message(
            N_("Alerts to deal with: {to_do}, of which overdue: {overdue}."),
            {"to_do": watch.to_do, "overdue": watch.overdue},
        ),
        "/dispatch/compliance",
        StepStatus.TO_DO if watch.to_do else StepStatus.DONE,
        min(open_dates, default=None),
    )


# -- employed ALTs --------------------------------------------------------------------------------


def _alt(sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime) -> None:
    placement = my_placement(sessions, actor)
    current = [c for c in placement.contracts if c.start <= today <= c.end]
    if current:
        contract = current[-1]
        employer = steps.named(contract.employer.name, contract.employer.name_ja)
        schools = [steps.named(p.school, p.school_ja) for p in placement.posts]
        detail = (
            Message(
                N_("{employer}, at {schools}."),
                {
                    "employer": employer,
                    "schools": ("、" if steps.locale == "ja" else ", ").join(schools),
                },
            )
            if schools
            else Message(N_("Employed by {employer}."), {"employer": employer})
        )
        steps.add(
            "placement", Message(N_("Your placement")), detail, "/my/placement", None, contract.end
        )
    else:
        steps.add(
            "placement",
            Message(N_("Your placement")),
            Message(N_("No contract in force today is recorded for you.")),
            "/my/placement",
            None,
        )
    cases = list_my_cases(sessions, actor, now=now).cases
    open_cases = sum(1 for c in cases if c.status != CaseStatus.RESOLVED)
    steps.add(
        "cases",
        Message(N_("Your support cases")),
        Message(N_("Open: {cases}. Ask for help whenever you need it."), {"cases": open_cases}),
        "/my/cases",
        StepStatus.WAITING if open_cases else None,
    )
    _notifications(sessions, actor, steps, "/my/notifications")
    with sessions() as session:
        alt = dispatch_repo.roster_alt_of_user(session, actor.own_user_id())
        transfers = dispatch_repo.transfers_of_alt(session, alt.id) if alt else []
        pending = sum(1 for t in transfers if t.status == dispatch_repo.TRANSFER_PENDING)
    if alt is not None:
        _renewal(sessions, actor, steps)
        steps.add(
            "transfers",
            Message(N_("Your transfer requests")),
            Message(N_("Waiting for a decision: {pending}."), {"pending": pending}),
            "/my/transfers",
            StepStatus.WAITING if pending else None,
        )
    _direct_hire_applications(sessions, actor, steps)


def _renewal(sessions: Sessions, actor: Actor, steps: _Steps) -> None:
    """A dispatch ALT's renewal question, once their company has asked it."""
    renewal = my_renewal(sessions, actor)
    if not renewal.asked:
        return
    if renewal.answer is None:
        detail = Message(
            N_("Your company asks you to answer by {deadline}."), {"deadline": renewal.deadline}
        )
        status, due = StepStatus.TO_DO, renewal.deadline
    else:
        detail = Message(N_("You answered: {answer}."), {"answer": Message(label(renewal.answer))})
        status, due = StepStatus.DONE, None
    title = Message(N_("Will you renew your contract?"))
    steps.add("renewal", title, detail, "/my/renewal", status, due)


# -- interview assessors ---------------------------------------------------------------------------


def _assessor(
    sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime
) -> None:
    panels = my_panels(sessions, actor).panels
    slots = [slot for panel in panels for slot in panel.slots]
    due = [s for s in slots if s.sheet is not SheetStatus.SUBMITTED and s.starts_at <= now]
    steps.add(
        "assessing",
        Message(N_("Score your interviews")),
        Message(
            N_("Panels: {panels}. Candidates: {candidates}. Heard and not yet submitted: {due}."),
            {"panels": len(panels), "candidates": len(slots), "due": len(due)},
        ),
        "/assessing",
        StepStatus.TO_DO if due else StepStatus.DONE,
    )
    _notifications(sessions, actor, steps, "/my/notifications")


# -- administrators -------------------------------------------------------------------------------


def _admin(
    sessions: Sessions, actor: Actor, steps: _Steps, today: dt.date, now: dt.datetime
) -> None:
    steps.add(
        "support-metrics",
        Message(N_("Support quality")),
        Message(N_("Anonymised support figures for each employer.")),
        "/support/metrics",
        None,
    )
    steps.add(
        "users",
        Message(N_("Users")),
        Message(N_("Find an account, change its role or reset its two-factor sign-in.")),
        "/admin/users",
        None,
    )
    steps.add(
        "organisations",
        Message(N_("Organisations")),
        Message(N_("The programme, Boards of Education and dispatch companies.")),
        "/admin/organisations",
        None,
    )
    steps.add(
        "audit",
        Message(N_("Audit log")),
        Message(N_("Who changed what, and when, with filters.")),
        "/admin/audit",
        None,
    )
    _notifications(sessions, actor, steps, "/my/notifications")


# -- shared by several roles ----------------------------------------------------------------------


def _handled_cases(sessions: Sessions, actor: Actor, steps: _Steps, now: dt.datetime) -> None:
    cases = list_queue(sessions, actor, now=now).cases  # unresolved ones only
    breached = sum(1 for c in cases if c.breaches)
    steps.add(
        "cases",
        Message(N_("Support cases routed to you")),
        Message(
            N_("Open: {cases}. Past a deadline: {breached}."),
            {"cases": len(cases), "breached": breached},
        ),
        "/cases",
        StepStatus.TO_DO if cases else StepStatus.DONE,
    )


def _notifications(sessions: Sessions, actor: Actor, steps: _Steps, href: str) -> None:
    unread = unread_count(sessions, actor.own_user_id())
    steps.add(
        "notifications",
        Message(N_("Notifications")),
        Message(N_("Unread: {unread}."), {"unread": unread}),
        href,
        StepStatus.TO_DO if unread else StepStatus.DONE,
    )
