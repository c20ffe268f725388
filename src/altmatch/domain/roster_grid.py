"""Every ALT × position pair evaluated once (distance, estimated minutes, which hard requirements
hold, bonuses) and why a position cannot be filled: how many ALTs each requirement rules out.

Pure: the rulebook's commute model and weights come in as arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from altmatch.domain.commute import commute_minutes_matrix, distance_matrix_km
from altmatch.i18n import N_, Message
from altmatch.rulebook.schema import AssignmentWeights, CommuteModel
from altmatch.rulebook.vocabulary import Jlpt

BoolMatrix = NDArray[np.bool_]


@dataclass(frozen=True)
class AltInput:
    """An ALT as the planner sees them; `label` is the company's id shown in messages."""

    id: int
    label: str
    latitude: float
    longitude: float
    driving_licence: bool
    jlpt: Jlpt
    school_experience: frozenset[str] = frozenset()
    preferred_prefectures: frozenset[str] = frozenset()
    current_position: int | None = None


@dataclass(frozen=True)
class PositionInput:
    """A contract position at a school (no coordinates: no commute can be estimated)."""

    id: int
    label: str
    latitude: float | None
    longitude: float | None
    prefecture: str
    school_level: str
    requires_driving_licence: bool = False
    min_jlpt: Jlpt = Jlpt.NONE
    municipality: str = ""


@dataclass(frozen=True)
class Weights:
    """The optimiser's trade-offs in commute minutes (see the rulebook's `assignment`)."""

    continuity_bonus_minutes: float
    preference_bonus_minutes: float
    max_commute_minutes: float

    @classmethod
    def from_rulebook(cls, rules: AssignmentWeights) -> Weights:
        return cls(
            rules.continuity_bonus_minutes,
            rules.preference_bonus_minutes,
            rules.max_commute_minutes,
        )


@dataclass(frozen=True)
class Breakdown:
    """What one ALT at one position costs: commute less bonuses, in minutes."""

    distance_km: float
    commute_minutes: float
    continuity_bonus: float
    preference_bonus: float
    total: float
    experienced: bool  # the ALT has taught at this school level before
    # Minutes taken off for the pair's satisfaction when the company asked for it (positive:
    # a well-matched pair kept; negative: a poorly matched one's penalty); 0 otherwise.
    satisfaction_bonus: float = 0.0


@dataclass(frozen=True)
class Vacancy:
    """An unfilled position: the headline reason and how many ALTs each requirement rules out."""

    position_id: int
    headline: Message
    reasons: tuple[Message, ...]
    eligible: int


@dataclass(frozen=True)
class Grid:
    """Every ALT × position pair evaluated once: distances, minutes, which requirements hold."""

    alts: tuple[AltInput, ...]
    positions: tuple[PositionInput, ...]
    weights: Weights
    km: NDArray[np.float64]
    minutes: NDArray[np.float64]
    located: NDArray[np.bool_]
    licence_ok: BoolMatrix
    jlpt_ok: BoolMatrix
    commute_ok: BoolMatrix
    continuity: NDArray[np.float64]
    preference: NDArray[np.float64]
    # satisfaction[i, j]: minutes off the cost of ALT i staying at their current position j
    # (see altmatch.domain.satisfaction); None when satisfaction is not used.
    satisfaction: NDArray[np.float64] | None = None

    @cached_property
    def allowed(self) -> BoolMatrix:
        out: BoolMatrix = self.licence_ok & self.jlpt_ok & self.commute_ok & self.located[None, :]
        return out

    @cached_property
    def cost(self) -> NDArray[np.float64]:
        out: NDArray[np.float64] = self.minutes - self.continuity - self.preference
        if self.satisfaction is not None:
            out = out - self.satisfaction
        return out

    def satisfaction_at(self, i: int, j: int) -> float:
        """The satisfaction minutes of ALT i at position j (0.0 when not used)."""
        return 0.0 if self.satisfaction is None else float(self.satisfaction[i, j])

    def breakdown(self, i: int, j: int) -> Breakdown:
        level = self.positions[j].school_level
        return Breakdown(
            distance_km=round(float(self.km[i, j]), 2),
            commute_minutes=round(float(self.minutes[i, j]), 1),
            continuity_bonus=float(self.continuity[i, j]),
            preference_bonus=float(self.preference[i, j]),
            total=round(float(self.cost[i, j]), 1),
            experienced=level in self.alts[i].school_experience,
            satisfaction_bonus=self.satisfaction_at(i, j),
        )


def evaluate(
    alts: Sequence[AltInput],
    positions: Sequence[PositionInput],
    weights: Weights,
    model: CommuteModel,
    *,
    stay_adjustment: Mapping[int, float] | None = None,
) -> Grid:
    """Evaluate every pair: distance, estimated minutes, hard requirements, bonuses.

    `stay_adjustment` maps ALT ids to minutes taken off the cost of that ALT keeping their
    current position (their pair's satisfaction: positive keeps, negative moves); None or an
    ALT left out: no effect."""
    n, m = len(alts), len(positions)
    located = np.array(
        [p.latitude is not None and p.longitude is not None for p in positions], dtype=bool
    )
    plat = np.array([p.latitude or 0.0 for p in positions], dtype=np.float64)
    plon = np.array([p.longitude or 0.0 for p in positions], dtype=np.float64)
    alat = np.array([a.latitude for a in alts], dtype=np.float64)
    alon = np.array([a.longitude for a in alts], dtype=np.float64)
    driving = np.array([a.driving_licence for a in alts], dtype=bool)
    if n and m:
        km = distance_matrix_km(alat, alon, plat.astype(np.float64), plon.astype(np.float64))
        minutes = commute_minutes_matrix(km, driving, model)
    else:
        km = np.zeros((n, m))
        minutes = np.zeros((n, m))
    needs_licence = np.array([p.requires_driving_licence for p in positions], dtype=bool)
    licence_ok = driving[:, None] | ~needs_licence[None, :]
    ranks = np.array([a.jlpt.rank for a in alts], dtype=np.int64)
    min_ranks = np.array([p.min_jlpt.rank for p in positions], dtype=np.int64)
    jlpt_ok = ranks[:, None] >= min_ranks[None, :]
    commute_ok = (minutes <= weights.max_commute_minutes) & located.reshape(1, m)
    index = {p.id: j for j, p in enumerate(positions)}
    continuity = np.zeros((n, m))
    preference = np.zeros((n, m))
    prefectures = np.array([p.prefecture for p in positions], dtype=object)
    satisfaction = None if stay_adjustment is None else np.zeros((n, m))
    for i, alt in enumerate(alts):
        if alt.current_position in index:
            continuity[i, index[alt.current_position]] = weights.continuity_bonus_minutes
            if satisfaction is not None and stay_adjustment is not None:
                satisfaction[i, index[alt.current_position]] = stay_adjustment.get(alt.id, 0.0)
        if alt.preferred_prefectures and m:
            wanted = np.isin(prefectures, list(alt.preferred_prefectures))
            preference[i, wanted] = weights.preference_bonus_minutes
    return Grid(
        tuple(alts),
        tuple(positions),
        weights,
        km,
        minutes,
        located.astype(bool).reshape(m),
        licence_ok.reshape(n, m),
        jlpt_ok.reshape(n, m),
        commute_ok.reshape(n, m),
        continuity,
        preference,
        satisfaction,
    )


def requirement_failures(grid: Grid, i: int, j: int) -> list[Message]:
    """Why ALT i may not work position j (empty when they may)."""
    alt, pos = grid.alts[i], grid.positions[j]
    out: list[Message] = []
    if not grid.located[j]:
        out.append(
            Message(N_("the school has no latitude and longitude, so no commute can be estimated"))
        )
    if not grid.licence_ok[i, j]:
        out.append(Message(N_("it needs a driving licence and the ALT has none")))
    if not grid.jlpt_ok[i, j]:
        out.append(
            Message(
                N_("it needs JLPT {level} and the ALT has {has}"),
                {"level": pos.min_jlpt.value, "has": alt.jlpt.value},
            )
        )
    if grid.located[j] and not grid.commute_ok[i, j]:
        out.append(
            Message(
                N_("the commute would be {minutes} minutes, over the {limit}-minute limit"),
                {
                    "minutes": round(float(grid.minutes[i, j])),
                    "limit": round(grid.weights.max_commute_minutes),
                },
            )
        )
    return out


_HEADLINES: dict[frozenset[str], str] = {
    frozenset({"licence"}): N_("It needs a driving licence: no available ALT has one."),
    frozenset({"jlpt"}): N_("It needs JLPT {level}: no available ALT has it."),
    frozenset({"commute"}): N_("No available ALT lives within {minutes} minutes."),
    frozenset({"licence", "commute"}): N_(
        "No available ALT with a driving licence lives within {minutes} minutes."
    ),
    frozenset({"jlpt", "commute"}): N_(
        "No available ALT with JLPT {level} or better lives within {minutes} minutes."
    ),
    frozenset({"licence", "jlpt"}): N_(
        "No available ALT has both a driving licence and JLPT {level}."
    ),
    frozenset({"licence", "jlpt", "commute"}): N_(
        "No available ALT with a driving licence and JLPT {level} lives within {minutes} minutes."
    ),
}


def explain_vacancy(
    grid: Grid, j: int, pool: NDArray[np.bool_], restricted: NDArray[np.bool_]
) -> Vacancy:
    """Why position j is unfilled, given the ALTs in the plan (`pool`) and those a transfer
    request limits to other positions (`restricted[i]`: ALT i may not take j)."""
    pos = grid.positions[j]
    params = {"level": pos.min_jlpt.value, "minutes": round(grid.weights.max_commute_minutes)}
    if not grid.located[j]:
        headline = Message(
            N_("The school has no latitude and longitude, so no commute can be estimated.")
        )
        return Vacancy(pos.id, headline, (), 0)
    ruled_out = {
        "licence": pool & ~grid.licence_ok[:, j],
        "jlpt": pool & ~grid.jlpt_ok[:, j],
        "commute": pool & ~grid.commute_ok[:, j],
    }
    texts = {
        "licence": N_("{count} of {total} lack a driving licence"),
        "jlpt": N_("{count} of {total} have a JLPT level below {level}"),
        "commute": N_("{count} of {total} live more than {minutes} minutes away"),
    }
    total = int(pool.sum())
    reasons = [
        Message(texts[k], {"count": int(mask.sum()), "total": total, **params})
        for k, mask in ruled_out.items()
        if mask.any()
    ]
    eligible_mask = pool & grid.allowed[:, j]
    if (eligible_mask & restricted).any():
        reasons.append(
            Message(
                N_("{count} may only move to the area of their transfer request"),
                {"count": int((eligible_mask & restricted).sum())},
            )
        )
    eligible = int((eligible_mask & ~restricted).sum())
    if total == 0:
        headline = Message(N_("No ALT is available for this plan."))
    elif eligible:
        headline = Message(
            N_("Eligible ALTs who could work here: {count}; each is needed at another position."),
            {"count": eligible},
        )
    else:
        active = frozenset(k for k, mask in ruled_out.items() if mask.any())
        if active in _HEADLINES:
            headline = Message(_HEADLINES[active], params)
        else:
            headline = Message(N_("Every ALT who could work here is limited to another area."))
    return Vacancy(pos.id, headline, tuple(reasons), eligible)
