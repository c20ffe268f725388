"""Benchmark: the published-placements view (BoE and coordinator) on the full demo season.

Run, on a database seeded with `altmatch demo --db`:

    .venv/bin/python benchmarks/bench_placements.py sqlite:////tmp/demo.db --publish
    .venv/bin/python benchmarks/bench_placements.py sqlite:////tmp/demo.db

`--publish` first matches the demo's open season as the coordinator and publishes the run
(timing the step that stores the run); without it the latest published run is read as is.
The table shows the time of one `season_placements` call per actor (best and median of
`--repeat`), and how many placements and alternates it returned.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season import runs as season_runs
from altmatch.services.season.publish import publish_run
from altmatch.services.season.results import season_placements
from altmatch.services.season.setup import list_seasons

COORDINATOR = "programme_coordinator@demo.altmatch.example"
BOE_STAFF = "kobe_boe_staff@demo.altmatch.example"
SEED = 8


def _publish(sessions: Any) -> int:
    """Match and publish the demo's open season; prints the time the run's store step took."""
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    season_id = min(s.id for s in list_seasons(sessions, coordinator))
    store = season_runs._store_run
    spent: list[float] = []

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return store(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    season_runs._store_run = timed
    try:
        start = time.perf_counter()
        run = season_runs.run_season_match(sessions, coordinator, season_id, seed=SEED)
        total = time.perf_counter() - start
    finally:
        season_runs._store_run = store
    publish_run(sessions, coordinator, season_id, run.run.id)
    print(f"match run {run.run.id}: whole match {total:.2f} s, store step {spent[0]:.2f} s")
    return season_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = make_engine(Settings(database_url=args.database_url))
    sessions = session_factory(engine)
    if args.publish:
        _publish(sessions)
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    season_id = min(s.id for s in list_seasons(sessions, coordinator))
    print(f"{'actor':<14}{'best ms':>10}{'median ms':>11}{'placed':>8}{'alternates':>12}")
    for label, email in (("BoE staff", BOE_STAFF), ("coordinator", COORDINATOR)):
        actor = act_as(sessions, OPERATOR, email)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = season_placements(sessions, actor, season_id)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{label:<14}{min(times):>10.1f}{statistics.median(times):>11.1f}"
            f"{len(found.placements):>8}{len(found.alternates):>12}"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
