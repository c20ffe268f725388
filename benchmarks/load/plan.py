"""What run_load.py hands to the Locust scenario: the logins and ids of one seeded database.

Kept free of altmatch and Locust imports so both sides can read it cheaply.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

# Simulated users per role, as a share of all users: anonymous visitors of the path advisor
# and candidates are most of the traffic in a season, BoE staff fewer, coordinators a handful.
WEIGHTS: dict[str, int] = {"advisor": 4, "candidate": 4, "boe": 2, "coordinator": 1}
WHOLE_RUN = "whole run (ramp-up included, no sign-in)"  # the summary's row over everything
PLAN_ENV = "ALTMATCH_LOAD_PLAN"  # path of the plan's JSON file, for the locustfile
SUMMARY_ENV = "ALTMATCH_LOAD_SUMMARY"  # where the locustfile writes per-journey figures
STEADY_ENV = "ALTMATCH_LOAD_STEADY_SECONDS"  # measured seconds after everyone signed in
PROCESSES_ENV = "ALTMATCH_LOAD_PROCESSES"  # Locust processes, so each takes its own accounts


@dataclass(frozen=True)
class LoadPlan:
    """Who the simulated users sign in as, and the ids of what they look at."""

    password: str
    open_season: int  # requests can still be edited; its draft run is the coordinator's
    draft_run: int
    results_season: int  # published: candidates see their outcome and chance
    published_run: int
    candidates: list[str]
    boe_staff: list[str]
    coordinators: list[str]

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> LoadPlan:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def accounts_needed(users: int) -> dict[str, int]:
    """Accounts per signed-in role so that every simulated user of the role is a distinct
    person (Locust rounds each class's share; one spare covers the rounding)."""
    total = sum(WEIGHTS.values())
    return {role: math.ceil(users * w / total) + 1 for role, w in WEIGHTS.items()}
