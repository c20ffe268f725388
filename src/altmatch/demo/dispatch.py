"""Demo dispatch operations: each company's contracts with client BoEs and their positions,
tenders, the roster of ALTs it employs, who works where today, transfer requests, and the
compliance watch's dates and acknowledgements (`altmatch.demo.dispatch_compliance`).

Pure and deterministic: `generate_dispatch(demo, today, rulebook)` depends only on the demo
season, its seed, `today` and the rulebook's onboarding items (terms and dates are placed
around today, so some contract always ends soon and coverage shows risk). Each company draws
from a stream of its own. Today's assignments are deliberately not optimal: some ALTs swap
posts with a colleague 8-45 km away, so the optimiser has moves to propose. Prices are
illustrative, not sourced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from altmatch.demo.candidates import FAMILY, GIVEN
from altmatch.demo.dispatch_compliance import add_compliance
from altmatch.demo.dispatch_records import (
    DemoAssignment,
    DemoContract,
    DemoDispatch,
    DemoPosition,
    DemoRosterAlt,
    DemoTender,
    fiscal_year_start,
    next_date,
    persona_contract_term,
)
from altmatch.demo.dispatch_retention import add_retention
from altmatch.demo.dispatch_surveys import add_surveys
from altmatch.demo.dispatch_transfers import build_transfers
from altmatch.demo.draw import Draw
from altmatch.demo.model import Boe, Company, DemoSchool, DemoSeason
from altmatch.demo.personas import Persona, personas
from altmatch.domain.access import Role
from altmatch.domain.commute import distance_km
from altmatch.rulebook.schema import Rulebook
from altmatch.rulebook.vocabulary import ContractType, Jlpt, RenewalIntention, SchoolLevel

# The persona whose BoE is a dispatch client (Sakura's contract with Nishinomiya).
CLIENT_PERSONA = "nishinomiya_boe_staff"
# BoEs whose staff personas show other stories (the season, a prefecture): no demo contracts.
PERSONA_STAFF_BOES = frozenset(
    p.organisation_id
    for p in personas()
    if p.role is Role.BOE_STAFF and p.organisation_id and p.key != CLIENT_PERSONA
)
PREFIX = {"company-sakura": "SAK", "company-minato": "MIN", "company-hokushin": "HOK"}
CONTRACTS_PER_COMPANY = (13, 16)
# Illustrative prices per ALT-month (yen, before tax): a demo assumption, not sourced figures.
PRICE_RANGE = (300_000, 420_000)
PRICE_STEP = 5_000
POSITIONS_PER_SCHOOL = {
    "urban": ((1, 2, 3), (0.35, 0.4, 0.25)),
    "rural": ((1, 2), (0.6, 0.4)),
}
DAYS = (5, 4, 3, 2, 1)
DAY_WEIGHTS = (0.5, 0.15, 0.15, 0.12, 0.08)
LICENCE_SHARE = {"urban": 0.05, "rural": 0.6}  # positions needing a driving licence
JLPT_REQUIRED = ((Jlpt.NONE, Jlpt.N3, Jlpt.N2), (0.92, 0.06, 0.02))
ALT_JLPT = (
    (Jlpt.NONE, Jlpt.N5, Jlpt.N4, Jlpt.N3, Jlpt.N2, Jlpt.N1),
    (0.25, 0.2, 0.22, 0.18, 0.11, 0.04),
)
RENEWAL = (
    (RenewalIntention.RENEWING, RenewalIntention.UNDECIDED, RenewalIntention.LEAVING),
    (0.64, 0.22, 0.14),
)
HOME_JITTER = 0.035  # degrees (about 3-4 km) between an ALT's home and the school they settled by
SWAP_SHARE = 0.18  # of assigned ALTs, working a colleague's post farther from home
SWAP_KM = (8.0, 45.0)
PREFERENCE_SHARE = 0.3


def generate_dispatch(demo: DemoSeason, today: date, rulebook: Rulebook) -> DemoDispatch:
    """Contracts, tenders, roster, assignments and transfers of the demo's three companies."""
    boes = {b.id: b for b in demo.boes}
    schools: dict[str, list[DemoSchool]] = {}
    for school in demo.schools:
        schools.setdefault(school.boe_id, []).append(school)
    checklist_ids = tuple(item.id for item in rulebook.dispatch_operations.onboarding.items)
    region_of = {p.name: p.region for p in demo.prefectures}
    people: dict[str | None, list[Persona]] = {}
    for p in personas():
        people.setdefault(p.organisation_id, []).append(p)
    contracts: list[DemoContract] = []
    tenders: list[DemoTender] = []
    roster: list[DemoRosterAlt] = []
    assignments: list[DemoAssignment] = []
    for company in demo.companies:
        plan = _CompanyPlan(
            demo.seed,
            company,
            boes,
            schools,
            today,
            checklist_ids,
            [p.name for p in demo.prefectures if region_of[p.name] in company.regions],
            [p for p in people.get(company.id, []) if p.role is Role.ALT],
            persona_contract_term(rulebook, today),
        )
        contracts.extend(plan.contracts)
        tenders.extend(plan.tenders())
        roster.extend(plan.roster)
        assignments.extend(plan.assignments)
    transfers, assignments = build_transfers(contracts, roster, assignments, boes, schools, today)
    roster, assignments, acknowledgements = add_compliance(
        contracts, roster, assignments, transfers, today, rulebook
    )
    roster, renewal_asks = add_retention(contracts, roster, assignments, transfers, today, rulebook)
    return DemoDispatch(
        tuple(contracts),
        tuple(tenders),
        tuple(roster),
        tuple(assignments),
        tuple(transfers),
        tuple(acknowledgements),
        tuple(renewal_asks),
        add_surveys(contracts, roster, assignments, today, rulebook),
    )


class _CompanyPlan:
    """One company's records, drawn from the company's own stream."""

    def __init__(
        self,
        seed: int,
        company: Company,
        boes: Mapping[str, Boe],
        schools: Mapping[str, Sequence[DemoSchool]],
        today: date,
        checklist_ids: tuple[str, ...],
        region_prefectures: list[str],
        alt_personas: list[Persona],
        persona_term: tuple[date, date],
    ) -> None:
        self.seed = seed
        self.draw = Draw(seed, f"dispatch:{company.id}")
        self.company = company
        self.boes = boes
        self.schools = {
            s.external_id: s
            for boe_id in (*company.boe_ids, *self._transfer_targets(alt_personas))
            for s in schools[boe_id]
        }
        self.by_boe = schools
        self.today = today
        self.fy = fiscal_year_start(today)
        self.prefix = PREFIX.get(company.id, company.id.removeprefix("company-")[:3].upper())
        self.checklist_ids = checklist_ids
        self.region_prefectures = region_prefectures
        self.alt_personas = alt_personas
        self.persona_term = persona_term
        self.clients = self._clients()
        self.contracts = [self._contract(n, boe_id) for n, boe_id in enumerate(self.clients, 1)]
        self.roster: list[DemoRosterAlt] = []
        self.assignments: list[DemoAssignment] = []
        self._staff()

    # --- contracts --------------------------------------------------------------------------

    @staticmethod
    def _transfer_targets(alt_personas: Sequence[Persona]) -> list[str]:
        return [
            PERSONA_TRANSFER_BOES[p.key] for p in alt_personas if p.key in PERSONA_TRANSFER_BOES
        ]

    def _clients(self) -> list[str]:
        """The persona ALTs' BoEs (where they work, and where they ask to move) first, then a
        draw from the company's other BoEs."""
        forced = [p.boe_id for p in self.alt_personas if p.boe_id]
        forced += [b for b in self._transfer_targets(self.alt_personas) if b not in forced]
        pool = [
            b
            for b in self.company.boe_ids
            if b not in forced and b not in PERSONA_STAFF_BOES and self.by_boe.get(b)
        ]
        wanted = max(0, self.draw.integer(*CONTRACTS_PER_COMPANY) - len(forced))
        return [*forced, *self.draw.several(pool, [1.0] * len(pool), wanted)]

    def _contract(self, n: int, boe_id: str) -> DemoContract:
        draw = self.draw
        years = draw.weighted((1, 2, 3), (0.3, 0.4, 0.3))
        # End in this fiscal year (risk within the coverage horizon), the next or the one after.
        end_year = self.fy.year + draw.weighted((1, 2, 3), (0.4, 0.35, 0.25))
        start = date(min(end_year - years, self.fy.year), 4, 1)  # never a future contract
        end = date(end_year, 3, 31)
        # Types: the first two contracts cover both, the rest lean to worker dispatch.
        kind = (
            (ContractType.WORKER_DISPATCH, ContractType.OUTSOURCING)[n - 1]
            if n <= 2
            else draw.weighted(tuple(ContractType), (0.6, 0.4))
        )
        price = _step(draw.uniform(*PRICE_RANGE), PRICE_STEP)
        reference = f"{self.prefix}-{start.year}-{n:02d}"
        positions: list[DemoPosition] = []
        for school in self.by_boe[boe_id]:
            counts, weights = POSITIONS_PER_SCHOOL[school.area.value]
            for _ in range(draw.weighted(counts, weights)):
                min_jlpt = draw.weighted(*JLPT_REQUIRED)
                positions.append(
                    DemoPosition(
                        external_id=f"{reference}-{len(positions) + 1:02d}",
                        school_external_id=school.external_id,
                        days_per_week=draw.weighted(DAYS, DAY_WEIGHTS),
                        requires_driving_licence=draw.chance(LICENCE_SHARE[school.area.value]),
                        min_jlpt=min_jlpt,
                    )
                )
        return DemoContract(
            company_id=self.company.id,
            boe_id=boe_id,
            reference=reference,
            contract_type=kind,
            start=start,
            end=end,
            renewal_date=date(end_year - 1, 12, 1),  # the BoE decides four months ahead
            price_per_alt_month=price,
            positions=tuple(positions),
        )

    def tenders(self) -> list[DemoTender]:
        """A won tender behind each contract, lost bids elsewhere, and pending ones: renewals of
        contracts ending this fiscal year and one new BoE."""
        draw = Draw(self.seed, f"tenders:{self.company.id}")
        out = []
        for c in self.contracts:
            out.append(
                self._tender(
                    c.boe_id,
                    len(c.positions),
                    c.start,
                    c.price_per_alt_month,
                    c.start - timedelta(days=draw.integer(100, 130)),
                    "won",
                    c.reference,
                    "",
                )
            )
        others = [
            b for b in self.company.boe_ids if b not in self.clients and b not in PERSONA_STAFF_BOES
        ]
        lost = draw.several(others, [1.0] * len(others), draw.integer(2, 3))
        for boe_id in lost:
            start = date(self.fy.year - draw.integer(0, 2), 4, 1)
            bid = _step(draw.uniform(*PRICE_RANGE), PRICE_STEP)
            winner = bid - _step(draw.uniform(8_000, 30_000), 1_000)
            out.append(
                self._tender(
                    boe_id,
                    draw.integer(2, 8),
                    start,
                    bid,
                    start - timedelta(days=draw.integer(100, 130)),
                    "lost",
                    None,
                    f"Lost on price: the winning bid was ¥{winner:,} per ALT-month.",
                )
            )
        # Half the BoEs whose contracts end this year have called a renewal tender already.
        ending = [
            c
            for c in self.contracts
            if c.end < self.today + timedelta(days=365) and draw.chance(0.5)
        ]
        for c in ending:
            out.append(
                self._tender(
                    c.boe_id,
                    len(c.positions),
                    c.end + timedelta(days=1),
                    c.price_per_alt_month + _step(draw.uniform(0, 15_000), PRICE_STEP),
                    self.today - timedelta(days=draw.integer(3, 25)),
                    "pending",
                    None,
                    f"Renewal of {c.reference}; the BoE decides by {c.renewal_date.isoformat()}.",
                )
            )
        fresh = [b for b in others if b not in lost]
        if fresh:
            start = date(self.fy.year + 1, 4, 1)
            out.append(
                self._tender(
                    draw.one(fresh),
                    draw.integer(2, 6),
                    start,
                    _step(draw.uniform(*PRICE_RANGE), PRICE_STEP),
                    self.today - timedelta(days=draw.integer(1, 14)),
                    "pending",
                    None,
                    "New client; presentation to the BoE scheduled.",
                )
            )
        return out

    def _tender(
        self,
        boe_id: str,
        alts: int,
        start: date,
        bid: int,
        submitted: date,
        outcome: str,
        reference: str | None,
        note: str,
    ) -> DemoTender:
        boe = self.boes[boe_id]
        return DemoTender(
            company_id=self.company.id,
            boe_id=boe_id,
            title=f"ALT services for {boe.name}, from April {start.year}",
            requested_alts=alts,
            requested_start=start,
            bid_price_per_alt_month=bid,
            submitted_on=submitted,
            outcome=outcome,
            contract_reference=reference,
            note=note,
        )

    # --- roster and assignments -------------------------------------------------------------

    def _staff(self) -> None:
        draw = self.draw
        slots = [(c, p) for c in self.contracts for p in c.positions]
        total = len(slots)
        alts = max(2, round(total * draw.uniform(0.92, 1.06)))
        assigned = max(1, min(alts, total) - draw.integer(2, 5))
        # Persona ALTs take a post at their own BoE first.
        chosen: list[tuple[DemoContract, DemoPosition]] = []
        for alt_persona in self.alt_personas:
            chosen.append(next(s for s in slots if s[0].boe_id == alt_persona.boe_id))
        # Where a persona asks to move, one post stays open for them, and an unassigned ALT
        # lives near the post they would leave: the optimiser can then keep every post covered.
        targets = set(self._transfer_targets(self.alt_personas))
        held_open = [
            min((s for s in slots if s[0].boe_id == b), key=lambda s: s[1].min_jlpt.rank)
            for b in sorted(targets)
        ]
        rest = [s for s in slots if s not in chosen and s not in held_open]
        chosen += draw.several(rest, [1.0] * len(rest), assigned - len(chosen))
        vacant = [s for s in slots if s not in chosen]
        movers = [
            chosen[i] for i, p in enumerate(self.alt_personas) if p.key in PERSONA_TRANSFER_BOES
        ]
        spare = max(0, alts - len(chosen) - len(movers))
        # Each ALT settled near an anchor post; unassigned ALTs near vacant ones.
        anchors = (
            chosen
            + movers[: alts - len(chosen)]
            + [vacant[i % len(vacant)] if vacant else draw.one(slots) for i in range(spare)]
        )
        working: list[tuple[DemoContract, DemoPosition] | None] = [
            *chosen,
            *[None] * (alts - len(chosen)),
        ]
        self._swap(working, anchors, fixed=len(self.alt_personas))
        used_names: set[str] = set()
        for i, anchor in enumerate(anchors):
            person = self.alt_personas[i] if i < len(self.alt_personas) else None
            external_id = f"{self.prefix}-A{i + 1:04d}"
            post = working[i]
            hired = self.persona_term[0] if person else self._hire_date()
            self.roster.append(self._alt(external_id, anchor, post, hired, person, used_names))
            if post is not None:
                contract, position = post
                self.assignments.append(
                    DemoAssignment(
                        company_id=self.company.id,
                        alt_external_id=external_id,
                        contract_reference=contract.reference,
                        position_external_id=position.external_id,
                        start=max(contract.start, hired),
                    )
                )

    def _swap(
        self,
        working: list[tuple[DemoContract, DemoPosition] | None],
        anchors: list[tuple[DemoContract, DemoPosition]],
        fixed: int,
    ) -> None:
        """Some ALTs trade posts with a colleague 8-45 km away: a plausible, improvable roster."""
        taken: set[int] = set(range(fixed))
        for i in range(fixed, len(working)):
            if i in taken or working[i] is None or not self.draw.chance(SWAP_SHARE):
                continue
            here = self.schools[anchors[i][1].school_external_id]
            for j in range(i + 1, len(working)):
                if j in taken or working[j] is None:
                    continue
                there = self.schools[anchors[j][1].school_external_id]
                km = distance_km(here.latitude, here.longitude, there.latitude, there.longitude)
                if SWAP_KM[0] <= km <= SWAP_KM[1]:
                    working[i], working[j] = working[j], working[i]
                    taken |= {i, j}
                    break

    def _hire_date(self) -> date:
        """When the ALT joined: this April or August, or an April one to three years ago."""
        options = [date(self.fy.year - k, 4, 1) for k in range(4)] + [date(self.fy.year, 8, 1)]
        hired = self.draw.weighted(options, (0.3, 0.25, 0.15, 0.1, 0.2))
        return hired if hired <= self.today else self.fy

    def _alt(
        self,
        external_id: str,
        anchor: tuple[DemoContract, DemoPosition],
        post: tuple[DemoContract, DemoPosition] | None,
        hired: date,
        person: Persona | None,
        used_names: set[str],
    ) -> DemoRosterAlt:
        draw = self.draw
        home = self.schools[anchor[1].school_external_id]
        work = self.schools[post[1].school_external_id] if post else home
        boe = self.boes[home.boe_id]
        jlpt = draw.weighted(*ALT_JLPT)
        licence = draw.chance(0.55 if home.area.value == "rural" else 0.3)
        # They may work today's post, or (unassigned) the post they live near: requirements hold.
        fits = (post or anchor)[1]
        licence = licence or fits.requires_driving_licence
        jlpt = max(jlpt, fits.min_jlpt, key=lambda j: j.rank)
        levels = {lvl.value for lvl in SchoolLevel if draw.chance(0.3)}
        if draw.chance(0.85):
            levels.add(work.level.value)
        end = draw.weighted(
            (next_date(7, 31, self.today), next_date(3, 31, self.today)), (0.55, 0.45)
        )
        if draw.chance(0.15):
            end = end.replace(year=end.year + 1)
        renewal = draw.weighted(*RENEWAL)
        preferred: tuple[str, ...] = ()
        if draw.chance(PREFERENCE_SHARE):
            k = draw.integer(1, 2)
            preferred = tuple(
                draw.several(self.region_prefectures, [1.0] * len(self.region_prefectures), k)
            )
        name = _unique_name(draw, used_names)
        done = len(self.checklist_ids)
        if not draw.chance(0.7 if post else 0.3):
            done = draw.integer(1, len(self.checklist_ids) - 1)
        checklist = {
            item: (hired - timedelta(days=draw.integer(3, 40))).isoformat()
            for item in self.checklist_ids[:done]
        }
        if person is not None:  # the persona's own facts stay the same for every seed
            name, renewal = person.name, RenewalIntention.RENEWING
            preferred = PERSONA_PREFERENCES.get(person.key, preferred)
            renewal = PERSONA_RENEWAL.get(person.key, renewal)
            jlpt = max(jlpt, PERSONA_JLPT.get(person.key, Jlpt.NONE), key=lambda j: j.rank)
            licence, end = True, self.persona_term[1]
        return DemoRosterAlt(
            company_id=self.company.id,
            external_id=external_id,
            name=name,
            home_prefecture=boe.prefecture,
            home_municipality=home.municipality,
            home_latitude=round(home.latitude + draw.uniform(-HOME_JITTER, HOME_JITTER), 4),
            home_longitude=round(home.longitude + draw.uniform(-HOME_JITTER, HOME_JITTER), 4),
            school_experience=tuple(lvl.value for lvl in SchoolLevel if lvl.value in levels),
            driving_licence=licence,
            jlpt=jlpt,
            contract_end=end,
            renewal_intention=renewal,
            preferred_prefectures=preferred,
            checklist=checklist,
            persona_key=person.key if person else None,
        )


PERSONA_PREFERENCES: Mapping[str, tuple[str, ...]] = {"alt_james": ("Kyoto", "Osaka")}
# The BoE a persona's pending transfer asks for: their company holds a contract there, so the
# optimiser has somewhere to propose.
PERSONA_TRANSFER_BOES: Mapping[str, str] = {"alt_james": "boe-26-kyoto"}
PERSONA_RENEWAL: Mapping[str, RenewalIntention] = {"alt_hannah": RenewalIntention.UNDECIDED}
PERSONA_JLPT: Mapping[str, Jlpt] = {"alt_james": Jlpt.N4, "alt_hannah": Jlpt.N2}


def _unique_name(draw: Draw, used: set[str]) -> str:
    for _ in range(50):
        name = f"{draw.one(GIVEN)} {draw.one(FAMILY)}"
        if name not in used:
            used.add(name)
            return name
    return f"{draw.one(GIVEN)} {draw.one(FAMILY)}"


def _step(value: float, step: int) -> int:
    return round(value / step) * step
