"""The load scenario: altmatch's real journeys, mixed as in a placement season.

- advisor: anonymous visitors of the path advisor, its page and its JSON API, with varied
  profiles, sometimes saving a comparison and opening it again, and the public jobs board;
- candidate: signs in once, then reads their application in the open season and their outcome
  and chance of placement in the published one (pages and JSON), their postings applications;
- boe: BoE staff sign in once, read their requests and placements and edit a request with the
  version they read. Several staff share a BoE, so edits race: a 409 is the correct answer to
  a stale version, counted as a success under its own name ending in "(409)";
- coordinator: the season dashboards, run reviews and the exports behind their links.

Every request is named "[journey] METHOD /path/{template}", so the figures group by journey.
Sign-in (Argon2, slow on purpose) happens once per simulated user, under "[sign-in] …". The
published placements views are tagged `placements` (`--exclude-tags placements`).
run_load.py sets ALTMATCH_LOAD_PLAN (logins and ids, see plan.py), ALTMATCH_LOAD_SUMMARY
(where the per-journey figures of the steady state go when Locust quits) and
ALTMATCH_LOAD_STEADY_SECONDS (how long to measure once everyone is signed in). The summary
needs one Locust process; Locust's own CSV files are right with `--processes` too.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gevent
from figures import CONFLICT, Recorder
from inputs import advisor_form, edited, random_profile
from locust import between, events, tag, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner
from plan import PLAN_ENV, PROCESSES_ENV, SUMMARY_ENV, WEIGHTS, LoadPlan

PLAN = LoadPlan.read(Path(os.environ[PLAN_ENV]))
_low, _high = (float(x) for x in os.environ.get("ALTMATCH_LOAD_WAIT", "0.5,2").split(","))
THINK = between(_low, _high)  # seconds a person spends reading between two clicks
# The published placements (page, API): tagged so `--exclude-tags placements` can leave them out.
PLACEMENTS = "placements"
_STARTED: dict[str, itertools.count[int]] = {}  # users started so far in this process, by role


def _origin(host: str | None) -> dict[str, str]:
    """What a browser sends on POST/PUT: the CSRF check wants the app's own origin."""
    return {"Origin": (host or "").rstrip("/")}


def _form(host: str | None) -> dict[str, str]:
    return _origin(host) | {"Content-Type": "application/x-www-form-urlencoded"}


class Visitor(FastHttpUser):
    abstract = True
    wait_time = THINK

    def post(self, path: str, name: str, **kwargs: Any) -> Any:
        return self.client.post(path, name=name, headers=_origin(self.host), **kwargs)


class SignedIn(Visitor):
    """A user who signs in once, as the next account of their role in the plan."""

    abstract = True
    role = ""

    def get(self, path: str, name: str) -> Any:
        """GET that must answer 200 itself: a redirect (to /sign-in) counts as a failure."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    def accounts(self) -> list[str]:
        raise NotImplementedError

    def on_start(self) -> None:
        logins = self.accounts()
        # With several Locust processes, process i takes accounts i, i+P, i+2P, ...
        processes = int(os.environ.get(PROCESSES_ENV, "1"))
        index = getattr(self.environment.runner, "worker_index", 0)
        nth = next(_STARTED.setdefault(self.role, itertools.count()))
        email = logins[(nth * processes + index) % len(logins)]
        body = {"email": email, "password": PLAN.password}
        RECORDER.signing_in += 1
        try:
            self.post("/api/v1/session", f"[sign-in] POST /api/v1/session ({self.role})", json=body)
        finally:
            RECORDER.signing_in -= 1
            RECORDER.check_steady()


# --- anonymous visitors of the path advisor -------------------------------------------------


class AdvisorVisitor(Visitor):
    weight = WEIGHTS["advisor"]

    @task(3)
    def advisor_page(self) -> None:
        self.client.get("/advisor", name="[advisor] GET /advisor")
        form = advisor_form(random_profile(random.Random()))
        self.client.post(
            "/advisor",
            name="[advisor] POST /advisor",
            data=urlencode(form),
            headers=_form(self.host),
        )

    @task(4)
    def advice_api(self) -> None:
        profile = random_profile(random.Random())
        self.post("/api/v1/advice", "[advisor] POST /api/v1/advice", json=profile)

    @task(1)
    def options(self) -> None:
        self.client.get("/api/v1/advice/options", name="[advisor] GET /api/v1/advice/options")

    @task(1)
    def save_and_reopen(self) -> None:
        profile = random_profile(random.Random())
        saved = self.post(
            "/api/v1/advice/saved", "[advisor] POST /api/v1/advice/saved", json=profile
        )
        token = saved.json().get("token") if saved.status_code == 201 else None
        if token:
            self.client.get(f"/advisor/saved/{token}", name="[advisor] GET /advisor/saved/{token}")

    @task(1)
    def jobs_board(self) -> None:
        self.client.get("/postings", name="[advisor] GET /postings")


# --- candidates -----------------------------------------------------------------------------


class Candidate(SignedIn):
    weight = WEIGHTS["candidate"]
    role = "candidate"

    def accounts(self) -> list[str]:
        return PLAN.candidates

    @task(3)
    def open_application(self) -> None:
        s = PLAN.open_season
        self.get(f"/seasons/{s}/application", name="[candidate] GET /seasons/{open}/application")

    @task(2)
    def open_application_api(self) -> None:
        s = PLAN.open_season
        name = "[candidate] GET /api/v1/seasons/{open}/application"
        self.get(f"/api/v1/seasons/{s}/application", name=name)

    @task(3)
    def outcome(self) -> None:
        s = PLAN.results_season
        name = "[candidate] GET /seasons/{published}/application"
        self.get(f"/seasons/{s}/application", name=name)

    @task(2)
    def outcome_api(self) -> None:
        s = PLAN.results_season
        name = "[candidate] GET /api/v1/seasons/{published}/application"
        self.get(f"/api/v1/seasons/{s}/application", name=name)

    @task(1)
    def seasons(self) -> None:
        self.get("/seasons", name="[candidate] GET /seasons")

    @task(1)
    def postings_applications(self) -> None:
        self.get("/my/applications", name="[candidate] GET /my/applications")

    @task(1)
    def me(self) -> None:
        self.get("/api/v1/me", name="[candidate] GET /api/v1/me")


# --- BoE staff ------------------------------------------------------------------------------


class BoeStaff(SignedIn):
    weight = WEIGHTS["boe"]
    role = "boe"

    def accounts(self) -> list[str]:
        return PLAN.boe_staff

    def _requests(self) -> list[dict[str, Any]]:
        s = PLAN.open_season
        name = "[boe] GET /api/v1/seasons/{open}/requests"
        found = self.get(f"/api/v1/seasons/{s}/requests", name=name)
        return list(found.json()["requests"]) if found.status_code == 200 else []

    @task(3)
    def requests_page(self) -> None:
        s = PLAN.open_season
        self.get(f"/seasons/{s}/requests", name="[boe] GET /seasons/{open}/requests")

    @task(2)
    def requests_api(self) -> None:
        self._requests()

    @task(3)
    def edit_by_api(self) -> None:
        """Read, think a moment, save with the version read: 200, or 409 if someone was first."""
        requests = self._requests()
        if not requests:
            return
        rng = random.Random()
        request = rng.choice(requests)
        gevent.sleep(rng.uniform(0.2, 1.0))
        body = edited(request, rng) | {"version": request["version"]}
        s, r = PLAN.open_season, request["id"]
        name = "[boe] PUT /api/v1/seasons/{open}/requests/{id}"
        with self.client.put(
            f"/api/v1/seasons/{s}/requests/{r}",
            name=name,
            json=body,
            headers=_origin(self.host),
            catch_response=True,
        ) as response:
            _accept_conflict(response, name)

    @task(1)
    def edit_by_page(self) -> None:
        """The same through the HTML form: a saved edit redirects (303) back to the list."""
        requests = self._requests()
        if not requests:
            return
        rng = random.Random()
        request = rng.choice(requests)
        s, r = PLAN.open_season, request["id"]
        self.get(f"/seasons/{s}/requests?edit={r}", name="[boe] GET /seasons/{open}/requests?edit")
        gevent.sleep(rng.uniform(0.2, 1.0))
        fields = edited(request, rng)
        form: list[tuple[str, str]] = [("version", str(request["version"]))]
        for key, value in fields.items():
            if key == "school_levels":
                form += [("school_levels", level) for level in value]
            elif key == "requires_driving_licence":
                form += [(key, "on")] if value else []
            elif value is not None:
                form.append((key, str(value)))
        name = "[boe] POST /seasons/{open}/requests/{id}"
        with self.client.post(
            f"/seasons/{s}/requests/{r}",
            name=name,
            data=urlencode(form),
            headers=_form(self.host),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 303:
                response.success()
            else:
                _accept_conflict(response, name)

    @tag(PLACEMENTS)
    @task(2)
    def placements(self) -> None:
        s = PLAN.results_season
        self.get(f"/seasons/{s}/placements", name="[boe] GET /seasons/{published}/placements")

    @tag(PLACEMENTS)
    @task(1)
    def placements_api(self) -> None:
        s = PLAN.results_season
        name = "[boe] GET /api/v1/seasons/{published}/placements"
        self.get(f"/api/v1/seasons/{s}/placements", name=name)

    @task(1)
    def requests_export(self) -> None:
        s = PLAN.open_season
        name = "[boe] GET /api/v1/seasons/{open}/requests/export?format=csv"
        self.get(f"/api/v1/seasons/{s}/requests/export?format=csv", name=name)


def _accept_conflict(response: Any, name: str) -> None:
    """A 409 (stale version) is the right answer to a lost race: a success, named apart."""
    if response.status_code == 409:
        response.request_meta["name"] = name + CONFLICT
        response.success()
    elif response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")


# --- coordinators ---------------------------------------------------------------------------


class Coordinator(SignedIn):
    weight = WEIGHTS["coordinator"]
    role = "coordinator"

    def accounts(self) -> list[str]:
        return PLAN.coordinators

    @task(3)
    def dashboard(self) -> None:
        self.get(f"/seasons/{PLAN.open_season}", name="[coordinator] GET /seasons/{open}")

    @task(2)
    def dashboard_api(self) -> None:
        s = PLAN.open_season
        self.get(f"/api/v1/seasons/{s}", name="[coordinator] GET /api/v1/seasons/{open}")

    @task(1)
    def seasons(self) -> None:
        self.get("/seasons", name="[coordinator] GET /seasons")

    @task(1)
    def published_dashboard(self) -> None:
        s = PLAN.results_season
        self.get(f"/seasons/{s}", name="[coordinator] GET /seasons/{published}")

    @task(2)
    def draft_review(self) -> None:
        s, r = PLAN.open_season, PLAN.draft_run
        name = "[coordinator] GET /seasons/{open}/runs/{draft}"
        self.get(f"/seasons/{s}/runs/{r}", name=name)

    @task(1)
    def draft_review_api(self) -> None:
        s, r = PLAN.open_season, PLAN.draft_run
        name = "[coordinator] GET /api/v1/seasons/{open}/runs/{draft}"
        self.get(f"/api/v1/seasons/{s}/runs/{r}", name=name)

    @task(1)
    def published_review(self) -> None:
        s, r = PLAN.results_season, PLAN.published_run
        name = "[coordinator] GET /seasons/{published}/runs/{published}"
        self.get(f"/seasons/{s}/runs/{r}", name=name)

    @tag(PLACEMENTS)
    @task(1)
    def placements(self) -> None:
        s = PLAN.results_season
        name = "[coordinator] GET /seasons/{published}/placements"
        self.get(f"/seasons/{s}/placements", name=name)

    @task(1)
    def requests_export(self) -> None:
        s = PLAN.open_season
        name = "[coordinator] GET /api/v1/seasons/{open}/requests/export?format=csv"
        self.get(f"/api/v1/seasons/{s}/requests/export?format=csv", name=name)

    @task(1)
    def applications_export(self) -> None:
        s = PLAN.open_season
        name = "[coordinator] GET /api/v1/seasons/{open}/applications/export?format=csv"
        self.get(f"/api/v1/seasons/{s}/applications/export?format=csv", name=name)


# --- per-journey figures (figures.py) -------------------------------------------------------

RECORDER = Recorder()


@events.request.add_listener
def _record(
    name: str, start_time: float, response_time: float, exception: Any, **_kwargs: Any
) -> None:
    RECORDER.on_request(name, start_time, response_time, exception is not None)


@events.test_start.add_listener
def _started(environment: Environment, **_kwargs: Any) -> None:
    RECORDER.started = time.time()
    RECORDER.environment = environment


@events.test_stop.add_listener
def _stopped(**_kwargs: Any) -> None:
    RECORDER.ended = time.time()


@events.spawning_complete.add_listener
def _spawned(**_kwargs: Any) -> None:
    RECORDER.spawned = True
    RECORDER.check_steady()


@events.quitting.add_listener
def _write_summary(environment: Environment, **_kwargs: Any) -> None:
    target = os.environ.get(SUMMARY_ENV)
    if target and not isinstance(environment.runner, WorkerRunner | MasterRunner):
        Path(target).write_text(json.dumps(RECORDER.summary(), indent=2), "utf-8")
