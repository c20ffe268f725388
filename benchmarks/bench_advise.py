"""Benchmark: `altmatch advise --json`, and the first engine command after an install.

Run: `.venv/bin/python benchmarks/bench_advise.py [--runs 5] [--cold 1] [--before REF]`

The first table times `altmatch advise --json examples/profile.yaml` in a fresh interpreter
(median of `--runs`): as shipped, reading the edition's precomputed JET calibration, and with
that calibration ignored, so that every call simulates the synthetic season as before issue 16
(the program replaces `jet_calibration.shipped` before it runs the command). `--before REF` adds
the source at git revision REF (see bench_cli_start.py).

The second table times `altmatch chances` and `altmatch match` on a demo season
(`altmatch demo --candidates 600`): the first run in an empty NUMBA_CACHE_DIR, without and after
the warm-up `make install` runs (`python -m altmatch.engine.warm`), against the median warm run.
Each first run has a cache folder of its own; `--cold N` takes the median of N such runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_cli_start import PROGRAM, ROOT, source_trees, time_command

PROFILE = ROOT / "examples" / "profile.yaml"
SIMULATING = (
    "from altmatch.services.advice import jet_calibration\n"
    "jet_calibration.shipped = lambda edition: {}\n" + PROGRAM
)
COMMANDS = {
    "chances": ["chances", "--seed", "1"],
    "match": ["match", "--seed", "1"],
}


def advise_table(runs: int, before: str | None) -> None:
    args = ["advise", "--json", str(PROFILE)]
    print(f"altmatch advise --json {PROFILE.relative_to(ROOT)}: median of {runs} fresh processes")
    print(f"{'':<44}{'wall':>10}{'modules':>10}")
    with source_trees(before) as trees:
        rows = [(f"{label}: shipped calibration", src, PROGRAM) for label, src in trees.items()]
        rows.append(("now: simulating per call (as before issue 16)", ROOT / "src", SIMULATING))
        for label, src, program in rows:
            seconds, modules = time_command(args, src, runs, program)
            print(f"{label:<44}{seconds:>8.2f} s{modules:>10}")


def seconds(args: list[str], cache: Path) -> float:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - start


def first_run_table(runs: int, cold: int, folder: Path) -> None:
    season = folder / "season"
    subprocess.run(
        [sys.executable, "-m", "altmatch", "demo", "--out", str(season), "--candidates", "600"],
        check=True,
        capture_output=True,
    )
    outputs = iter(range(10**6))

    def command(name: str) -> list[str]:
        out = folder / f"out{next(outputs)}"
        return ["-m", "altmatch", *COMMANDS[name], "--season", str(season), "--out", str(out)]

    warm_up = ["-m", "altmatch.engine.warm"]
    print()
    print("First run after install vs warm, demo season of 600 candidates; an empty")
    print(f"NUMBA_CACHE_DIR per first run (median of {cold}), warm runs: median of {runs}")
    print(
        f"{'command':<18}{'warm-up':<10}{'warm-up time':>14}{'first':>10}{'warm':>10}{'extra':>10}"
    )
    for name in COMMANDS:
        for warmed in (False, True):
            firsts, warm_ups, warms = [], [], []
            for trial in range(cold):
                cache = folder / f"cache-{name}-{warmed}-{trial}"
                if warmed:
                    warm_ups.append(seconds(warm_up, cache))
                firsts.append(seconds(command(name), cache))
                if trial == 0:
                    warms = [seconds(command(name), cache) for _ in range(runs)]
            first, warm = statistics.median(firsts), statistics.median(warms)
            made = f"{statistics.median(warm_ups):>12.2f} s" if warmed else f"{'':>14}"
            print(
                f"{'altmatch ' + name:<18}{'yes' if warmed else 'no':<10}{made}"
                f"{first:>8.2f} s{warm:>8.2f} s{first - warm:>+8.2f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per median")
    parser.add_argument("--cold", type=int, default=1, help="first runs per median")
    parser.add_argument("--before", help="a git revision to compare `advise` with")
    args = parser.parse_args()
    advise_table(args.runs, args.before)
    with tempfile.TemporaryDirectory() as folder:
        first_run_table(args.runs, args.cold, Path(folder))


if __name__ == "__main__":
    main()
