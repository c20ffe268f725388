"""A run's alternates, kept in one store: per request, whom it would call, in order, if a seat
opened (the run's RunAlternateList rows, written once by `store_alternates`).

Every reader derives what it shows from those rows: the placements views take each request's
first few; the run review and its export, publication (who becomes an alternate), a
candidate's outcome and the applications export take each candidate's first place
(`first_places`, `first_place_of`). Nothing else keeps a copy that could disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from altmatch.db import season as repo
from altmatch.engine import MatchResult, alternates
from altmatch.services.season.placement_index import IndexedSeason

FirstPlace = tuple[int, int]  # (request row id, position): where a candidate would be called


def store_alternates(
    session: Session,
    run_id: int,
    indexed: IndexedSeason,
    result: MatchResult,
    snapshot: Mapping[str, Any],
) -> None:
    """Store the run's alternates as the engine gives them (`engine.alternates`: per request,
    best first), as one list of candidate row ids per request, mapped from the engine's
    indices with arrays: a season has over a million."""
    request_row = snapshot["request_ids"]
    candidate_row = snapshot["candidate_ids"]
    requests = [request_row[r.id] for r in indexed.season.requests]
    people = np.array([candidate_row[c.id] for c in indexed.season.candidates], dtype=np.int64)
    lists = [(requests[r], people[waiting]) for r, waiting in enumerate(alternates(result))]
    repo.add_run_alternates(session, run_id, lists)


def first_places(session: Session, run_id: int) -> dict[int, FirstPlace]:
    """Every waiting candidate's first alternate place in the run, by candidate row id: the
    lowest position over the requests that list them, the earlier request in the run's order
    (by row id) on a tie. Reads the run's lists whole: a run review lists everyone anyway."""
    lists = repo.run_alternates(session, run_id)
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


def first_place_of(session: Session, run_id: int, candidate_id: int) -> FirstPlace | None:
    """One candidate's first alternate place in the run, as `first_places` gives it."""
    best: tuple[int, int] | None = None  # (position, request row id)
    for request_id, ids in repo.run_alternates(session, run_id):
        hits = np.flatnonzero(ids == candidate_id)
        if hits.size and (best is None or (int(hits[0]) + 1, request_id) < best):
            best = (int(hits[0]) + 1, request_id)
    return None if best is None else (best[1], best[0])
