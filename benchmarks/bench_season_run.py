"""Benchmark: the coordinator's match of the demo season as the web app runs it, what each stored
run costs the database, and whether the BoE and candidate pages slow down as runs accumulate.

Run: `.venv/bin/python benchmarks/bench_season_run.py [--runs 10] [--before REF]`

Each tree (this checkout, and with `--before REF` the source at git revision REF in a temporary
worktree) gets a fresh SQLite database seeded by its own `altmatch demo --db` (6,000 candidates,
657 requests), in a process of its own. The coordinator then matches the open season `--runs`
times through `run_season_match`, the service behind the web match job, recording each stage's
time (the stages the job page shows) and the database's growth per stored run (the bytes its pages
hold after a checkpoint; the first run also stores the season's inputs, which later runs of an
unchanged season share). Pages: the BoE's placements view (`season_placements`) and a
candidate's application with its outcome (`my_application`) are timed after publishing a run
with one stored run, and again with `--runs` stored runs (median of `--repeat`), the same run
(seed 100) published in both, each database timed in a fresh process. The process's
peak RSS is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, resource, statistics, sys, time
from pathlib import Path
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season import runs as season_runs
from altmatch.services.season.applications import my_application
from altmatch.services.season.publish import publish_run
from altmatch.services.season.results import season_placements
from altmatch.services.season.setup import list_seasons

path, runs, repeat = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
COORDINATOR = "programme_coordinator@demo.altmatch.example"
BOE = "kobe_boe_staff@demo.altmatch.example"
CANDIDATE = "candidate_emily@demo.altmatch.example"


def open_db(file):
    engine = make_engine(Settings(database_url=f"sqlite:///{file}"))
    return engine, session_factory(engine)


def match(sessions, season_id, seed):
    stages, last = {}, [None, time.perf_counter()]

    def progress(stage):
        now = time.perf_counter()
        if last[0] is not None:
            stages[last[0]] = stages.get(last[0], 0.0) + now - last[1]
        last[0], last[1] = stage, now

    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    start = time.perf_counter()
    run = season_runs.run_season_match(
        sessions, coordinator, season_id, seed=seed, progress=progress
    )
    end = time.perf_counter()
    stages[last[0]] = stages.get(last[0], 0.0) + end - last[1]
    return run.run.id, end - start, stages


copy = path.with_name("copy.sqlite3")
engine, sessions = open_db(path)
season_id = min(s.id for s in list_seasons(sessions, act_as(sessions, OPERATOR, COORDINATOR)))
engine.dispose()
shutil_copy = __import__("shutil").copyfile
shutil_copy(path, copy)

def used_bytes(engine):
    # The bytes the database's pages hold, after moving the write-ahead log into the file: a
    # run's writes sit in the -wal file until a checkpoint, so the file's size alone lags.
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        free = connection.exec_driver_sql("PRAGMA freelist_count").scalar()
        size = connection.exec_driver_sql("PRAGMA page_size").scalar()
    return (pages - free) * size


engine, sessions = open_db(path)
size = used_bytes(engine)
totals, growth, stage_sum, first_run = [], [], {}, None
for i in range(runs):
    run_id, total, stages = match(sessions, season_id, 100 + i)
    first_run = first_run or run_id
    totals.append(total)
    for k, v in stages.items():
        stage_sum.setdefault(k, []).append(v)
    now = used_bytes(engine)
    growth.append(now - size)
    size = now
# The same run (seed 100) is published in both databases, so the pages show the same outcome and
# only the number of stored runs differs.
publish_run(sessions, act_as(sessions, OPERATOR, COORDINATOR), season_id, first_run)
engine.dispose()

engine, sessions = open_db(copy)
one_run, _, _ = match(sessions, season_id, 100)
publish_run(sessions, act_as(sessions, OPERATOR, COORDINATOR), season_id, one_run)
engine.dispose()

print("RESULT " + json.dumps({
    "match": statistics.median(totals),
    "stages": {k: statistics.median(v) for k, v in stage_sum.items()},
    "growth": statistics.median(growth),
    "growth_first": growth[0],
    "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


# The pages are timed in a fresh process per database: in the process that stored the runs, the
# garbage collector's work grows with what that process holds, not with the database.
PAGES = r"""
import json, statistics, sys, time
from pathlib import Path
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.applications import my_application
from altmatch.services.season.results import season_placements
from altmatch.services.season.setup import list_seasons

path, repeat = Path(sys.argv[1]), int(sys.argv[2])
COORDINATOR = "programme_coordinator@demo.altmatch.example"
BOE = "kobe_boe_staff@demo.altmatch.example"
CANDIDATE = "candidate_emily@demo.altmatch.example"
engine = make_engine(Settings(database_url=f"sqlite:///{path}"))
sessions = session_factory(engine)
season_id = min(s.id for s in list_seasons(sessions, act_as(sessions, OPERATOR, COORDINATOR)))


def pages(sessions, season_id):
    boe = act_as(sessions, OPERATOR, BOE)
    candidate = act_as(sessions, OPERATOR, CANDIDATE)
    out = {}
    for label, call in (
        ("boe", lambda: season_placements(sessions, boe, season_id)),
        ("candidate", lambda: my_application(sessions, candidate, season_id)),
    ):
        call()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        out[label] = statistics.median(times)
    return out


print("PAGES " + json.dumps(pages(sessions, season_id)))
"""


def _pages(db: Path, repeat: int, env: dict[str, str]) -> object:
    done = subprocess.run(
        [sys.executable, "-c", PAGES, str(db), str(repeat)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("PAGES "))
    return json.loads(line.removeprefix("PAGES "))


def _measure(src: Path, folder: Path, runs: int, repeat: int) -> dict[str, object]:
    db = folder / "bench.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "ALTMATCH_DATABASE_URL": f"sqlite:///{db}",
        "ALTMATCH_DATA_DIR": str(folder),
    }
    subprocess.run(
        [sys.executable, "-c", "from altmatch.cli import app; app()", "demo", "--db"],
        env=env,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(db), str(runs), str(repeat)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, object] = json.loads(line.removeprefix("RESULT "))
    result["pages_one"] = _pages(db.with_name("copy.sqlite3"), repeat, env)
    result["pages_many"] = _pages(db, repeat, env)
    return result


def _table(results: dict[str, dict[str, object]], runs: int) -> None:
    labels = list(results)
    print(f"{'measure':<44}" + "".join(f"{label:>22}" for label in labels))

    def row(name: str, cells: list[str]) -> None:
        print(f"{name:<44}" + "".join(f"{c:>22}" for c in cells))

    row("match job, start to finished (median)", [f"{r['match']:.2f} s" for r in results.values()])
    stages = list(dict.fromkeys(s for r in results.values() for s in r["stages"]))  # type: ignore[attr-defined]
    for stage in stages:
        row(
            f"  {stage}",
            [f"{r['stages'].get(stage, 0.0):.2f} s" for r in results.values()],  # type: ignore[attr-defined]
        )
    row(
        "database growth, first stored run",
        [f"{r['growth_first'] / 1e6:.2f} MB" for r in results.values()],  # type: ignore[operator]
    )
    row(
        "database growth per stored run (median)",
        [f"{r['growth'] / 1e6:.2f} MB" for r in results.values()],  # type: ignore[operator]
    )
    for page in ("boe", "candidate"):
        row(
            f"{page} page, 1 run stored",
            [f"{r['pages_one'][page] * 1000:.1f} ms" for r in results.values()],  # type: ignore[index]
        )
        row(
            f"{page} page, {runs} runs stored",
            [f"{r['pages_many'][page] * 1000:.1f} ms" for r in results.values()],  # type: ignore[index]
        )
    row("peak RSS of the process", [f"{r['rss']:.0f} MiB" for r in results.values()])
    _ = labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", help="a git revision to compare with")
    args = parser.parse_args()
    trees = {"now": ROOT / "src"}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        worktree = base / "before"
        if args.before:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.before],
                check=True,
                capture_output=True,
            )
            trees = {f"before ({args.before})": worktree / "src", **trees}
        try:
            results = {}
            for i, (label, src) in enumerate(trees.items()):
                place = base / f"tree{i}"
                place.mkdir()
                results[label] = _measure(src, place, args.runs, args.repeat)
                shutil.rmtree(place)
            _table(results, args.runs)
        finally:
            if args.before:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                    check=False,
                    capture_output=True,
                )


if __name__ == "__main__":
    main()
