"""Benchmark: simultaneous sign-ins against a real server, with today's password hashing beside
the hashing altmatch used before (argon2-cffi's default, RFC 9106's second profile).

Run: `.venv/bin/python benchmarks/bench_sign_in.py [--people 13] [--rounds 5]`

For each hasher: a fresh SQLite database (migrated, with `--people` candidate accounts whose
passwords were hashed by that hasher, so no sign-in rehashes), `altmatch serve` in its own
process on a free loopback port with that hasher, then `--rounds` rounds in which every person
signs in at the same moment (`POST /api/v1/session`, one thread each, behind a barrier). The
table gives one hash's time alone, and the sign-in latencies over every round: p50, p95 and max.
The server answers 200 to each, or the benchmark stops.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from argon2 import PasswordHasher

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.migrate import upgrade_database
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts import passwords
from altmatch.services.accounts.users import create_user

PASSWORD = "correct horse battery staple"
HASHERS = {
    "before: RFC 9106 second profile (t=3, 64 MiB, p=4)": "PasswordHasher()",
    "now: OWASP (t=2, 19 MiB, p=1)": "passwords.HASHER",
}
SERVE = """
import sys
import altmatch.services.accounts.passwords as passwords
from argon2 import PasswordHasher
passwords.HASHER = {hasher}
from altmatch.cli.root import app
app(["serve", "--port", sys.argv[1]])
"""


CURRENT = passwords.HASHER  # _seed swaps the module's hasher; this keeps today's


def _hasher(expression: str) -> PasswordHasher:
    return PasswordHasher() if expression == "PasswordHasher()" else CURRENT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _one_hash_ms(hasher: PasswordHasher) -> float:
    stored = hasher.hash(PASSWORD)
    start = time.perf_counter()
    for _ in range(10):
        hasher.verify(stored, PASSWORD)
    return (time.perf_counter() - start) * 100


def _seed(data_dir: Path, hasher: PasswordHasher, people: int) -> dict[str, str]:
    settings = Settings(data_dir=data_dir, database_url="")
    upgrade_database(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    passwords.HASHER = hasher
    emails = [f"person{n}@bench.example" for n in range(people)]
    for email in emails:
        create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=email,
            role=Role.CANDIDATE,
            password=PASSWORD,
        )
    engine.dispose()
    return {"ALTMATCH_DATA_DIR": str(data_dir), "ALTMATCH_DATABASE_URL": ""}


@contextmanager
def _server(env: dict[str, str], hasher: str, port: int, log: Path) -> Iterator[str]:
    code = SERVE.format(hasher=hasher)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(port)],
            env={**os.environ, **env, "ALTMATCH_SUPPORT_SWEEP_MINUTES": "0"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit(f"the server stopped:\n{log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/sign-in", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            raise SystemExit(f"the server did not start; see {log}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _sign_in(base: str, email: str) -> float:
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/session", data=body, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as answer:
        if answer.status != 200:
            raise SystemExit(f"sign-in answered {answer.status}")
    return time.perf_counter() - start


def _round(base: str, emails: list[str]) -> list[float]:
    barrier = threading.Barrier(len(emails))
    took: list[float] = []

    def person(email: str) -> None:
        barrier.wait()
        took.append(_sign_in(base, email))

    threads = [threading.Thread(target=person, args=(e,)) for e in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(took) != len(emails):
        raise SystemExit("a sign-in failed")
    return took


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=13)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.people} simultaneous sign-ins x {args.rounds} rounds, SQLite, one server process")
    print(f"{'hashing':<52} {'one hash':>9} {'p50':>7} {'p95':>7} {'max':>7}")
    for label, expression in HASHERS.items():
        hasher = _hasher(expression)
        with tempfile.TemporaryDirectory() as folder:
            env = _seed(Path(folder) / "data", hasher, args.people)
            emails = [f"person{n}@bench.example" for n in range(args.people)]
            with _server(env, expression, _free_port(), Path(folder) / "serve.log") as base:
                _round(base, emails[:2])  # warm the server's imports and pools
                took = [t for _ in range(args.rounds) for t in _round(base, emails)]
        print(
            f"{label:<52} {_one_hash_ms(hasher):>7.0f}ms {_p(took, 0.5):>6.2f}s "
            f"{_p(took, 0.95):>6.2f}s {max(took):>6.2f}s"
        )


if __name__ == "__main__":
    main()
