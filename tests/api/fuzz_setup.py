"""The world the API fuzzer runs against: the demo seeded into a temporary database, one
signed-in session per role, and the ids that exist in it (so fuzzed paths reach real rows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.demo import DEMO_PASSWORD, generate_demo
from altmatch.demo.personas import LOGIN_DOMAIN
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import Role
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

SESSION_COOKIE = "altmatch_session"
# What a same-origin script sends on unsafe methods so the CSRF check lets it through
# (web/csrf.py); sent on every request, it changes nothing for safe ones.
SAME_ORIGIN = {"Origin": "http://testserver"}
DEMO_CANDIDATES = 60  # a small season: the seed takes a few seconds, every id still resolves

# The persona each role signs in as (src/altmatch/demo/personas.py); None is anonymous.
PERSONAS: Mapping[str, str | None] = {
    Role.ADMIN.value: "administrator",
    Role.COORDINATOR.value: "programme_coordinator",
    Role.BOE_STAFF.value: "kobe_boe_staff",
    Role.COMPANY_STAFF.value: "sakura_company_staff",
    Role.CANDIDATE.value: "candidate_emily",
    Role.ALT.value: "alt_james",
    "anonymous": None,
}

# Path parameter → the table whose ids it names. The fuzzer picks real ids most of the time.
ID_TABLES: Mapping[str, str] = {
    "season_id": "seasons",
    "request_id": "season_requests",
    "candidate_id": "season_candidates",
    "run_id": "match_runs",
    "job_id": "jobs",
    "boe_id": "organisations",
    "org_id": "organisations",
    "contract_id": "dispatch_contracts",
    "tender_id": "tenders",
    "alt_id": "roster_alts",
    "transfer_id": "transfer_requests",
    "posting_id": "postings",
    "application_id": "posting_applications",
    "case_id": "support_cases",
    "attachment_id": "case_attachments",
    "notification_id": "notifications",
}


@dataclass(frozen=True)
class FuzzWorld:
    app: FastAPI
    cookies: Mapping[str, Mapping[str, str]]  # role → the cookies of its session

    def existing_ids(self, parameter: str) -> list[int | str]:
        """Ids the path parameter can name right now (rows the fuzzer made count too)."""
        if parameter == "token":
            query = "SELECT token FROM saved_advice ORDER BY id LIMIT 50"
        elif parameter in ID_TABLES:
            query = f"SELECT id FROM {ID_TABLES[parameter]} ORDER BY id LIMIT 200"
        else:
            return []
        sessions: Sessions = self.app.state.sessions
        with sessions() as session:
            return [row[0] for row in session.execute(text(query))]


def build_world(data_dir: Path) -> FuzzWorld:
    """Seed the demo (as `altmatch demo --db` does), run the lifespan, sign every persona in."""
    settings = Settings(data_dir=data_dir)
    prepare_installation(settings)
    app = create_app(settings)
    sessions: Sessions = app.state.sessions
    demo = generate_demo(candidates=DEMO_CANDIDATES)
    seed_demo_database(sessions, demo)
    logins = {p.key: p.login for p in demo.personas}
    cookies: dict[str, dict[str, str]] = {}
    with TestClient(app) as client:
        for role, key in PERSONAS.items():
            client.cookies.clear()
            if key is None:
                cookies[role] = {}
                continue
            response = client.post(
                "/api/v1/session",
                json={"email": logins[key], "password": DEMO_PASSWORD},
                headers=SAME_ORIGIN,
            )
            assert response.status_code == 200, response.text
            token = client.cookies.get(SESSION_COOKIE)
            assert token
            cookies[role] = {SESSION_COOKIE: token}
    return FuzzWorld(app=app, cookies=cookies)


def fresh_session(app: FastAPI, role: str) -> dict[str, str]:
    """The cookies of a new session of `role`'s persona, for a call that may end it."""
    key = PERSONAS[role]
    assert key is not None
    # The fuzzed POST /session fails sign-ins on purpose until the rate limit (429) holds;
    # forget those attempts, or this persona's own sign-in would be refused too.
    sessions: Sessions = app.state.sessions
    with sessions.begin() as session:
        session.execute(text("DELETE FROM login_attempts"))
    client = TestClient(app)  # no `with`: the app's lifespan already ran
    response = client.post(
        "/api/v1/session",
        json={"email": f"{key}@{LOGIN_DOMAIN}", "password": DEMO_PASSWORD},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 200, response.text
    token = client.cookies.get(SESSION_COOKIE)
    assert token
    return {SESSION_COOKIE: token}
