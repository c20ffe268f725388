"""The documented output formats of a placement run, and the reasons written out in words.

These models are the files' contract: explanations.jsonl holds one `CandidateExplanation` per
candidate (file order), then one `RequestCutoff` per request; summary.json is a `RunSummary`.
Rank numbers are the requests' own (1 = best; equal numbers were tied and broken by the
seeded lottery); a candidate's choice numbers are 1-based positions in their list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from altmatch.domain.season import Candidate, Request, Requirement
from altmatch.engine import MatchResult, WhyNot, explain
from altmatch.services.season.placement_index import IndexedSeason, held_per_request

Reason = Literal["filled", "not_ranked", "hard_requirement", "couple"]


class WhyNotOut(TypedDict):
    """A plain dict: a season has millions of these, too many for a model each."""

    request_id: str
    boe: str
    choice: int  # where the candidate put this request in their list, 1-based
    reason: Reason
    requirements: list[Requirement]  # hard_requirement: which ones failed
    cutoff_rank: int | None  # filled: the rank of the last candidate it took
    your_rank: int | None  # filled (and couple): the rank it gave this candidate
    lost_lottery: bool  # filled: tied with the cut-off, and the lottery went against
    partner_id: str | None  # couple
    text: str


class OutcomeOut(BaseModel):
    placed: bool
    request_id: str | None
    boe: str | None
    choice: int | None  # 1-based position of the placement in the candidate's list


class AnywhereOut(BaseModel):
    """The requests above the outcome that the candidate took only by accepting anywhere,
    counted by reason rather than listed: hundreds of lines about requests they never named
    would bury the few that matter, and make a season's file hundreds of megabytes."""

    requests: int
    filled: int
    not_ranked: int
    hard_requirement: int
    couple: int
    closest: WhyNotOut | None  # the filled request that came nearest to taking them
    text: str


class CandidateExplanation(BaseModel):
    kind: Literal["candidate"] = "candidate"
    candidate_id: str
    outcome: OutcomeOut
    text: str
    why_not: list[WhyNotOut]  # every request they asked for that ranks above the outcome
    anywhere: AnywhereOut | None = None  # the rest of their list above the outcome, summarised


class RequestCutoff(BaseModel):
    kind: Literal["request"] = "request"
    request_id: str
    boe: str
    capacity: int
    placed: int
    cutoff_rank: int | None  # None while places remain
    text: str


class InputFileOut(BaseModel):
    role: str
    file: str
    sha256: str


class PairOut(BaseModel):
    candidate_id: str
    request_id: str
    couple: bool  # the candidate applied as one of a couple


class StabilityOut(BaseModel):
    stable: bool
    # found by altmatch.engine.check_stability, independently of how the match was made
    blocking_pairs: list[PairOut]
    text: str


class CountsOut(BaseModel):
    candidates: int
    placed: int
    unplaced: int
    withdrawn: int
    requests: int
    requests_filled: int
    requests_unfilled: int
    seats: int
    seats_filled: int
    couples: int
    couples_placed: int


class RunSummary(BaseModel):
    kind: Literal["match", "upgrade"]
    altmatch_version: str
    engine_version: str
    seed: int
    inputs: list[InputFileOut]
    candidate_lists: Literal["given", "derived"]
    request_lists: Literal["given", "derived"]
    counts: CountsOut
    stability: StabilityOut
    withdrawn: list[str] = []  # upgrade: every candidate withdrawn so far, in order
    moves: int = 0
    chains: int = 0
    nobody_worse_off: bool = True  # upgrade: checked, not assumed


def requirement_phrase(req: Requirement, request: Request, candidate: Candidate) -> str:
    need = request.requirements
    if req is Requirement.DRIVING_LICENCE:
        return "a driving licence (you have none)"
    if req is Requirement.MIN_JLPT:
        return f"JLPT {need.min_jlpt.value} or higher (you have {candidate.jlpt.value})"
    return (
        f"at least {_count(need.min_teaching_years, 'year')} of teaching "
        f"(you have {candidate.teaching_years})"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def label(request: Request) -> str:
    return f"{request.id} ({request.boe})"


def filled_text(
    request: Request, cutoff: int | None, rank: int | None, lost_lottery: bool, seed: int
) -> str:
    head = f"{label(request)} filled its {_count(request.capacity, 'place')}"
    if cutoff is None or rank is None:
        return f"{head} with candidates it ranked higher."
    if lost_lottery:
        return (
            f"{head}; its cut-off was rank {cutoff} and it ranked you {rank}, a tie broken by "
            f"the lottery (seed {seed}) against you."
        )
    return f"{head}; its cut-off was rank {cutoff} and it ranked you {rank}."


def not_ranked_text(request: Request, candidate: Candidate, unmet: tuple[Requirement, ...]) -> str:
    if unmet:
        needs = " and ".join(requirement_phrase(r, request, candidate) for r in unmet)
        return f"{label(request)} requires {needs}."
    return f"{label(request)} did not rank you."


def couple_text(request: Request, partner: str | None) -> str:
    if partner is None:
        return (
            f"{label(request)} would have taken you, but a couple's placement left this "
            "unresolved (see the stability check in summary.json)."
        )
    return (
        f"{label(request)} would have taken you, but not with your partner {partner} placed "
        f"at the same BoE ({request.boe})."
    )


def outcome_text(request: Request | None, choice: int | None, list_length: int) -> str:
    if request is None:
        return "Not placed." if list_length else "Not placed: your list was empty."
    return f"Placed at {label(request)}, your choice {choice} of {list_length}."


def cutoff_text(request: Request, placed: int, cutoff: int | None) -> str:
    places = _count(request.capacity, "place")
    if cutoff is None:
        return f"{label(request)}: {placed} of {places} filled; no cut-off (places remain)."
    return f"{label(request)}: {placed} of {places} filled; cut-off rank {cutoff}."


class _Reasons:
    """Builds each candidate's reasons. A season repeats the same few sentences many times, so
    each is written once; the models are built unvalidated (their inputs are the engine's)."""

    def __init__(self, indexed: IndexedSeason, seed: int) -> None:
        self.indexed, self.seed = indexed, seed
        self.texts: dict[tuple[object, ...], str] = {}

    def text(self, key: tuple[object, ...], write: Callable[[], str]) -> str:
        found = self.texts.get(key)
        if found is None:
            found = self.texts[key] = write()
        return found

    def why_not(self, c: int, choice: int, w: WhyNot) -> WhyNotOut:
        season, lists = self.indexed.season, self.indexed.lists
        request = season.requests[w.request]
        out = WhyNotOut(
            request_id=request.id,
            boe=request.boe,
            choice=choice,
            reason="not_ranked",
            requirements=[],
            cutoff_rank=None,
            your_rank=None,
            lost_lottery=False,
            partner_id=None,
            text="",
        )
        if w.reason == "filled":
            cut, rank, lost = w.cutoff, w.candidate_value, w.lost_lottery
            out["reason"], out["cutoff_rank"], out["your_rank"] = "filled", cut, rank
            out["lost_lottery"] = lost
            out["text"] = self.text(
                ("filled", w.request, cut, rank, lost),
                lambda: filled_text(request, cut, rank, lost, self.seed),
            )
        elif w.reason == "couple":
            p = self.indexed.partner.get(c)
            partner = season.candidates[p].id if p is not None else None
            out["reason"], out["your_rank"], out["partner_id"] = (
                "couple",
                w.candidate_value,
                partner,
            )
            out["text"] = couple_text(request, partner)
        else:
            unmet = lists.unmet.get((c, w.request), ()) if lists.request_lists_derived else ()
            candidate = season.candidates[c]
            if unmet:
                out["reason"], out["requirements"] = "hard_requirement", list(unmet)
            out["text"] = self.text(
                ("unranked", w.request, unmet, candidate.jlpt, candidate.teaching_years),
                lambda: not_ranked_text(request, candidate, unmet),
            )
        return out


def explain_run(
    indexed: IndexedSeason, result: MatchResult
) -> tuple[CandidateExplanation | RequestCutoff, ...]:
    """One explanation per candidate (file order), then each request's cut-off."""
    season, lists = indexed.season, indexed.lists
    why = explain(result)
    reasons = _Reasons(indexed, result.seed)
    out: list[CandidateExplanation | RequestCutoff] = []
    for c, candidate in enumerate(season.candidates):
        r = int(result.assignment[c])
        placed_at = season.requests[r] if r >= 0 else None
        choice = int(result.candidate_rank[c]) + 1 if r >= 0 else None
        above = why.why_not[c]
        stated = lists.stated_lengths[c] if lists.stated_lengths else len(above)
        out.append(
            CandidateExplanation(
                candidate_id=candidate.id,
                outcome=OutcomeOut(
                    placed=r >= 0,
                    request_id=placed_at.id if placed_at else None,
                    boe=placed_at.boe if placed_at else None,
                    choice=choice,
                ),
                text=outcome_text(placed_at, choice, len(lists.candidate_lists[c])),
                # why_not[c] is the candidate's list above the outcome, in order
                why_not=[reasons.why_not(c, i, w) for i, w in enumerate(above[:stated], 1)],
                anywhere=_anywhere(reasons, c, stated, above[stated:]),
            )
        )
    held = held_per_request(result, len(season.requests))
    for r, request in enumerate(season.requests):
        cutoff = int(why.cutoffs[r])
        value = cutoff if cutoff >= 0 else None
        out.append(
            RequestCutoff(
                request_id=request.id,
                boe=request.boe,
                capacity=request.capacity,
                placed=int(held[r]),
                cutoff_rank=value,
                text=cutoff_text(request, int(held[r]), value),
            )
        )
    return tuple(out)


def _anywhere(
    reasons: _Reasons, c: int, stated: int, tail: tuple[WhyNot, ...]
) -> AnywhereOut | None:
    """Counts straight from the engine's reasons: only the closest request is written out,
    since a long tail has thousands of entries per season."""
    if not tail:
        return None
    lists = reasons.indexed.lists
    counts = dict.fromkeys(_REASONS, 0)
    closest: tuple[int, int, WhyNot] | None = None
    for i, w in enumerate(tail, 1):
        if w.reason == "filled":
            counts["filled"] += 1
            margin = (w.candidate_value or 0) - (w.cutoff or 0)
            if closest is None or margin < closest[0]:
                closest = (margin, i, w)
        elif w.reason == "couple":
            counts["couple"] += 1
        elif lists.request_lists_derived and lists.unmet.get((c, w.request)):
            counts["hard_requirement"] += 1
        else:
            counts["not_ranked"] += 1
    text = (
        f"Of the {len(tail)} other requests you accepted by accepting anywhere, "
        f"{counts['filled']} were filled with candidates ranked above you, "
        f"{counts['not_ranked'] + counts['hard_requirement']} did not rank you "
        f"({counts['hard_requirement']} for a hard requirement)"
        + (f", {counts['couple']} could not take you with your partner" if counts["couple"] else "")
        + "."
    )
    return AnywhereOut(
        requests=len(tail),
        filled=counts["filled"],
        not_ranked=counts["not_ranked"],
        hard_requirement=counts["hard_requirement"],
        couple=counts["couple"],
        closest=reasons.why_not(c, stated + closest[1], closest[2]) if closest else None,
        text=text,
    )


_REASONS: tuple[Reason, ...] = ("filled", "not_ranked", "hard_requirement", "couple")
