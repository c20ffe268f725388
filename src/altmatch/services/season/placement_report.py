"""The documented output formats of a placement run, and the reasons written out in words.

These models are the files' contract: explanations.jsonl holds one `CandidateExplanation` per
candidate (file order), then one `RequestCutoff` per request; summary.json is a `RunSummary`.
Rank numbers are the requests' own (1 = best; equal numbers were tied and broken by the
seeded lottery); a candidate's choice numbers are 1-based positions in their list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NotRequired

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from altmatch.domain.season import Request, Requirement
from altmatch.domain.season_lists import Int64s, requirements_of
from altmatch.engine import Explanations, MatchResult, explain
from altmatch.engine.explain import entry_values, tail_tally
from altmatch.services.season.placement_index import IndexedSeason, held_per_request

Reason = Literal["filled", "not_ranked", "hard_requirement", "couple"]


class WhyNotOut(TypedDict):
    """A plain dict: a season has a hundred thousand of these, too many for a model each. Only
    the keys that apply to the reason are present (see docs/formats/season-outputs.md)."""

    request_id: str
    choice: int  # where the candidate put this request in their list, 1-based
    reason: Reason
    requirements: NotRequired[list[Requirement]]  # hard_requirement: which ones failed
    cutoff_rank: NotRequired[int | None]  # filled: the rank of the last candidate it took
    your_rank: NotRequired[int]  # filled and couple: the rank it gave this candidate
    lost_lottery: NotRequired[bool]  # filled: tied with the cut-off, lottery went against
    partner_id: NotRequired[str | None]  # couple


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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def label(request: Request) -> str:
    return f"{request.id} ({request.boe})"


def outcome_text(request: Request | None, choice: int | None, list_length: int) -> str:
    return outcome_sentence(label(request) if request else None, choice, list_length)


def outcome_sentence(placed_at: str | None, choice: int | None, list_length: int) -> str:
    """The outcome in English: `placed_at` is the request's label, None when unplaced."""
    if placed_at is None:
        return "Not placed." if list_length else "Not placed: your list was empty."
    return f"Placed at {placed_at}, your choice {choice} of {list_length}."


def cutoff_text(request: Request, placed: int, cutoff: int | None) -> str:
    places = _count(request.capacity, "place")
    if cutoff is None:
        return f"{label(request)}: {placed} of {places} filled; no cut-off (places remain)."
    return f"{label(request)}: {placed} of {places} filled; cut-off rank {cutoff}."


REPORT_REASONS: tuple[Reason, ...] = ("filled", "not_ranked", "hard_requirement", "couple")
FILLED, NOT_RANKED, HARD_REQUIREMENT, COUPLE = range(4)  # codes of REPORT_REASONS
_FROM_ENGINE = np.array([FILLED, NOT_RANKED, COUPLE], dtype=np.int8)  # engine code -> ours


@dataclass(frozen=True)
class RunReasons:
    """Every candidate's reasons for a run as arrays, in the reader's terms: the engine's rows
    (`why`) with their reason codes here (REPORT_REASONS: a not_ranked row whose derived
    list left the candidate out for a hard requirement says so), and the accepts-anywhere
    tail of each candidate counted by reason, not listed.

    Candidate c's stated rows are `why.indptr[c]:stated_end[c]` (choices 1, 2, ...); its tail
    is counted in `tail[c]` (one column per reason) with `closest[c]`, the row of the filled
    tail request that came nearest to taking them (-1 if none)."""

    why: Explanations
    code: NDArray[np.int8]
    unmet: Int64s
    stated_end: Int64s
    tail: Int64s
    closest: Int64s
    list_lengths: Int64s


def run_reasons(indexed: IndexedSeason, result: MatchResult) -> RunReasons:
    """`RunReasons` for the run, computed for everyone at once: the per-row work is the
    engine's compiled passes (`explain`, `entry_values`, `tail_tally`), so nothing here
    builds another array as long as the rows but the codes and the failed requirements."""
    lists = indexed.lists
    why = explain(result)
    counts = np.diff(why.indptr)
    if lists.request_lists_derived:
        unmet = entry_values(why, lists.candidate_prefs[0], lists.unmet_bits)
    else:
        unmet = np.zeros(len(why.request), dtype=np.int64)
    code = _FROM_ENGINE[why.reason]
    code[(code == NOT_RANKED) & (unmet != 0)] = HARD_REQUIREMENT
    unmet[code != HARD_REQUIREMENT] = 0
    stated_end = why.indptr[:-1] + np.minimum(counts, lists.stated)
    tail, closest = tail_tally(why, code, len(REPORT_REASONS), lists.stated, FILLED)
    return RunReasons(
        why, code, unmet, stated_end, tail, closest, np.diff(lists.candidate_prefs[0])
    )


def why_not_entry(
    request_id: str,
    choice: int,
    code: int,
    *,
    cutoff: int,
    value: int,
    lost_lottery: bool,
    unmet_bits: int,
    partner_id: str | None,
) -> WhyNotOut:
    """One reason as a reader gets it, with only the keys its code (REPORT_REASONS) has; from
    a run's arrays (`_Writer`) or from a stored run (services.season.reasons_store) alike."""
    out = WhyNotOut(request_id=request_id, choice=choice, reason=REPORT_REASONS[code])
    if code == FILLED:
        out["cutoff_rank"] = cutoff if cutoff >= 0 else None
        out["your_rank"] = value
        if lost_lottery:
            out["lost_lottery"] = True
    elif code == COUPLE:
        out["your_rank"] = value
        out["partner_id"] = partner_id
    elif code == HARD_REQUIREMENT:
        out["requirements"] = list(requirements_of(unmet_bits))
    return out


def anywhere_summary(tail: Sequence[int], closest: WhyNotOut | None) -> dict[str, object] | None:
    """The accepts-anywhere tail counted by reason (`tail`, in REPORT_REASONS order), with the
    filled request that came closest; None when there is no tail."""
    total = sum(tail)
    if not total:
        return None
    filled, not_ranked, hard, couple = tail
    return {
        "requests": total,
        "filled": filled,
        "not_ranked": not_ranked,
        "hard_requirement": hard,
        "couple": couple,
        "closest": closest,
        "text": anywhere_text(total, filled, not_ranked, hard, couple),
    }


class _Writer:
    """Writes each candidate's explanation from `RunReasons` as plain dicts, unvalidated (their
    inputs are the engine's)."""

    def __init__(self, indexed: IndexedSeason, reasons: RunReasons) -> None:
        self.indexed, self.reasons = indexed, reasons
        self.request_ids = [r.id for r in indexed.season.requests]
        # per-candidate figures as Python ints once, not a NumPy scalar per candidate
        self.starts = reasons.why.indptr[:-1].tolist()
        self.stated_end = reasons.stated_end.tolist()
        self.list_lengths = reasons.list_lengths.tolist()
        self.closest = reasons.closest.tolist()
        self.tail = reasons.tail.tolist()

    def why_not(self, c: int, row: int, choice: int) -> WhyNotOut:
        why = self.reasons.why
        p = self.indexed.partner.get(c)
        return why_not_entry(
            self.request_ids[int(why.request[row])],
            choice,
            int(self.reasons.code[row]),
            cutoff=int(why.cutoff[row]),
            value=int(why.value[row]),
            lost_lottery=bool(why.lost_lottery[row]),
            unmet_bits=int(self.reasons.unmet[row]),
            partner_id=self.indexed.season.candidates[p].id if p is not None else None,
        )

    def candidate(
        self, c: int, placed_at: Request | None, choice: int | None, *, listed: bool = True
    ) -> dict[str, object]:
        """The candidate's `CandidateExplanation` as a plain dict; with `listed` False, its
        reasons are counted (`why_not_rows`) rather than written out, as in the file."""
        lo, hi = self.starts[c], self.stated_end[c]
        return {
            "kind": "candidate",
            "candidate_id": self.indexed.season.candidates[c].id,
            "outcome": {
                "placed": placed_at is not None,
                "request_id": placed_at.id if placed_at else None,
                "boe": placed_at.boe if placed_at else None,
                "choice": choice,
            },
            "text": outcome_text(placed_at, choice, self.list_lengths[c]),
            **(
                {"why_not": [self.why_not(c, row, k) for k, row in enumerate(range(lo, hi), 1)]}
                if listed
                else {"why_not_rows": hi - lo}
            ),
            "anywhere": self.anywhere(c),
        }

    def anywhere(self, c: int) -> dict[str, object] | None:
        row = self.closest[c]
        closest = None
        if row >= 0:
            closest = self.why_not(c, row, row - self.starts[c] + 1)
        return anywhere_summary(self.tail[c], closest)


def anywhere_text(total: int, filled: int, not_ranked: int, hard: int, couple: int) -> str:
    return (
        f"Of the {total} other requests you accepted by accepting anywhere, "
        f"{filled} were filled with candidates ranked above you, "
        f"{not_ranked + hard} did not rank you "
        f"({hard} for a hard requirement)"
        + (f", {couple} could not take you with your partner" if couple else "")
        + "."
    )


def candidate_explanations(
    indexed: IndexedSeason, result: MatchResult, reasons: RunReasons, *, listed: bool = True
) -> Iterator[dict[str, object]]:
    """Each candidate's `CandidateExplanation` as a plain dict, in file order (see
    `_Writer.candidate` for `listed`)."""
    requests = indexed.season.requests
    writer = _Writer(indexed, reasons)
    ranks = result.candidate_rank.tolist()
    for c, r in enumerate(result.assignment.tolist()):
        placed_at = requests[r] if r >= 0 else None
        choice = ranks[c] + 1 if r >= 0 else None
        yield writer.candidate(c, placed_at, choice, listed=listed)


def explanation_lines(
    indexed: IndexedSeason, result: MatchResult, reasons: RunReasons
) -> Iterator[str]:
    """explanations.jsonl, line by line: one explanation per candidate (file order), then
    each request's cut-off. A candidate's reasons, one per request above the outcome, are in
    why_not.csv (`why_not_rows`); here `why_not_rows` counts them."""
    season = indexed.season
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for explanation in candidate_explanations(indexed, result, reasons, listed=False):
        yield dumps(explanation)
    held = held_per_request(result, len(season.requests))
    for r, request in enumerate(season.requests):
        cutoff = int(reasons.why.cutoffs[r])
        value = cutoff if cutoff >= 0 else None
        yield RequestCutoff(
            request_id=request.id,
            boe=request.boe,
            capacity=request.capacity,
            placed=int(held[r]),
            cutoff_rank=value,
            text=cutoff_text(request, int(held[r]), value),
        ).model_dump_json()


WHY_NOT_HEADER = (
    "candidate_id",
    "choice",
    "request_id",
    "reason",
    "cutoff_rank",
    "your_rank",
    "lost_lottery",
    "requirements",
    "partner_id",
)


def why_not_rows(
    indexed: IndexedSeason, reasons: RunReasons
) -> Iterator[tuple[str, int, str, str, int | None, int | None, int, str, str | None]]:
    """why_not.csv: for each candidate (file order), every request they asked for that ranks
    above their outcome, in their list's order; one row each, the reason's fields as columns
    (a spreadsheet filters a season's hundred thousand reasons; requirements joined by ';')."""
    why, code = reasons.why, reasons.code
    # the shown rows are each candidate's first ones: built from the per-candidate counts, not
    # by testing every row (most are the accepts-anywhere tail, counted in explanations.jsonl)
    starts = why.indptr[:-1]
    lengths = reasons.stated_end - starts
    owner_shown = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    place = (
        np.arange(len(owner_shown), dtype=np.int64) - (np.cumsum(lengths) - lengths)[owner_shown]
    )
    shown = starts[owner_shown] + place
    # Each column is built for every row at once (lookups in object arrays, a mask for the
    # cells a reason leaves empty), so no Python code runs per row; the csv writer zips them.
    owner, k = owner_shown, code[shown]
    candidates = np.array([c.id for c in indexed.season.candidates] + [None], dtype=object)
    requests = np.array([r.id for r in indexed.season.requests], dtype=object)
    partner_of = np.full(len(candidates), -1, dtype=np.int64)  # -1: no partner, reads None
    for c, p in indexed.partner.items():
        partner_of[c] = p
    bits = reasons.unmet[shown]
    texts = {int(b): ";".join(requirements_of(int(b))) if b else "" for b in np.unique(bits)}
    requirement_text = np.array([texts.get(b, "") for b in range(int(bits.max(initial=0)) + 1)])
    cutoff = why.cutoff[shown]
    yield from zip(
        candidates[owner].tolist(),
        (place + 1).tolist(),
        requests[why.request[shown]].tolist(),
        np.array(REPORT_REASONS, dtype=object)[k].tolist(),
        _where((k == FILLED) & (cutoff >= 0), cutoff),
        _where((k == FILLED) | (k == COUPLE), why.value[shown]),
        why.lost_lottery[shown].astype(np.int64).tolist(),
        requirement_text.astype(object)[bits].tolist(),
        candidates[np.where(k == COUPLE, partner_of[owner], -1)].tolist(),
        strict=True,
    )


def _where(keep: NDArray[np.bool_], values: Int64s) -> list[int | None]:
    """values where `keep`, else None: a csv column with empty cells."""
    out = np.full(len(values), None, dtype=object)
    out[keep] = values[keep].tolist()
    return out.tolist()
