"""Load test: the real journeys (locustfile.py) against the demo, on SQLite and on PostgreSQL.

Run: `.venv/bin/python benchmarks/load/run_load.py [--users 50] [--duration 60s]
[--databases sqlite,postgresql] [--workers 4]`

For each database: a fresh one (SQLite in a temporary folder; PostgreSQL: a new database on
127.0.0.1:5432, dropped afterwards), seeded with `altmatch demo --db` plus the load test's
accounts and runs (load_data.py); the app on loopback (SQLite: one worker, what a small
installation runs; PostgreSQL: --workers); Locust headless; then a table per journey of the
steady state after everyone has signed in: requests, req/s, p50/p95/p99/max, failures and
409s (a lost edit race, counted as a success). Servers are stopped and the database dropped
whatever happens, Ctrl-C included. Logs and Locust's CSV files stay in --out.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
from plan import PLAN_ENV, PROCESSES_ENV, STEADY_ENV, SUMMARY_ENV, WHOLE_RUN

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # the virtualenv's bin: altmatch, uvicorn, locust
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# How the app is started: "uvicorn" runs `uvicorn --factory altmatch.web.app:create_app
# --workers N`; "altmatch" runs `altmatch serve --workers N` (the way operators start it).
SERVER = "altmatch"
RAMP_UP_ALLOWANCE = 300  # seconds Locust may take to start and sign everyone in
WORKER_DIED = (
    "'died': uvicorn's supervisor killed a worker that did not answer its health check within "
    "5 s (--timeout-worker-healthcheck): at start-up on a busy machine, or while one request "
    "held the GIL; requests in flight on it were lost"
)
JOURNEYS = ("advisor", "candidate", "boe", "coordinator", "all", "sign-in")


@dataclass
class Outcome:
    """One database's run: per-journey figures, the slowest endpoints and what went wrong."""

    database: str
    workers: int
    users: int
    summary: dict[str, object]
    endpoints: list[dict[str, str]]
    failures: list[dict[str, str]]
    server_errors: list[str]
    cpu: dict[str, float] = field(default_factory=dict)


def main() -> None:
    args = _arguments()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up as Ctrl-C does
    out = Path(args.out or tempfile.mkdtemp(prefix="altmatch-load-"))
    out.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for database in args.databases.split(","):
        workers = 1 if database == "sqlite" else args.workers
        print(f"== {database}: seeding, then {args.users} users for {args.duration:.0f} s ...")
        outcomes.append(run_one(database, workers, args, out / database))
    table = render(outcomes)
    print(table)
    (out / "results.txt").write_text(table, encoding="utf-8")
    print(f"(logs, Locust CSV files and results.txt in {out})")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument(
        "--duration", type=seconds, default="60s", help="measured time after sign-in: 60s, 2m"
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=4, help="app workers on PostgreSQL")
    parser.add_argument("--server", choices=("uvicorn", "altmatch"), default=SERVER)
    parser.add_argument("--wait", default="0.5,2", help="think time between clicks, in seconds")
    parser.add_argument(
        "--skip",
        default="",
        help="Locust tags to leave out, e.g. `placements` (the published placements views)",
    )
    parser.add_argument("--out", help="folder for logs and CSV files (default: a new temp one)")
    args = parser.parse_args()
    unknown = set(args.databases.split(",")) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    return args


def seconds(text: str) -> float:
    """'90', '90s' or '1.5m' in seconds."""
    scale = 60.0 if text.endswith("m") else 1.0
    return float(text.rstrip("sm")) * scale


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_one(database: str, workers: int, args: argparse.Namespace, folder: Path) -> Outcome:
    """Seed a fresh database, serve it, load it, and clean everything up."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as cleanup:
        data = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="altmatch-load-")))
        if database == "sqlite":
            url = f"sqlite:///{data / 'altmatch.sqlite3'}"
        else:
            url = cleanup.enter_context(postgres_database())
        env = os.environ | {
            "ALTMATCH_DATABASE_URL": url,
            "ALTMATCH_DATA_DIR": str(data),  # nothing lands in the checkout's var/
            "PYTHONUNBUFFERED": "1",
        }
        _step([str(BIN / "altmatch"), "demo", "--db"], env, folder / "seed.log")
        plan = folder / "plan.json"
        setup = [sys.executable, str(HERE / "load_data.py"), url, str(args.users), str(plan)]
        _step(setup, env, folder / "seed.log")
        port = free_port()
        server = cleanup.enter_context(serving(args.server, workers, port, env, folder))
        wait_until_up(port, server)
        summary, cpu = run_locust(args, port, plan, folder)
        cpu["server"] = tree_cpu_seconds(server)
    return Outcome(
        database=database,
        workers=workers,
        users=args.users,
        summary=summary,
        endpoints=_csv_rows(folder / "locust_stats.csv"),
        failures=_csv_rows(folder / "locust_failures.csv"),
        server_errors=server_errors(folder / "server.log"),
        cpu=cpu,
    )


def _step(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as sink:
        sink.write(f"$ {' '.join(command)}\n")
        sink.flush()
        done = subprocess.run(command, env=env, stdout=sink, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{command[1]} failed (exit {done.returncode}); see {log}")


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for this run; dropped on the way out."""
    name = f"altmatch_load_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_command(server: str, workers: int, port: int) -> list[str]:
    if server == "altmatch":
        return [str(BIN / "altmatch"), "serve", "--port", str(port), "--workers", str(workers)]
    factory = "altmatch.web.app:create_app"
    where = ["--host", "127.0.0.1", "--port", str(port)]
    return [str(BIN / "uvicorn"), "--factory", factory, *where, "--workers", str(workers)]


@contextlib.contextmanager
def serving(
    server: str, workers: int, port: int, env: dict[str, str], folder: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """The app in its own process group, so stopping it stops every worker."""
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        server_command(server, workers, port),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the app stopped (exit {server.returncode}); see server.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/advisor", timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the app did not answer on port {port} within {timeout:.0f} s")


def run_locust(
    args: argparse.Namespace, port: int, plan: Path, folder: Path
) -> tuple[dict[str, object], dict[str, float]]:
    """Locust, headless, in one process (see the README's load test paragraph for why)."""
    summary_path = folder / "summary.json"
    env = os.environ | {
        PLAN_ENV: str(plan),
        SUMMARY_ENV: str(summary_path),
        PROCESSES_ENV: "1",
        STEADY_ENV: str(args.duration),
        "ALTMATCH_LOAD_WAIT": args.wait,
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",  # a cap: the locustfile stops after --duration of steady state
        f"{args.duration + RAMP_UP_ALLOWANCE:.0f}s",
        "--csv",
        str(folder / "locust"),
        "--only-summary",
        "--exit-code-on-error",
        "0",
    ]
    if args.skip:
        command += ["--exclude-tags", *args.skip.split(",")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with (folder / "locust.log").open("wb") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if not summary_path.exists():
        raise SystemExit(f"Locust wrote no summary; see {folder / 'locust.log'}")
    summary: dict[str, object] = json.loads(summary_path.read_text(encoding="utf-8"))
    return summary, {"locust": cpu, "wall": elapsed}


def tree_cpu_seconds(process: subprocess.Popen[bytes]) -> float:
    """CPU time used so far by the app: its main process and every worker."""
    try:
        root = psutil.Process(process.pid)
        total = 0.0
        for each in [root, *root.children(recursive=True)]:
            times = each.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return 0.0


def _csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def server_errors(log: Path) -> list[str]:
    """What the server log says went wrong: 5xx answers, workers that uvicorn's supervisor
    found unresponsive and killed (their in-flight requests are lost), and tracebacks. A
    client that hung up mid-request (ClientDisconnect, as Locust does when it stops) is not
    the server's fault and is left out."""
    found: list[str] = []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines):
        if ('" 5' in line and "HTTP/1.1" in line) or line.endswith(" died"):
            found.append(line.strip())
        if line.startswith("Traceback"):
            end = next(
                (i for i in range(number + 1, len(lines)) if not lines[i].startswith(" ")),
                len(lines) - 1,
            )
            if "ClientDisconnect" not in lines[end]:
                found.append("\n".join(lines[number : end + 1][-24:]))
    return found


# --- the table ------------------------------------------------------------------------------


def render(outcomes: list[Outcome]) -> str:
    head = (
        f"{'database':<11}{'workers':>8}{'users':>6}  {'journey':<13}{'requests':>9}"
        f"{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}{'fail':>6}{'409s':>6}"
    )
    lines = [
        "Steady state after all users signed in (times in ms; sign-in over the whole run):",
        head,
        "-" * len(head),
    ]
    for o in outcomes:
        journeys: dict[str, dict[str, float]] = o.summary["journeys"]  # type: ignore[assignment]
        for name in (*JOURNEYS, WHOLE_RUN):
            f = journeys.get(name)
            if f is None:
                continue
            label = "whole run" if name == WHOLE_RUN else name
            lines.append(
                f"{o.database:<11}{o.workers:>8}{o.users:>6}  {label:<13}{f['requests']:>9.0f}"
                f"{f['rps']:>8.1f}{f['p50']:>7.0f}{f['p95']:>7.0f}{f['p99']:>7.0f}"
                f"{f['max']:>8.0f}{f['failures']:>6.0f}{f['conflicts']:>6.0f}"
            )
        lines.append("")
    for o in outcomes:
        steady = float(o.summary.get("steady_seconds", 0.0))  # type: ignore[arg-type]
        ramp = float(o.summary.get("ramp_up_seconds", 0.0))  # type: ignore[arg-type]
        lines.append(
            f"{o.database}: ramp-up and sign-in {ramp:.0f} s, steady state {steady:.0f} s; "
            f"CPU seconds: app {o.cpu.get('server', 0):.0f}, Locust {o.cpu.get('locust', 0):.0f} "
            f"in {o.cpu.get('wall', 0):.0f} s"
        )
        lines += _slowest(o) + _problems(o)
    return "\n".join(lines) + "\n"


def _slowest(o: Outcome, count: int = 8) -> list[str]:
    rows = [r for r in o.endpoints if r.get("Name") != "Aggregated"]
    rows.sort(key=lambda r: float(r.get("95%") or 0), reverse=True)
    out = [f"  slowest endpoints on {o.database} (whole run, Locust CSV): p95 / p99 ms, count"]
    for r in rows[:count]:
        out.append(f"    {r['95%']:>6} / {r['99%']:>6}  {r['Request Count']:>6}  {r['Name']}")
    return out


def _problems(o: Outcome) -> list[str]:
    out = [
        f"  failure: {r['Occurrences']}x {r['Method']} {r['Name']}: {r['Error']}"
        for r in o.failures
    ]
    if o.server_errors:
        out.append(f"  server errors in server.log: {len(o.server_errors)}; the first ones:")
        out += ["    " + error.replace("\n", "\n    ") for error in o.server_errors[:3]]
    if any(error.endswith(" died") for error in o.server_errors):
        out.append(f"  ({WORKER_DIED})")
    return out


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: servers stopped, databases dropped", file=sys.stderr)
        sys.exit(130)
