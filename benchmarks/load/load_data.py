"""Data the load test needs beyond `altmatch demo --db`, made through the services the CLI uses.

The demo has one account per role, but a load test needs many distinct people signed in at
once. So this adds, on a freshly seeded demo database:

- extra candidate accounts (as `altmatch users create --role candidate` makes them), each
  linked to an application in the open demo season by a candidates import with their email;
- extra BoE staff on the BoEs of the demo's four BoE personas (several people per BoE, so
  their request edits really race and the version check answers 409), and extra coordinators;
- a draft run in the open season (the coordinator's run review), and a second season with the
  demo's requests and candidates whose run is matched, given chances and published, so
  candidates see an outcome and their chance of placement.

Run it as `python load_data.py DATABASE_URL USERS PLAN.json` (run_load.py does).
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from plan import LoadPlan, accounts_needed
from sqlalchemy.orm import Session, sessionmaker

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.demo import DEMO_PASSWORD, generate_demo, personas

# The seeder's own file builders, so the results season holds exactly the demo's rows.
from altmatch.demo.seed_database import _candidates_csv, _organisations, _requests_csv
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.io.season_files import COLUMNS, UPLOAD_COLUMNS
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_user
from altmatch.services.season.imports import ImportOut, import_candidates, import_requests
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_chances, run_season_match
from altmatch.services.season.setup import list_seasons, open_season

Sessions = sessionmaker[Session]
LOAD_DOMAIN = "load.altmatch.example"  # reserved (RFC 2606): no mail can leave
MATCH_SEED = 8  # equal seeds, equal runs: both databases get the same outcome
CHANCE_RUNS = 50  # simulated seasons: a chance on every outcome, cheap to make


def prepare_load_data(database_url: str, users: int) -> LoadPlan:
    """Add the load test's accounts, runs and results season to a seeded demo database."""
    engine = make_engine(Settings(database_url=database_url))
    try:
        return _prepare(session_factory(engine), accounts_needed(users))
    finally:
        engine.dispose()


def _prepare(sessions: Sessions, needed: dict[str, int]) -> LoadPlan:
    cast = {p.key: p for p in personas()}
    coordinator = act_as(sessions, OPERATOR, cast["programme_coordinator"].login)
    open_id = min(season.id for season in list_seasons(sessions, coordinator))

    candidates = [p.login for p in personas() if p.role is Role.CANDIDATE]
    extra = [
        _user(sessions, f"load-candidate-{i:03d}@{LOAD_DOMAIN}", Role.CANDIDATE, None)
        for i in range(max(0, needed["candidate"] - len(candidates)))
    ]
    load_rows = _load_candidates_csv(extra)
    _committed(
        import_candidates(
            sessions, coordinator, open_id, content=load_rows, filename="load.csv", commit=True
        )
    )
    coordinators = [cast["programme_coordinator"].login] + [
        _user(sessions, f"load-coordinator-{i:02d}@{LOAD_DOMAIN}", Role.COORDINATOR, coordinator)
        for i in range(max(0, needed["coordinator"] - 1))
    ]
    draft = run_season_match(sessions, coordinator, open_id, seed=MATCH_SEED)
    results_id, published_id = _results_season(sessions, coordinator, load_rows)
    return LoadPlan(
        password=DEMO_PASSWORD,
        open_season=open_id,
        draft_run=draft.run.id,
        results_season=results_id,
        published_run=published_id,
        candidates=candidates + extra,
        boe_staff=_boe_staff(sessions, needed["boe"]),
        coordinators=coordinators,
    )


def _user(sessions: Sessions, email: str, role: Role, colleague: Actor | None) -> str:
    """One account, as `altmatch users create` makes it; staff join `colleague`'s organisation."""
    create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email.split("@", 1)[0],
        role=role,
        password=DEMO_PASSWORD,
        organisation_id=colleague.organisation_id if colleague else None,
    )
    return email


def _boe_staff(sessions: Sessions, wanted: int) -> list[str]:
    """The BoE personas and extra staff spread over the same BoEs, listed BoE by BoE, so that
    even a few simulated BoE users include colleagues who edit the same requests."""
    staff = [p.login for p in personas() if p.role is Role.BOE_STAFF]
    boes = [act_as(sessions, OPERATOR, login) for login in staff]
    by_boe = [[login] for login in staff]
    for i in range(max(0, wanted - len(staff))):
        email = f"load-boe-{i:03d}@{LOAD_DOMAIN}"
        by_boe[i % len(boes)].append(_user(sessions, email, Role.BOE_STAFF, boes[i % len(boes)]))
    return [login for colleagues in by_boe for login in colleagues]


def _load_candidates_csv(logins: list[str]) -> bytes:
    """An application for each extra candidate account, linked to it by its email."""
    required, optional = COLUMNS["candidates"]
    jlpt = ("none", "N5", "N4", "N3", "N2", "N1")
    places = ("Hyogo", "Osaka", "Nagano", "Hokkaido", "Tokyo", "Fukuoka", "Miyagi")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*required, *optional, *UPLOAD_COLUMNS["candidates"]))
    for i, login in enumerate(logins):
        writer.writerow(
            (
                f"L{i:05d}",
                jlpt[i % len(jlpt)],
                i % 6,
                "yes" if i % 3 else "no",
                "elementary" if i % 2 else "junior_high",
                60 + (i * 7) % 40,
                f"{places[i % 7]};{places[(i + 3) % 7]}",
                "urban" if i % 2 else "",
                "",
                "yes" if i % 4 else "no",
                f"Load Candidate {i}",
                login,
                "",
            )
        )
    return out.getvalue().encode("utf-8")


def _results_season(sessions: Sessions, coordinator: Actor, load_rows: bytes) -> tuple[int, int]:
    """A second season with the demo's requests and candidates plus the load candidates:
    matched, given chances and published. Returns (season id, published run id)."""
    demo = generate_demo()
    orgs, _ = _organisations(sessions, demo)  # finds the seeded organisations, adds none
    deadline = datetime.now(UTC) + timedelta(days=30)
    season = open_season(
        sessions,
        coordinator,
        name="Load test: published season",
        year=deadline.year,
        request_deadline=deadline,
        contract_start=(deadline + timedelta(days=120)).date(),
    )
    requests = _requests_csv(demo, orgs)
    _committed(
        import_requests(
            sessions, coordinator, season.id, content=requests, filename="r.csv", commit=True
        )
    )
    candidates = _candidates_csv(demo) + load_rows.split(b"\n", 1)[1]
    _committed(
        import_candidates(
            sessions, coordinator, season.id, content=candidates, filename="c.csv", commit=True
        )
    )
    run = run_season_match(sessions, coordinator, season.id, seed=MATCH_SEED).run.id
    run_season_chances(sessions, coordinator, season.id, run, runs=CHANCE_RUNS)
    publish_run(sessions, coordinator, season.id, run)
    return season.id, run


def _committed(result: ImportOut) -> None:
    if not result.committed:
        problems = "; ".join(f"{e.row}:{e.column}: {e.message}" for e in result.errors[:5])
        raise RuntimeError(f"the load test's import was refused: {problems}")


def main(argv: list[str]) -> None:
    database_url, users, plan_path = argv
    prepare_load_data(database_url, int(users)).write(Path(plan_path))


if __name__ == "__main__":
    main(sys.argv[1:])
