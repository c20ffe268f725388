"""Shortlist and alternates from calibrated interview scores, and what calibration changed.

**The ranking.** Candidates are ordered by calibrated score, highest first. Scores equal to
`calibrated_scores.TIE` decimals are an exact tie, broken by the season's seeded lottery as the
match breaks its ties (`engine.market.draw_lottery`: a seeded permutation, lower number first),
so the same seed always gives the same order. The first `places` are shortlisted, the next
`alternates` are alternates in that order (position 1 is called first), the rest are not
selected.

**What calibration changed.** The same candidates ranked by raw mean (the same lottery breaking
equal means) give the shortlist raw means would have made. A candidate shortlisted now but not
by raw means *crossed in*; one shortlisted by raw means but not now *crossed out*. The two
lists have the same length, since both shortlists have `places` members.

**Statistical ties.** A calibrated score is an estimate with a standard error (SE). Across a cut
(shortlist/alternates, and alternates/not selected) the candidates on either side are compared
with the nearest candidate on the other side: i and j are a statistical tie when

    |score_i − score_j| ≤ Z × √(se_i² + se_j²),   Z = 1.96

that is, when the difference is within the 95% margin of the two estimates. Tied candidates are
flagged, not reordered: the point estimate is the best estimate there is, and the lottery only
breaks exact ties. A missing SE counts as 0.

**The decision binds the match** (`match_tier`). Once the round has decided, a not-selected
application is left out of the match; every other one gets a *tier* that every request list
puts ahead of the score order: the shortlisted are tier 0, alternate number *p* is tier *p*.
So an alternate is placed only where the shortlisted do not fill a request, alternates are
called in their order, and within the shortlisted the usual order (fit, then the lottery)
holds. An application the decision did not cover (added since) is ranked as if shortlisted,
which the publication check "Every application has been decided" warns about. Pure: no
clock, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.calibrated_scores import TIE
from altmatch.i18n import N_, Message, register_labels

Z = 1.96  # two-sided 95% normal quantile: the margin of a difference of two estimates


class ShortlistDecision(StrEnum):
    """What the interview round decided for a candidate."""

    SHORTLISTED = "shortlisted"
    ALTERNATE = "alternate"
    NOT_SELECTED = "not_selected"


register_labels(
    ShortlistDecision,
    {
        ShortlistDecision.SHORTLISTED: N_("Shortlisted"),
        ShortlistDecision.ALTERNATE: N_("Alternate"),
        ShortlistDecision.NOT_SELECTED: N_("Not selected"),
    },
)


class ShortlistReason(StrEnum):
    """Why a candidate got their decision; stored with it as codes, told as sentences."""

    ABOVE_CUT = "above_cut"  # calibrated score at or above the shortlist's cut
    ALTERNATE_RANGE = "alternate_range"  # below the shortlist's cut, within the alternates
    BELOW_CUT = "below_cut"  # below both cuts
    CROSSED_IN = "crossed_in"  # shortlisted; raw means would have left them out
    CROSSED_OUT = "crossed_out"  # left out; raw means would have shortlisted them
    STATISTICAL_TIE = "statistical_tie"  # within the standard errors of someone across a cut
    LOTTERY = "lottery"  # an exact tie across a cut, decided by the season's lottery


@dataclass(frozen=True)
class Entry:
    """One candidate to rank: `key` identifies them to the caller; `lottery` is their number
    in the season's seeded lottery (distinct, lower wins an exact tie)."""

    key: int
    raw_mean: float
    score: float
    se: float | None
    lottery: int


@dataclass(frozen=True)
class Placed:
    """One candidate's place in the decision."""

    entry: Entry
    position: int  # 1-based, by calibrated score
    raw_position: int  # 1-based, by raw mean
    decision: ShortlistDecision
    alternate_position: int | None
    raw_shortlisted: bool
    tie: bool  # a statistical tie with someone across a cut
    reasons: tuple[ShortlistReason, ...]


@dataclass(frozen=True)
class Shortlist:
    """The decision for every candidate, best first, and the cuts: the calibrated score of the
    last shortlisted (`cut`) and of the last alternate (`alternate_cut`); None when nobody is."""

    placed: tuple[Placed, ...]
    places: int
    alternates: int
    cut: float | None
    alternate_cut: float | None

    @property
    def crossed_in(self) -> tuple[Placed, ...]:
        return tuple(p for p in self.placed if ShortlistReason.CROSSED_IN in p.reasons)

    @property
    def crossed_out(self) -> tuple[Placed, ...]:
        return tuple(p for p in self.placed if ShortlistReason.CROSSED_OUT in p.reasons)

    @property
    def ties(self) -> tuple[Placed, ...]:
        return tuple(p for p in self.placed if p.tie)

    def count(self, decision: ShortlistDecision) -> int:
        return sum(1 for p in self.placed if p.decision is decision)


SHORTLISTED_TIER = 0  # the shortlisted, and applications the decision did not cover


def match_tier(decision: ShortlistDecision | None, alternate_position: int | None) -> int | None:
    """Where the interview decision puts an application on every request list (lower tiers
    first, module docstring); None: not selected, left out of the match. `decision` None is an
    application the decision did not cover: ranked as if shortlisted."""
    if decision is ShortlistDecision.NOT_SELECTED:
        return None
    if decision is ShortlistDecision.ALTERNATE:
        if alternate_position is None or alternate_position < 1:
            raise ValueError("an alternate has a position: 1 or more")
        return alternate_position
    return SHORTLISTED_TIER


def tier_message(tier: int | None) -> Message:
    """A tier as the run's pages show it: "Shortlisted", "Alternate 3" or "Not selected"."""
    if tier is None:
        return Message(N_("Not selected at interview"))
    if tier == SHORTLISTED_TIER:
        return Message(N_("Shortlisted"))
    return Message(N_("Alternate {position}"), {"position": tier})


def _order(entries: Sequence[Entry], value: str) -> list[int]:
    """Indexes of `entries` by `value` (highest first), exact ties by lottery (lowest first)."""
    return sorted(
        range(len(entries)),
        key=lambda i: (-round(getattr(entries[i], value), TIE), entries[i].lottery),
    )


def statistical_tie(a: Entry, b: Entry) -> bool:
    """Whether a's and b's calibrated scores differ by no more than Z standard errors of the
    difference (module docstring)."""
    margin = Z * math.hypot(a.se or 0.0, b.se or 0.0)
    return round(abs(a.score - b.score), TIE) <= round(margin, TIE)


def decide(entries: Sequence[Entry], places: int, alternates: int) -> Shortlist:
    """Shortlist `places` candidates and list `alternates` more, by calibrated score."""
    if places < 0 or alternates < 0:
        raise ValueError("places and alternates are counts: 0 or more")
    if len({e.key for e in entries}) != len(entries):
        raise ValueError("each candidate once")
    order = _order(entries, "score")
    raw_order = _order(entries, "raw_mean")
    raw_position = {i: n + 1 for n, i in enumerate(raw_order)}
    n = len(order)
    shortlisted = min(places, n)
    listed = min(places + alternates, n)
    ties = _ties(entries, order, shortlisted) | _ties(entries, order, listed)
    lottery = _lottery_cuts(entries, order, shortlisted) | _lottery_cuts(entries, order, listed)
    placed: list[Placed] = []
    for position, i in enumerate(order, start=1):
        entry = entries[i]
        if position <= shortlisted:
            decision, alternate, reasons = (
                ShortlistDecision.SHORTLISTED,
                None,
                [ShortlistReason.ABOVE_CUT],
            )
        elif position <= listed:
            alt = position - shortlisted
            decision, alternate, reasons = (
                ShortlistDecision.ALTERNATE,
                alt,
                [ShortlistReason.ALTERNATE_RANGE],
            )
        else:
            decision, alternate, reasons = (
                ShortlistDecision.NOT_SELECTED,
                None,
                [ShortlistReason.BELOW_CUT],
            )
        raw_in = raw_position[i] <= shortlisted
        if decision is ShortlistDecision.SHORTLISTED and not raw_in:
            reasons.append(ShortlistReason.CROSSED_IN)
        if decision is not ShortlistDecision.SHORTLISTED and raw_in:
            reasons.append(ShortlistReason.CROSSED_OUT)
        if i in ties:
            reasons.append(ShortlistReason.STATISTICAL_TIE)
        if i in lottery:
            reasons.append(ShortlistReason.LOTTERY)
        placed.append(
            Placed(
                entry=entry,
                position=position,
                raw_position=raw_position[i],
                decision=decision,
                alternate_position=alternate,
                raw_shortlisted=raw_in,
                tie=i in ties,
                reasons=tuple(reasons),
            )
        )
    cut = entries[order[shortlisted - 1]].score if shortlisted else None
    alternate_cut = entries[order[listed - 1]].score if listed > shortlisted else None
    return Shortlist(tuple(placed), places, alternates, cut, alternate_cut)


def _ties(entries: Sequence[Entry], order: Sequence[int], cut: int) -> set[int]:
    """Candidates within the standard errors of the nearest candidate across the cut after
    position `cut` (none when the cut is at either end)."""
    if cut <= 0 or cut >= len(order):
        return set()
    last_in, first_out = entries[order[cut - 1]], entries[order[cut]]
    above = {i for i in order[:cut] if statistical_tie(entries[i], first_out)}
    below = {i for i in order[cut:] if statistical_tie(entries[i], last_in)}
    return above | below


def _lottery_cuts(entries: Sequence[Entry], order: Sequence[int], cut: int) -> set[int]:
    """Candidates whose exact tie straddles the cut: the lottery, not the score, put them on
    their side of it."""
    if cut <= 0 or cut >= len(order):
        return set()
    at = round(entries[order[cut - 1]].score, TIE)
    if round(entries[order[cut]].score, TIE) != at:
        return set()
    return {i for i in order if round(entries[i].score, TIE) == at}
