"""Run a placement season: index it, call the engine, and shape every output the run writes.

`run_match` places the candidates of a validated season; `run_upgrade` replays a previous run
from its recorded seed (refusing if any input file changed) and withdraws candidates, giving
the vacancy chains. `save_match` / `save_upgrade` write the output folder atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from altmatch import __version__
from altmatch.engine import (
    ENGINE_VERSION,
    MatchResult,
    Upgrade,
    alternates,
    blocking_pairs,
    check_stability,
    withdraw,
)
from altmatch.io import outputs
from altmatch.io.season_files import ROLES, SeasonFiles
from altmatch.services.season.placement_index import IndexedSeason, held_per_request
from altmatch.services.season.placement_report import (
    WHY_NOT_HEADER,
    CountsOut,
    InputFileOut,
    PairOut,
    RunReasons,
    RunSummary,
    StabilityOut,
    explanation_lines,
    run_reasons,
    why_not_rows,
)

Progress = Callable[[str], None]  # told the name of each stage as it starts
# alternates.csv: each request's first this many by default. Deeper places are who a request
# would call after this many refusals; the run reproduces them from its seed (--alternates).
ALTERNATES_SHOWN = 20


class PlacementError(ValueError):
    """The run cannot go ahead; `problems` lists why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class MatchRun:
    indexed: IndexedSeason
    result: MatchResult
    placements: tuple[tuple[str, str | None, int | None], ...]
    reasons: RunReasons
    summary: RunSummary

    def explanation_lines(self) -> Iterator[str]:
        """explanations.jsonl, line by line (services.season.placement_report)."""
        return explanation_lines(self.indexed, self.result, self.reasons)


def run_match(
    files: SeasonFiles, seed: int | None = None, *, progress: Progress | None = None
) -> MatchRun:
    """Place the season's candidates; a fresh seed is drawn (and recorded) when none is given."""
    step = progress or (lambda _stage: None)
    step("deriving preference lists")
    indexed = _index(files)
    step("matching")
    result = indexed.match(seed)
    step("checking stability")
    stability = _stability(indexed, result)
    step("explaining")
    reasons = run_reasons(indexed, result)
    summary = _summary("match", indexed, result, stability, withdrawn=())
    return MatchRun(indexed, result, _placements(indexed, result), reasons, summary)


def alternate_rows(
    indexed: IndexedSeason, result: MatchResult, *, first: int | None = None
) -> Iterator[tuple[str, int, str]]:
    """The engine's alternates as (request id, position, candidate id) rows: requests in the
    season's order, each request's positions 1, 2, ... best first (only the first `first` of
    each, when given). What alternates.csv holds."""
    requests, candidates = indexed.season.requests, indexed.season.candidates
    ids = [c.id for c in candidates]
    for r, waiting in enumerate(alternates(result)):
        request_id = requests[r].id
        shown = waiting if first is None else waiting[:first]
        for position, c in enumerate(shown.tolist(), start=1):
            yield request_id, position, ids[c]


def _index(files: SeasonFiles) -> IndexedSeason:
    try:
        return IndexedSeason.of(files)
    except ValueError as exc:  # a season too large to derive lists for
        raise PlacementError([str(exc)]) from exc


def _placements(
    indexed: IndexedSeason, result: MatchResult, *, leave_out: frozenset[int] = frozenset()
) -> tuple[tuple[str, str | None, int | None], ...]:
    requests, candidates = indexed.season.requests, indexed.season.candidates
    rows: list[tuple[str, str | None, int | None]] = []
    for c, r in enumerate(result.assignment.tolist()):
        if c in leave_out:
            continue
        if r < 0:
            rows.append((candidates[c].id, None, None))
        else:
            rows.append((candidates[c].id, requests[r].id, int(result.candidate_rank[c]) + 1))
    return tuple(rows)


def _stability(indexed: IndexedSeason, result: MatchResult) -> StabilityOut:
    """Re-check the outcome independently of how it was made, couples included (a couple
    member never blocks alone; a couple blocks with a joint option both requests would grant).
    """
    lists = indexed.lists
    pairs = check_stability(
        lists.candidate_prefs,
        lists.request_prefs,
        [r.capacity for r in indexed.season.requests],
        result.assignment,
        request_ranks=(lists.request_prefs[0], lists.request_ranks),
        seed=result.seed,
        couples=list(indexed.couples) or None,
        request_groups=list(indexed.boe_of_request),
    )
    return _stability_out(indexed, result, pairs)


def _stability_out(
    indexed: IndexedSeason, result: MatchResult, pairs: Sequence[tuple[int, int]]
) -> StabilityOut:
    coupled = {c for pair in result.couples for c in pair}
    blocking = [
        PairOut(
            candidate_id=indexed.season.candidates[c].id,
            request_id=indexed.season.requests[r].id,
            couple=c in coupled,
        )
        for c, r in pairs
    ]
    if not blocking:
        text = "Stable: no candidate and request would both rather be matched to each other."
    else:
        by_couples = sum(p.couple for p in blocking)
        text = (
            f"Not stable: {len(blocking)} blocking pair(s), {by_couples} of them for couples. "
            "With couples a stable matching may not exist; what remains is reported, not hidden."
        )
    return StabilityOut(stable=not blocking, blocking_pairs=blocking, text=text)


def _summary(
    kind: str,
    indexed: IndexedSeason,
    result: MatchResult,
    stability: StabilityOut,
    *,
    withdrawn: Sequence[str],
    moves: int = 0,
    chains: int = 0,
    nobody_worse_off: bool = True,
) -> RunSummary:
    season = indexed.season
    held = held_per_request(result, len(season.requests))
    capacities = np.array([r.capacity for r in season.requests], dtype=np.int64)
    placed = int(np.count_nonzero(result.assignment >= 0))
    assignment = result.assignment
    return RunSummary.model_validate(
        {
            "kind": kind,
            "altmatch_version": __version__,
            "engine_version": ENGINE_VERSION,
            "seed": result.seed,
            "inputs": [
                InputFileOut(role=s.role, file=str(s.path), sha256=s.sha256)
                for s in indexed.files.sources
            ],
            "candidate_lists": "derived" if indexed.lists.candidate_lists_derived else "given",
            "request_lists": "derived" if indexed.lists.request_lists_derived else "given",
            "counts": CountsOut(
                candidates=len(season.candidates) - len(withdrawn),
                placed=placed,
                unplaced=len(season.candidates) - len(withdrawn) - placed,
                withdrawn=len(withdrawn),
                requests=len(season.requests),
                requests_filled=int(np.count_nonzero(held >= capacities)),
                requests_unfilled=int(np.count_nonzero(held < capacities)),
                seats=int(capacities.sum()),
                seats_filled=int(held.sum()),
                couples=len(result.couples),
                couples_placed=sum(
                    1 for a, b in result.couples if assignment[a] >= 0 and assignment[b] >= 0
                ),
            ),
            "stability": stability,
            "withdrawn": list(withdrawn),
            "moves": moves,
            "chains": chains,
            "nobody_worse_off": nobody_worse_off,
        }
    )


def save_match(
    run: MatchRun, out: Path, *, force: bool = False, alternates: int | None = ALTERNATES_SHOWN
) -> None:
    """Write placements, alternates (each request's first `alternates`, or all with None),
    explanations, the reasons table and the summary into `out`, all or nothing."""
    waiting = alternate_rows(run.indexed, run.result, first=alternates)
    outputs.write_folder(
        out,
        {
            outputs.PLACEMENTS: outputs.csv_text(outputs.PLACEMENTS_HEADER, run.placements),
            outputs.ALTERNATES: outputs.csv_text(outputs.ALTERNATES_HEADER, waiting),
            outputs.EXPLANATIONS: outputs.jsonl_text(run.explanation_lines()),
            outputs.WHY_NOT: outputs.csv_text(
                WHY_NOT_HEADER, why_not_rows(run.indexed, run.reasons)
            ),
            outputs.SUMMARY: run.summary.model_dump_json(indent=2) + "\n",
        },
        force=force,
    )


@dataclass(frozen=True)
class UpgradeRun:
    indexed: IndexedSeason
    upgrade: Upgrade
    placements: tuple[tuple[str, str | None, int | None], ...]
    moves: tuple[tuple[str, str | None, str | None, int], ...]
    summary: RunSummary


def run_upgrade(
    files: SeasonFiles,
    previous: Path,
    withdrawn: Sequence[str],
    *,
    progress: Progress | None = None,
) -> UpgradeRun:
    """Replay the run in `previous` from its recorded seed, then withdraw these candidates.

    Refuses (PlacementError) when an input file changed since that run, the engine version
    differs, or a withdrawn id is unknown, repeated or already withdrawn: an upgrade must
    start from exactly the outcome people were told.
    """
    step = progress or (lambda _stage: None)
    step("reading the previous run")
    prior = _prior_summary(previous)
    _check_same_inputs(prior, files, previous)
    return upgrade_from(
        files, prior.seed, prior.withdrawn, withdrawn, source=str(previous), progress=progress
    )


def upgrade_from(
    files: SeasonFiles,
    seed: int,
    earlier: Sequence[str],
    withdrawn: Sequence[str],
    *,
    source: str,
    progress: Progress | None = None,
) -> UpgradeRun:
    """Replay the match of `files` with `seed`, take out the `earlier` withdrawals, then
    withdraw these candidates. The caller vouches that `files` are exactly the run's inputs;
    `source` names that run in refusals."""
    step = progress or (lambda _stage: None)
    indexed = _index(files)
    index = indexed.candidate_index
    _check_withdrawals(index, earlier, withdrawn, source)
    earlier_ids = [index[cid] for cid in earlier if cid in index]
    step("replaying the match")
    before = indexed.match(seed)
    if earlier_ids:
        before = withdraw(before, earlier_ids).result
    step("withdrawing and rerunning")
    up = withdraw(before, [index[cid] for cid in withdrawn])
    after = up.result
    stayed = after.active
    rank_before = np.where(before.assignment >= 0, before.candidate_rank, np.iinfo(np.int64).max)
    rank_after = np.where(after.assignment >= 0, after.candidate_rank, np.iinfo(np.int64).max)
    nobody_worse_off = bool(np.all(rank_after[stayed] <= rank_before[stayed]))
    step("checking stability")
    pairs = blocking_pairs(after.market, after.assignment, active=stayed)
    requests, candidates = indexed.season.requests, indexed.season.candidates

    def rid(r: int) -> str | None:
        return requests[r].id if r >= 0 else None

    move_rows = tuple(  # the engine puts every move in exactly one chain
        (candidates[m.candidate].id, rid(m.from_request), rid(m.to_request), k)
        for k, chain in enumerate(up.chains, start=1)
        for m in chain
    )
    all_withdrawn = [*earlier, *withdrawn]
    summary = _summary(
        "upgrade",
        indexed,
        after,
        _stability_out(indexed, after, pairs),
        withdrawn=all_withdrawn,
        moves=len(up.moves),
        chains=len(up.chains),
        nobody_worse_off=nobody_worse_off,
    )
    gone = frozenset(int(c) for c in np.flatnonzero(~stayed))
    placements = _placements(indexed, after, leave_out=gone)
    return UpgradeRun(indexed, up, placements, move_rows, summary)


def _check_withdrawals(
    index: dict[str, int], before: Sequence[str], withdrawn: Sequence[str], previous: str
) -> None:
    problems = [f"--withdraw: unknown candidate {cid!r}" for cid in withdrawn if cid not in index]
    problems += [
        f"--withdraw: {cid!r} has already withdrawn (in {previous})"
        for cid in withdrawn
        if cid in before
    ]
    problems += [f"--withdraw: {cid!r} is listed twice" for cid in _repeated(withdrawn)]
    if problems:
        raise PlacementError(problems)


def _repeated(ids: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for cid in ids:
        if cid in seen and cid not in repeated:
            repeated.append(cid)
        seen.add(cid)
    return repeated


def _prior_summary(previous: Path) -> RunSummary:
    try:
        return RunSummary.model_validate(outputs.read_summary(previous))
    except outputs.OutputError as exc:
        raise PlacementError([str(exc)]) from exc
    except ValidationError as exc:
        raise PlacementError(
            [f"{previous / outputs.SUMMARY}: not an altmatch summary ({exc.error_count()} errors)"]
        ) from exc


def _check_same_inputs(prior: RunSummary, files: SeasonFiles, previous: Path) -> None:
    before = {i.role: i for i in prior.inputs}
    now = {s.role: s for s in files.sources}
    problems = []
    for role in ROLES:
        old, new = before.get(role), now.get(role)
        if old is None and new is None:
            continue
        if old is None:
            problems.append(f"{role}: {new.path if new else role} was not an input of {previous}")
        elif new is None:
            problems.append(f"{old.file}: was an input of {previous} but is not given now")
        elif old.sha256 != new.sha256:
            problems.append(
                f"{new.path}: changed since {previous} was made (sha256 {new.sha256[:12]}…, "
                f"was {old.sha256[:12]}…)"
            )
    if prior.engine_version != ENGINE_VERSION:
        problems.append(
            f"{previous}: made by engine {prior.engine_version}, this is {ENGINE_VERSION}; "
            "rerun the match instead"
        )
    if problems:
        raise PlacementError(problems)


def save_upgrade(run: UpgradeRun, out: Path, *, force: bool = False) -> None:
    """Write the new placements, the moves and the summary into `out`, all or nothing."""
    outputs.write_folder(
        out,
        {
            outputs.PLACEMENTS: outputs.csv_text(outputs.PLACEMENTS_HEADER, run.placements),
            outputs.MOVES: outputs.csv_text(outputs.MOVES_HEADER, run.moves),
            outputs.SUMMARY: run.summary.model_dump_json(indent=2) + "\n",
        },
        force=force,
    )
