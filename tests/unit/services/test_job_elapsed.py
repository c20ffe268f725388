"""A job's progress reports the seconds since it was asked for, read from the clock, and once
finished the seconds it took: no guess at how long jobs "usually" take."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from altmatch.db.models import Job
from altmatch.services.kernel.job_runner import progress_fields

ASKED = datetime(2027, 1, 15, 3, 0, tzinfo=UTC)


def _job(**fields: object) -> Job:
    values: dict[str, object] = {
        "id": 1,
        "kind": "match",
        "status": "running",
        "stage": "",
        "done_steps": 1,
        "total_steps": 4,
        "created_at": ASKED,
        "finished_at": None,
        "result": None,
        "error": None,
        "error_params": None,
    }
    return Job(**{**values, **fields})


def test_a_running_job_counts_from_when_it_was_asked_for() -> None:
    with time_machine.travel(ASKED + timedelta(seconds=37), tick=False):
        assert progress_fields(_job(), {}, "en")["elapsed_seconds"] == 37


def test_a_finished_job_reports_what_it_took_whenever_it_is_read() -> None:
    done = _job(status="done", finished_at=ASKED + timedelta(seconds=4.4))
    with time_machine.travel(ASKED + timedelta(days=3), tick=False):
        assert progress_fields(done, {}, "en")["elapsed_seconds"] == 4


def test_sqlite_times_without_their_zone_are_read_as_utc() -> None:
    naive = _job(created_at=ASKED.replace(tzinfo=None))
    with time_machine.travel(ASKED + timedelta(seconds=5), tick=False):
        assert progress_fields(naive, {}, "en")["elapsed_seconds"] == 5
