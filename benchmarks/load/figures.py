"""Per-journey figures of a Locust run, from the moment every simulated user is signed in.

Signing in is slow on purpose (Argon2) and happens once per user, all during the ramp-up, so
the figures that matter are those of the steady state after it: every request that started
once all users were spawned and signed in. Sign-ins are summed apart, over the whole run.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import gevent
from locust.env import Environment
from plan import STEADY_ENV, WHOLE_RUN

CONFLICT = " (409)"  # suffix of the name under which a lost edit race is counted


class Recorder:
    """Each request's journey, start, duration and outcome, and when the steady state began."""

    def __init__(self) -> None:
        self.samples: list[tuple[str, float, float, bool, bool]] = []
        self.spawned = False
        self.signing_in = 0
        self.steady_from: float | None = None
        self.started = self.ended = time.time()
        self.environment: Environment | None = None

    def on_request(self, name: str, start: float, ms: float, failed: bool) -> None:
        conflict = name.endswith(CONFLICT)
        self.samples.append((journey_of(name), start, ms, failed, conflict))

    def check_steady(self) -> None:
        """Start the measured window once all are signed in; stop Locust when it is over."""
        if self.spawned and self.signing_in == 0 and self.steady_from is None:
            self.steady_from = time.time()
            seconds = float(os.environ.get(STEADY_ENV, "0"))
            if seconds > 0 and self.environment is not None:
                gevent.spawn_later(seconds, self.environment.runner.quit)

    def summary(self) -> dict[str, Any]:
        end = self.ended
        steady_from = self.steady_from or end
        rows: dict[str, list[tuple[float, bool, bool]]] = {}
        for journey, start, ms, failed, conflict in self.samples:
            if journey == "sign-in":
                rows.setdefault("sign-in", []).append((ms, failed, conflict))
            elif start >= steady_from:
                rows.setdefault(journey, []).append((ms, failed, conflict))
                rows.setdefault("all", []).append((ms, failed, conflict))
        rows[WHOLE_RUN] = [(ms, f, c) for j, _s, ms, f, c in self.samples if j != "sign-in"]
        steady = max(end - steady_from, 1e-9)
        whole = max(end - self.started, 1e-9)
        return {
            "steady_seconds": end - steady_from,
            "ramp_up_seconds": steady_from - self.started,
            "journeys": {
                name: figures(found, whole if name in ("sign-in", WHOLE_RUN) else steady)
                for name, found in rows.items()
            },
        }


def journey_of(name: str) -> str:
    return name[1 : name.index("]")] if name.startswith("[") and "]" in name else "other"


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted response times."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def figures(found: list[tuple[float, bool, bool]], seconds: float) -> dict[str, float]:
    times = sorted(ms for ms, _f, _c in found)
    return {
        "requests": len(found),
        "rps": len(found) / seconds,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "max": times[-1] if times else 0.0,
        "failures": sum(1 for _ms, failed, _c in found if failed),
        "conflicts": sum(1 for _ms, _f, conflict in found if conflict),
    }
