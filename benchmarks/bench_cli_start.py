"""Benchmark: how long an `altmatch` command takes to start, in a fresh interpreter each time.

Run: `.venv/bin/python benchmarks/bench_cli_start.py [--runs 5] [--before REF]`

Each row runs `altmatch ARGS` `--runs` times (a new process each time, as a shell does) and
prints the median wall time and how many modules the process loaded. With `--before REF` the
same rows run against the source at git revision REF (checked out into a temporary worktree and
put first on the path), so the table compares this version with that one: for issue 16, the
revision before commands were imported lazily.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (["--help"], ["version"], ["match", "--help"], ["users", "--help"])
PROGRAM = (
    "import sys\n"
    "from altmatch.cli import app\n"
    "try:\n"
    "    app(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(f'MODULES {len(sys.modules)}\\n')\n"
)


def time_command(
    args: list[str], src: Path, runs: int, program: str = PROGRAM
) -> tuple[float, int]:
    """Median wall time of `program ARGS` over `runs` fresh interpreters importing `src`, and
    how many modules the last one loaded (`program` writes `MODULES n` to stderr)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    times, modules = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", program, *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
        modules = int(done.stderr.rsplit("MODULES", 1)[-1].split()[0])
    return statistics.median(times), modules


@contextlib.contextmanager
def source_trees(before: str | None) -> Iterator[dict[str, Path]]:
    """{label: src folder}: this checkout, and with `before` that git revision first, checked out
    into a temporary worktree that is removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        if not before:
            yield {"now": ROOT / "src"}
            return
        worktree = Path(folder) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), before],
            check=True,
            capture_output=True,
        )
        try:
            yield {f"before ({before})": worktree / "src", "now": ROOT / "src"}
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                check=False,
                capture_output=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a git revision to compare with")
    args = parser.parse_args()
    with source_trees(args.before) as trees:
        print(f"{'command':<24}" + "".join(f"{label:>28}" for label in trees))
        for command in COMMANDS:
            cells = []
            for src in trees.values():
                seconds, modules = time_command(command, src, args.runs)
                cells.append(f"{seconds:>8.2f} s, {modules:>5} modules")
            line = "altmatch " + " ".join(command)
            print(f"{line:<24}" + "".join(f"{c:>28}" for c in cells))


if __name__ == "__main__":
    main()
