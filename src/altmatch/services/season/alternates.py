"""A run's alternates: per request, whom it would call, in order, if a seat opened.

A season's requests have over a million alternates between them, but people read only the first
few of each request and each candidate's own first place. So a run keeps (`store_alternates`):
- each request's first ALTERNATES_STORED and how many there are in all (RunAlternateList);
- each candidate's first place (RunPlacement.alternate_request_id, .alternate_position),
  computed from the whole lists when the run is stored.

Deeper lists are recomputed when someone asks for them (`alternate_lists`): the run is replayed
from its recorded inputs and seed (`replay`), which gives the very lists it had, since a run is
reproducible by design.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from altmatch.db import season as repo
from altmatch.db.models import MatchRun
from altmatch.engine import MatchResult, alternates, withdraw
from altmatch.services.season.placement_index import IndexedSeason
from altmatch.services.season.snapshot import season_files

ALTERNATES_STORED = 50  # per request: the views show 10, `altmatch match` writes 20

FirstPlace = tuple[int, int]  # (request row id, position): where a candidate would be called
AlternateList = tuple[int, NDArray[np.int64]]  # (request row id, candidate row ids best first)


def store_alternates(
    session: Session,
    run_id: int,
    indexed: IndexedSeason,
    result: MatchResult,
    snapshot: Mapping[str, Any],
) -> dict[int, FirstPlace]:
    """Store each request's first ALTERNATES_STORED alternates and how many it has; return
    every waiting candidate's first place (by candidate row id), for their RunPlacement."""
    lists = whole_lists(indexed, result, snapshot)
    repo.add_run_alternates(session, run_id, lists, kept=ALTERNATES_STORED)
    return first_places_in(lists)


def whole_lists(
    indexed: IndexedSeason, result: MatchResult, snapshot: Mapping[str, Any]
) -> list[AlternateList]:
    """Every request's whole list as the engine gives it (`engine.alternates`), in row ids,
    in the run's request order (by row id): mapped with arrays, since there are a million."""
    request_row = snapshot["request_ids"]
    candidate_row = snapshot["candidate_ids"]
    requests = [request_row[r.id] for r in indexed.season.requests]
    people = np.array([candidate_row[c.id] for c in indexed.season.candidates], dtype=np.int64)
    lists = [(requests[r], people[waiting]) for r, waiting in enumerate(alternates(result))]
    return sorted(lists, key=lambda found: found[0])


def first_places_in(lists: Sequence[AlternateList]) -> dict[int, FirstPlace]:
    """Each listed candidate's first place: the lowest position over the requests that list
    them, the earlier request by row id on a tie (a BoE calls its first alternate first)."""
    lists = sorted(((r, ids) for r, ids in lists if len(ids)), key=lambda found: found[0])
    if not lists:
        return {}
    lengths = [len(ids) for _, ids in lists]
    candidates = np.concatenate([ids for _, ids in lists]).astype(np.int64)
    positions = np.concatenate([np.arange(1, n + 1, dtype=np.int64) for n in lengths])
    in_order = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    key = positions * len(lists) + in_order  # smaller is called first: position, then request
    low = int(candidates.min())
    none = np.iinfo(np.int64).max
    best = np.full(int(candidates.max()) - low + 1, none, dtype=np.int64)
    np.minimum.at(best, candidates - low, key)
    waiting = np.flatnonzero(best != none)
    request_ids = np.array([r for r, _ in lists], dtype=np.int64)
    return {
        c: (r, p)
        for c, r, p in zip(
            (waiting + low).tolist(),
            request_ids[best[waiting] % len(lists)].tolist(),
            (best[waiting] // len(lists)).tolist(),
            strict=True,
        )
    }


def replay(
    snapshot: dict[str, Any], seed: int, earlier: Sequence[str], withdrawn: Sequence[str]
) -> tuple[IndexedSeason, MatchResult]:
    """A stored run's result again, from its recorded inputs and seed: the match, less the
    withdrawals its parent had taken out (`earlier`), less its own (`withdrawn`), as
    placement.upgrade_from made it. Pure: the migrations use it too."""
    indexed = IndexedSeason.of(season_files(snapshot, label="replay"))
    index = indexed.candidate_index
    result = indexed.match(seed)
    before = [index[c] for c in earlier if c in index]
    if before:
        result = withdraw(result, before).result
    if withdrawn:
        result = withdraw(result, [index[c] for c in withdrawn]).result
    return indexed, result


def withdrawals(
    run_summary: Mapping[str, Any], parent_summary: Mapping[str, Any] | None
) -> tuple[list[str], list[str]]:
    """(the parent's withdrawals, the run's own): an upgrade run's summary lists both."""
    if parent_summary is None:
        return [], []
    earlier = list(parent_summary.get("withdrawn", []))
    return earlier, list(run_summary.get("withdrawn", []))[len(earlier) :]


def replayed_lists(session: Session, run: MatchRun) -> list[AlternateList]:
    """The run's whole lists, recomputed (see `replay`); a few seconds for a big season."""
    parent = session.get(MatchRun, run.parent_run_id) if run.parent_run_id else None
    snapshot = repo.run_inputs(session, run)
    earlier, own = withdrawals(run.summary, parent.summary if parent else None)
    indexed, result = replay(snapshot, run.seed, earlier, own)
    return whole_lists(indexed, result, snapshot)


def alternate_lists(
    session: Session, run: MatchRun, first: int, request_ids: Collection[int] | None = None
) -> list[AlternateList]:
    """The first `first` alternates of the run's requests (all, or `request_ids`) that have
    any, in the run's request order: read as stored, or, when someone asks deeper than a
    request's stored list goes, from the replayed run."""
    if request_ids is not None and not request_ids:
        return []
    stored = repo.run_alternates(
        session, run.id, first=min(first, ALTERNATES_STORED), request_ids=request_ids
    )
    if first <= ALTERNATES_STORED:
        return [(r, ids.astype(np.int64)) for r, ids in stored]
    lengths = repo.alternate_lengths(session, run.id, request_ids)
    if all(n <= ALTERNATES_STORED for n in lengths.values()):
        return [(r, ids.astype(np.int64)) for r, ids in stored]
    wanted = set(lengths)
    return [(r, ids[:first]) for r, ids in replayed_lists(session, run) if r in wanted]
