"""The pension refund on leaving Japan in the advice (JSON and page): the path's scheme, the
national pension beside it for dispatch, the comparison that counts both, and none for a
Japanese national. Clock: 15 October 2026; the person can start in August 2027."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient

from altmatch.clock import JAPAN

PROFILE: dict[str, Any] = {
    "degree": "bachelor",
    "citizenship": "GB",
    "english": "native",
    "english_education_years": 16,
    "earliest_start": "2027-08-01",
    "age": 28,
}


@pytest.fixture(autouse=True)
def mid_october(clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(dt.datetime(2026, 10, 15, 9, 0, tzinfo=JAPAN), tick=False)


def _path(body: dict[str, Any], path: str) -> dict[str, Any]:
    return next(p for p in body["paths"] if p["path"] == path)


def test_each_leaver_sees_what_the_pension_gives_back(client: TestClient) -> None:
    body = client.post("/api/v1/advice", json=PROFILE).json()
    dispatch = _path(body, "dispatch")
    # The 240,000 grade for 60 months (tests/unit/domain/test_pension_refund.py).
    assert dispatch["pension_refund"] == {
        "scheme": "employees",
        "months": 60,
        "counted_months": 60,
        "base": 240_000,
        "multiplier": 5.5,
        "amount": 1_320_000,
        "withheld": 269_544,
        "after_withholding": 1_050_456,
        "claim_within_years": 2,
    }
    national = dispatch["pension_refund_without_employee_insurance"]
    assert (national["scheme"], national["amount"], national["withheld"]) == (
        "national",
        537_600,
        0,
    )
    assert _path(body, "jet")["pension_refund"]["scheme"] == "employees"
    assert _path(body, "jet")["pension_refund_without_employee_insurance"] is None


def test_the_page_counts_the_refunds_when_comparing_the_schemes(client: TestClient) -> None:
    body = client.post("/api/v1/advice", json=PROFILE).json()
    dispatch = _path(body, "dispatch")
    without = sum(y["take_home"] for y in dispatch["pay_without_employee_insurance"])
    difference = (
        dispatch["five_year_take_home"]
        + dispatch["pension_refund"]["after_withholding"]
        - without
        - dispatch["pension_refund_without_employee_insurance"]["amount"]
    )
    # Without the refund the national schemes come out ahead; with it they do not.
    assert without > dispatch["five_year_take_home"]
    assert difference > 0
    form = {k: str(v) for k, v in PROFILE.items()}
    page = " ".join(client.post("/advisor?lang=en", data=form).text.split())
    note = re.search(r'<p class="note" id="refund-compare-dispatch">(.*?)</p>', page)
    assert note, "the comparison note"
    assert "the national pension returns ¥537,600" in note.group(1)
    assert f"leaves you ¥{difference:,} better off" in note.group(1)
    assert "Pension refund on leaving Japan" in page
    ja = client.post("/advisor?lang=ja", data=form).text
    assert "脱退一時金" in ja


def test_a_japanese_national_cannot_claim_one(client: TestClient) -> None:
    body = client.post("/api/v1/advice", json=PROFILE | {"japanese_national": True}).json()
    assert all(p["pension_refund"] is None for p in body["paths"])
    assert _path(body, "dispatch")["pension_refund_without_employee_insurance"] is None
