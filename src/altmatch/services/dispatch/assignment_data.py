"""What a roster plan is computed from and how it is shown: the company's ALTs and the
positions of its contracts in force on a date (loaded from the database), the plan's fingerprint,
and the read model (positions with their cost breakdown, moves, unfilled positions and reasons)
that the assignment page, its JSON twin, the transfers and the CLI all share.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.db.dispatch import (
    open_assignments_of_alts,
    positions_in_force,
    roster_alts_of_company,
)
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    Organisation,
    RosterAlt,
    RosterAssignment,
    School,
)
from altmatch.domain.access import Actor, NotFoundError
from altmatch.domain.roster_plan import (
    AltInput,
    Grid,
    PositionInput,
    RosterPlan,
    Weights,
    evaluate,
)
from altmatch.domain.satisfaction import PairSatisfaction
from altmatch.engine import assign_roster
from altmatch.i18n import render
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import Jlpt
from altmatch.services.dispatch.access import company_of

MAX_MINUTES = 600


def solve_with_engine(
    n: int,
    m: int,
    indptr: NDArray[np.int64],
    indices: NDArray[np.int64],
    costs: NDArray[np.float64],
    pinned: dict[int, int],
) -> list[int]:
    """The domain's `Solve`: the engine's assignment (most positions filled, then least cost;
    it picks SciPy's sparse or dense solver for each connected block of the roster)."""
    result = assign_roster(n, m, (indptr, indices), costs, pinned=pinned)
    return [int(a) for a in result.alt_of_position]


class WeightsIn(BaseModel):
    """Overrides of the rulebook's assignment weights for a what-if (None: the rulebook's)."""

    continuity_bonus_minutes: float | None = Field(default=None, ge=0, le=MAX_MINUTES)
    preference_bonus_minutes: float | None = Field(default=None, ge=0, le=MAX_MINUTES)
    max_commute_minutes: float | None = Field(default=None, gt=0, le=MAX_MINUTES)


class BreakdownOut(BaseModel):
    distance_km: float
    commute_minutes: float
    continuity_bonus: float
    preference_bonus: float
    total: float
    experienced: bool
    satisfaction_bonus: float = 0.0


class SlotOut(BaseModel):
    position_id: int
    position: str
    contract: str
    school: str
    school_ja: str
    prefecture: str
    municipality: str
    school_level: str
    requires_driving_licence: bool
    min_jlpt: str
    alt_id: int | None
    alt: str | None
    alt_name: str | None
    breakdown: BreakdownOut | None
    pinned: bool
    changed: bool


class MoveOut(BaseModel):
    alt_id: int
    alt: str
    alt_name: str
    from_position_id: int | None
    from_position: str | None
    to_position_id: int | None
    to_position: str | None
    poor_fit: bool = False  # the surveys showed the ALT's pair poorly matched, and that counted


class VacancyOut(BaseModel):
    position_id: int
    position: str
    headline: str
    reasons: list[str]
    eligible: int


class AltBrief(BaseModel):
    id: int
    external_id: str
    name: str


class PlanOut(BaseModel):
    on: date
    fingerprint: str
    weights: dict[str, float]
    positions: int
    filled: int
    total_commute_minutes: float
    total_distance_km: float
    total_cost: float
    slots: list[SlotOut]
    moves: list[MoveOut]
    unfilled: list[VacancyOut]
    unassigned_alts: list[AltBrief]
    satisfaction_used: bool = False


@dataclass
class RosterData:
    """What a plan is computed from, with the rows needed to show and commit it."""

    company_id: int
    on: date
    alts: list[AltInput]
    positions: list[PositionInput]
    alt_rows: dict[int, RosterAlt]
    position_info: dict[int, tuple[ContractPosition, DispatchContract, School]]
    open_rows: dict[int, list[RosterAssignment]] = field(default_factory=dict)

    def fingerprint(self, stay: Mapping[int, float] | None = None) -> str:
        """What the plan was computed from; `stay` (the satisfaction minutes, when the plan
        weighs the surveys) is part of it, so a new answer makes a shown plan stale."""
        parts: list[object] = [
            self.on.isoformat(),
            [asdict(a) for a in self.alts],
            [asdict(p) for p in self.positions],
        ]
        if stay is not None:
            parts.append(sorted(stay.items()))
        blob = json.dumps(
            parts,
            default=lambda v: sorted(v) if isinstance(v, frozenset) else str(v),
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:32]


def resolve_company(session: Session, actor: Actor, company_id: int | None) -> int:
    """The actor's company (staff), or the named company (the operator at the CLI)."""
    if actor.is_operator:
        org = session.get(Organisation, company_id) if company_id is not None else None
        if org is None or org.kind != "company":
            raise NotFoundError("company")
        return org.id
    return company_of(actor)


def load_roster(session: Session, company_id: int, on: date) -> RosterData:
    """The company's ALTs and the positions of its contracts in force on `on`."""
    alt_rows = roster_alts_of_company(session, company_id)
    rows = positions_in_force(session, company_id, on)
    counts: dict[str, int] = {}
    for pos, _c, _s, _p in rows:
        counts[pos.external_id] = counts.get(pos.external_id, 0) + 1
    open_rows: dict[int, list[RosterAssignment]] = {}
    for row in open_assignments_of_alts(session, [a.id for a in alt_rows]):
        open_rows.setdefault(row.alt_id, []).append(row)
    active = {pos.id for pos, _c, _s, _p in rows}
    positions = [
        PositionInput(
            id=pos.id,
            label=pos.external_id
            if counts[pos.external_id] == 1
            else f"{contract.reference}/{pos.external_id}",
            latitude=school.latitude,
            longitude=school.longitude,
            prefecture=prefecture or "",
            school_level=school.level,
            requires_driving_licence=pos.requires_driving_licence,
            min_jlpt=Jlpt(pos.min_jlpt),
            municipality=school.municipality,
        )
        for pos, contract, school, prefecture in rows
    ]
    alts = []
    taken: set[int] = set()
    planned: list[RosterAlt] = []
    for a in alt_rows:
        latitude, longitude = a.home_latitude, a.home_longitude
        if latitude is None or longitude is None:
            continue  # kept after its ALT deleted their account: no home, so not planned
        planned.append(a)
        current = [r.position_id for r in open_rows.get(a.id, []) if r.position_id in active]
        here = current[-1] if current and current[-1] not in taken else None
        if here is not None:
            taken.add(here)
        alts.append(
            AltInput(
                id=a.id,
                label=a.external_id,
                latitude=latitude,
                longitude=longitude,
                driving_licence=a.driving_licence,
                jlpt=Jlpt(a.jlpt),
                school_experience=frozenset(a.school_experience or []),
                preferred_prefectures=frozenset(a.preferred_prefectures or []),
                current_position=here,
            )
        )
    return RosterData(
        company_id=company_id,
        on=on,
        alts=alts,
        positions=positions,
        alt_rows={a.id: a for a in planned},
        position_info={pos.id: (pos, c, s) for pos, c, s, _p in rows},
        open_rows=open_rows,
    )


def weights_for(overrides: WeightsIn) -> Weights:
    base = Weights.from_rulebook(load_rulebook().dispatch_operations.assignment)
    return Weights(
        overrides.continuity_bonus_minutes
        if overrides.continuity_bonus_minutes is not None
        else base.continuity_bonus_minutes,
        overrides.preference_bonus_minutes
        if overrides.preference_bonus_minutes is not None
        else base.preference_bonus_minutes,
        overrides.max_commute_minutes
        if overrides.max_commute_minutes is not None
        else base.max_commute_minutes,
    )


def grid_for(data: RosterData, weights: Weights, stay: Mapping[int, float] | None = None) -> Grid:
    """Every pair evaluated; `stay` maps ALT ids to the satisfaction minutes of keeping their
    current position (None: satisfaction not used)."""
    model = load_rulebook().dispatch_operations.commute
    return evaluate(data.alts, data.positions, weights, model, stay_adjustment=stay)


def stay_adjustments(
    data: RosterData, pairs: Mapping[tuple[int, int], PairSatisfaction]
) -> dict[int, float]:
    """Each currently placed ALT's satisfaction minutes for staying, by the rulebook's
    weights, from the pair's latest surveys (ALTs without answers: 0)."""
    weights = load_rulebook().dispatch_surveys.weights
    out: dict[int, float] = {}
    for alt in data.alts:
        if alt.current_position is None or alt.current_position not in data.position_info:
            continue
        school = data.position_info[alt.current_position][2]
        pair = pairs.get((alt.id, school.id))
        out[alt.id] = pair.stay_adjustment(weights) if pair is not None else 0.0
    return out


def plan_out(
    data: RosterData,
    plan: RosterPlan,
    weights: Weights,
    locale: str,
    *,
    satisfaction_used: bool = False,
    stay: Mapping[int, float] | None = None,
) -> PlanOut:
    """The plan as the read model both the page and the API show."""
    labels = {p.id: p.label for p in data.positions}

    def slot(s_position: int) -> tuple[ContractPosition, DispatchContract, School]:
        return data.position_info[s_position]

    slots = []
    for s in plan.slots:
        pos, contract, school = slot(s.position_id)
        alt = data.alt_rows.get(s.alt_id) if s.alt_id is not None else None
        spec = next(p for p in data.positions if p.id == s.position_id)
        slots.append(
            SlotOut(
                position_id=s.position_id,
                position=labels[s.position_id],
                contract=contract.reference,
                school=school.name_en,
                school_ja=school.name_ja,
                prefecture=spec.prefecture,
                municipality=school.municipality,
                school_level=school.level,
                requires_driving_licence=pos.requires_driving_licence,
                min_jlpt=pos.min_jlpt,
                alt_id=s.alt_id,
                alt=alt.external_id if alt else None,
                alt_name=alt.name if alt else None,
                breakdown=BreakdownOut(**asdict(s.breakdown)) if s.breakdown else None,
                pinned=s.pinned,
                changed=s.changed,
            )
        )
    moves = [
        MoveOut(
            alt_id=m.alt_id,
            alt=data.alt_rows[m.alt_id].external_id,
            alt_name=data.alt_rows[m.alt_id].name,
            from_position_id=m.from_position,
            from_position=labels.get(m.from_position) if m.from_position else None,
            to_position_id=m.to_position,
            to_position=labels.get(m.to_position) if m.to_position else None,
            poor_fit=m.poor_fit,
        )
        for m in plan.moves
    ]
    unfilled = [
        VacancyOut(
            position_id=v.position_id,
            position=labels[v.position_id],
            headline=render(v.headline, locale),
            reasons=[render(r, locale) for r in v.reasons],
            eligible=v.eligible,
        )
        for v in plan.unfilled
    ]
    return PlanOut(
        on=data.on,
        fingerprint=data.fingerprint(stay),
        weights=asdict(weights),
        positions=len(plan.slots),
        filled=plan.filled,
        total_commute_minutes=plan.total_commute_minutes,
        total_distance_km=plan.total_distance_km,
        total_cost=plan.total_cost,
        slots=slots,
        moves=moves,
        unfilled=unfilled,
        unassigned_alts=[alt_brief(data.alt_rows[a]) for a in plan.unassigned_alts],
        satisfaction_used=satisfaction_used,
    )


def alt_brief(alt: RosterAlt) -> AltBrief:
    return AltBrief(id=alt.id, external_id=alt.external_id, name=alt.name)
