"""Demo direct hire: BoE postings (one from Kobe, whose staff persona screens its applicants)
and applications at every stage, with the history of how each got there.

Pure and deterministic: `generate_direct_hire(demo, today, rulebook)` depends only on the demo
season, its seed, `today` and the rulebook (pay within the direct-hire range, benefits from its
list, statuses it says allow the work). Every application met its posting's requirements when
made (`domain.direct_hire.unmet_requirements`), as the apply service insists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from altmatch.demo.candidates import FAMILY, GIVEN
from altmatch.demo.dispatch_records import in_japan, next_date
from altmatch.demo.draw import Draw
from altmatch.demo.model import Boe, DemoSchool, DemoSeason
from altmatch.demo.personas import LOGIN_DOMAIN, persona, personas
from altmatch.domain.access import Role
from altmatch.domain.direct_hire import (
    Declared,
    PostingStage,
    Requirements,
    unmet_requirements,
    work_capable_statuses,
)
from altmatch.rulebook.schema import RangePay, Rulebook
from altmatch.rulebook.vocabulary import HiringPath, Jlpt, Residence, SchoolLevel, StatusOfResidence

KOBE = "boe-28-kobe"
OPEN_POSTINGS = 14  # Kobe's and thirteen more
CLOSED_POSTINGS = 2
APPLICANTS = 22
PAY_STEP = 5_000
LEAD_DAYS = 45  # the least time between today and the start of the posts
STAGE_WEIGHTS = (
    (
        PostingStage.APPLIED,
        PostingStage.SCREENING,
        PostingStage.INTERVIEW,
        PostingStage.OFFERED,
        PostingStage.REJECTED,
        PostingStage.WITHDRAWN,
    ),
    (0.32, 0.24, 0.2, 0.06, 0.12, 0.06),
)
CLOSED_STAGE_WEIGHTS = (
    (PostingStage.OFFERED, PostingStage.REJECTED, PostingStage.WITHDRAWN),
    (0.3, 0.55, 0.15),
)
_LEVEL_WORDS = {
    SchoolLevel.ELEMENTARY: ("elementary", "小学校"),
    SchoolLevel.JUNIOR_HIGH: ("junior high", "中学校"),
    SchoolLevel.SENIOR_HIGH: ("high", "高等学校"),
    SchoolLevel.SPECIAL_NEEDS: ("special needs", "特別支援学校"),
}
# Hannah's declared facts: three years as a dispatch ALT in Saitama, JLPT N2, Instructor visa.
HANNAH = "alt_hannah"
HANNAH_FACTS = Declared(
    alt_years=3,
    jlpt=Jlpt.N2,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
    driving_licence=True,
)


@dataclass(frozen=True)
class DemoApplicant:
    key: str  # a persona key, or "applicant07" for an account made for the demo
    name: str
    email: str
    facts: Declared
    persona: bool

    def declared(self) -> dict[str, Any]:
        """The stored declaration (the keys posting_applications reads, plus name and email)."""
        return {
            "alt_years": self.facts.alt_years,
            "jlpt": self.facts.jlpt.value,
            "residence": self.facts.residence.value,
            "status_of_residence": self.facts.status_of_residence.value
            if self.facts.status_of_residence
            else None,
            "driving_licence": self.facts.driving_licence,
            "name": self.name,
            "email": self.email,
        }


@dataclass(frozen=True)
class DemoStageChange:
    at: datetime
    from_stage: PostingStage | None
    to_stage: PostingStage
    by_applicant: bool  # False: the BoE moved it
    note: str


@dataclass(frozen=True)
class DemoApplication:
    posting_key: str
    applicant_key: str
    cover_note: str
    stage: PostingStage
    created_at: datetime
    history: tuple[DemoStageChange, ...]


@dataclass(frozen=True)
class DemoPosting:
    key: str  # "DH-01"; Kobe's is always DH-01
    boe_id: str
    title_en: str
    title_ja: str
    description: str
    school_levels: tuple[SchoolLevel, ...]
    openings: int
    requirements: Requirements
    monthly_pay: int
    benefits: tuple[str, ...]
    start: date
    closes_on: date
    status: str  # open or closed
    created_at: datetime


@dataclass(frozen=True)
class DemoDirectHire:
    postings: tuple[DemoPosting, ...]
    applicants: tuple[DemoApplicant, ...]
    applications: tuple[DemoApplication, ...]


def generate_direct_hire(demo: DemoSeason, today: date, rulebook: Rulebook) -> DemoDirectHire:
    draw = Draw(demo.seed, "direct_hire")
    path = rulebook.paths[HiringPath.DIRECT_HIRE]
    if not isinstance(path.pay, RangePay):
        raise ValueError("the rulebook's direct-hire pay must be a monthly range")
    work_capable = work_capable_statuses(path)
    benefit_ids = tuple(b.id for b in path.benefits)
    schools: dict[str, list[DemoSchool]] = {}
    for school in demo.schools:
        schools.setdefault(school.boe_id, []).append(school)
    boes = {b.id: b for b in demo.boes}
    dispatch_clients = {b for c in demo.companies for b in c.boe_ids}
    staff_boes = {p.organisation_id for p in personas() if p.role is Role.BOE_STAFF}
    pool = [
        b.id
        for b in demo.boes
        if b.id != KOBE and b.id not in dispatch_clients and b.id not in staff_boes
    ]
    chosen = [KOBE, *draw.several(pool, [1.0] * len(pool), OPEN_POSTINGS + CLOSED_POSTINGS - 1)]
    # The next April 1 that leaves time to close, interview and hire.
    start = next_date(4, 1, today + timedelta(days=LEAD_DAYS))
    postings = []
    for n, boe_id in enumerate(chosen, start=1):
        closed = n > OPEN_POSTINGS
        postings.append(
            _posting(
                draw,
                f"DH-{n:02d}",
                boes[boe_id],
                schools[boe_id],
                path.pay,
                benefit_ids,
                tuple(sorted(work_capable, key=list(StatusOfResidence).index)),
                start,
                today,
                closed=closed,
            )
        )
    applicants = [_hannah(), *(_applicant(draw, n, work_capable) for n in range(1, APPLICANTS + 1))]
    applications = _applications(draw, postings, applicants, work_capable, today)
    return DemoDirectHire(tuple(postings), tuple(applicants), tuple(applications))


def _posting(
    draw: Draw,
    key: str,
    boe: Boe,
    schools: Sequence[DemoSchool],
    pay: RangePay,
    benefit_ids: tuple[str, ...],
    statuses: tuple[StatusOfResidence, ...],
    start: date,
    today: date,
    *,
    closed: bool,
) -> DemoPosting:
    levels = tuple(lvl for lvl in SchoolLevel if any(s.level is lvl for s in schools))
    rural = all(s.area.value == "rural" for s in schools)
    if boe.id == KOBE:  # fixed, so the story around Hannah holds for every seed
        requirements = Requirements(
            min_alt_years=2,
            min_jlpt=Jlpt.N2,
            requires_residence_in_japan=True,
            allowed_statuses=frozenset(),
            requires_driving_licence=False,
        )
        monthly = _step(pay.monthly_min + 0.6 * (pay.monthly_max - pay.monthly_min))
        openings, closes = 2, today + timedelta(days=45)
    else:
        requirements = Requirements(
            min_alt_years=draw.weighted((1, 2, 3), (0.5, 0.35, 0.15)),
            min_jlpt=draw.weighted((Jlpt.NONE, Jlpt.N3, Jlpt.N2), (0.3, 0.4, 0.3)),
            requires_residence_in_japan=draw.chance(0.9),
            allowed_statuses=frozenset(draw.several(statuses, [1.0] * len(statuses), 3))
            if draw.chance(0.25)
            else frozenset(),
            requires_driving_licence=rural and draw.chance(0.7),
        )
        monthly = _step(draw.uniform(pay.monthly_min, pay.monthly_max))
        openings = draw.weighted((1, 2, 3), (0.65, 0.25, 0.1))
        closes = today + timedelta(days=draw.integer(30, 90))
    monthly = min(max(monthly, pay.monthly_min), pay.monthly_max)
    closes = min(closes, start - timedelta(days=21))
    if closed:
        closes = today - timedelta(days=draw.integer(7, 30))
    # Posted eight to eleven weeks before closing, and at least a few days ago.
    created = min(
        closes - timedelta(days=draw.integer(55, 80)), today - timedelta(days=draw.integer(5, 25))
    )
    benefits = tuple(b for b in benefit_ids if draw.chance(0.6) or b == "social_insurance")
    words_en = " and ".join(_LEVEL_WORDS[lvl][0] for lvl in levels)
    words_ja = "・".join(_LEVEL_WORDS[lvl][1] for lvl in levels)
    return DemoPosting(
        key=key,
        boe_id=boe.id,
        title_en=f"Assistant Language Teacher ({words_en} schools), {boe.name}",
        title_ja=f"外国語指導助手（{words_ja}）{boe.name_ja}",
        description=(
            f"{boe.name} appoints ALTs directly as fiscal-year staff from April {start.year}. "
            f"You will team-teach English at {len(schools)} of our schools in "
            f"{boe.municipality}, work Monday to Friday and join school events."
        ),
        school_levels=levels,
        openings=openings,
        requirements=requirements,
        monthly_pay=monthly,
        benefits=benefits,
        start=start,
        closes_on=closes,
        status="closed" if closed else "open",
        created_at=in_japan(created, 10),
    )


def _hannah() -> DemoApplicant:
    hannah = persona(HANNAH)
    return DemoApplicant(HANNAH, hannah.name, hannah.login, HANNAH_FACTS, persona=True)


def _applicant(draw: Draw, n: int, work_capable: frozenset[StatusOfResidence]) -> DemoApplicant:
    statuses = tuple(s for s in StatusOfResidence if s in work_capable)
    weights = tuple(4.0 if s is StatusOfResidence.INSTRUCTOR else 1.0 for s in statuses)
    facts = Declared(
        alt_years=draw.weighted((1, 2, 3, 4, 5, 7), (0.2, 0.25, 0.2, 0.15, 0.1, 0.1)),
        jlpt=draw.weighted((Jlpt.N4, Jlpt.N3, Jlpt.N2, Jlpt.N1), (0.15, 0.35, 0.35, 0.15)),
        residence=Residence.JAPAN if draw.chance(0.92) else Residence.OVERSEAS,
        status_of_residence=draw.weighted(statuses, weights),
        driving_licence=draw.chance(0.55),
    )
    given = tuple(g for g in GIVEN if g != persona(HANNAH).name.split()[0])  # one Hannah only
    name = f"{draw.one(given)} {draw.one(FAMILY)}"
    key = f"applicant{n:02d}"
    return DemoApplicant(key, name, f"{key}@{LOGIN_DOMAIN}", facts, persona=False)


def _applications(
    draw: Draw,
    postings: Sequence[DemoPosting],
    applicants: Sequence[DemoApplicant],
    work_capable: frozenset[StatusOfResidence],
    today: date,
) -> list[DemoApplication]:
    """Each posting's applicants among those who meet its requirements; Kobe gets Hannah (at
    interview) and four to six more."""
    out: list[DemoApplication] = []
    count: dict[str, int] = {a.key: 0 for a in applicants}
    for posting in postings:
        eligible = [
            a
            for a in applicants
            if not unmet_requirements(posting.requirements, a.facts, work_capable)
            and a.key != HANNAH
        ]
        wanted = draw.integer(4, 6) if posting.boe_id == KOBE else draw.integer(1, 4)
        chosen = draw.several(eligible, [1.0 / (1 + count[a.key]) for a in eligible], wanted)
        if posting.boe_id == KOBE:
            chosen.insert(0, applicants[0])
        for applicant in chosen:
            count[applicant.key] += 1
            if applicant.key == HANNAH:
                stage = PostingStage.INTERVIEW
            elif posting.status == "closed":
                stage = draw.weighted(*CLOSED_STAGE_WEIGHTS)
            else:
                stage = draw.weighted(*STAGE_WEIGHTS)
            out.append(_application(draw, posting, applicant, stage, today))
    return out


def _application(
    draw: Draw, posting: DemoPosting, applicant: DemoApplicant, stage: PostingStage, today: date
) -> DemoApplication:
    last = min(today, posting.closes_on) - timedelta(days=1)
    opened = posting.created_at.date()
    applied_on = opened + timedelta(days=draw.integer(0, max(0, (last - opened).days - 7)))
    at = in_japan(min(applied_on, last), draw.integer(8, 22))
    cap = in_japan(today, 8)  # every move happened before today's office hours
    path = _path_to(stage, draw)
    history = [DemoStageChange(at, None, PostingStage.APPLIED, True, "")]
    for before, after in pairwise(path):
        moved = in_japan(at.date() + timedelta(days=draw.integer(2, 9)), draw.integer(9, 17))
        at = max(at, min(moved, cap))
        note = _NOTES.get(after, "")
        history.append(DemoStageChange(at, before, after, after is PostingStage.WITHDRAWN, note))
    return DemoApplication(
        posting_key=posting.key,
        applicant_key=applicant.key,
        cover_note=f"I have worked as an ALT for {applicant.facts.alt_years} year(s) and would "
        f"like to settle in the area.",
        stage=stage,
        created_at=history[0].at,
        history=tuple(history),
    )


_NOTES: Mapping[PostingStage, str] = {
    PostingStage.SCREENING: "Residence card and JLPT certificate received.",
    PostingStage.INTERVIEW: "Interview at the BoE office; a demonstration lesson of 15 minutes.",
    PostingStage.OFFERED: "Offer sent; please reply within two weeks.",
    PostingStage.REJECTED: "Thank you for applying; we have chosen other applicants.",
    PostingStage.WITHDRAWN: "I have accepted another position.",
}


def _path_to(stage: PostingStage, draw: Draw) -> list[PostingStage]:
    """The stages an application passed through to reach `stage`, starting at applied."""
    forward = [
        PostingStage.APPLIED,
        PostingStage.SCREENING,
        PostingStage.INTERVIEW,
        PostingStage.OFFERED,
    ]
    if stage in forward:
        return forward[: forward.index(stage) + 1]
    # rejected or withdrawn from one of the open stages
    reached = draw.integer(0, 2)
    return [*forward[: reached + 1], stage]


def _step(value: float) -> int:
    return round(value / PAY_STEP) * PAY_STEP
