"""The advisor page's pay tables: what each estimate assumed, and dispatch without employees'
insurance (issue 18, items 8-12)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

FORM = {
    "degree": "bachelor",
    "citizenship": "GB",
    "english": "native",
    "english_education_years": "16",
    "earliest_start": "2027-08-01",
}


def _basis(page: str, path: str) -> str:
    match = re.search(rf'<ul class="note pay-basis" data-path="{path}">(.*?)</ul>', page, re.S)
    assert match, path
    return " ".join(match.group(1).split())


def test_each_pay_table_says_what_its_estimate_assumed(client: TestClient) -> None:
    page = client.post("/advisor?lang=en", data=FORM | {"age": "45", "prefecture": "Hyogo"}).text

    dispatch = _basis(page, "dispatch")
    assert re.search(r"kyōkai kenpo(&#39;|')s rate for Hyogo", dispatch)
    assert "10.12%" in dispatch
    assert "Age 45 at the start: nursing-care insurance is deducted in years 1, 2, 3" in dispatch
    assert "August: 50% / December: 75%" in dispatch
    assert "leaving Japan after year 5" in dispatch
    # the nursing-care column appears for a 45-year-old
    table = page.split('<table class="pay" data-path="dispatch">', 1)[1].split("</table>", 1)[0]
    assert "Nursing-care insurance" in table


def test_an_unknown_prefecture_and_age_are_said_to_be_assumed(client: TestClient) -> None:
    page = client.post("/advisor?lang=en", data=FORM).text

    jet = _basis(page, "jet")
    assert "9.90%" in jet and "national average, because no prefecture was given" in jet
    assert "Age not given: taken as under 40" in jet
    table = page.split('<table class="pay" data-path="jet">', 1)[1].split("</table>", 1)[0]
    assert "Nursing-care insurance" not in table


def test_dispatch_also_shows_national_insurance_with_its_five_year_total(
    client: TestClient,
) -> None:
    page = client.post("/advisor?lang=en", data=FORM).text

    assert page.count('data-scheme="national"') == 1
    national = page.split('data-scheme="national">', 1)[1].split("</table>", 1)[0]
    assert "National health insurance" in national and "National pension" in national
    assert re.search(r"Namegawa, Saitama.*about ¥[\d,]+ take-home over five years", page, re.S)


def test_the_pay_notes_render_in_japanese(client: TestClient) -> None:
    response = client.post("/advisor?lang=ja", data=FORM | {"age": "45"})

    assert response.status_code == 200
    assert 'data-scheme="national"' in response.text
    assert _basis(response.text, "jet")


def test_the_advice_document_carries_the_pay_basis_and_the_national_alternative(
    client: TestClient,
) -> None:
    body = client.post(
        "/api/v1/advice",
        json={"degree": "bachelor", "citizenship": "GB", "english": "native", "age": 45},
    ).json()

    for path in body["paths"]:
        basis = path["pay_basis"]
        assert basis["age"] == 45 and not basis["age_assumed"]
        assert basis["prefecture"] is None and basis["prefecture_assumed"]
        assert basis["health_insurance_rate"] == 0.099
        assert basis["nursing_care_years"] == [1, 2, 3, 4, 5]
        assert all("nursing_care" in year["deductions"] for year in path["pay"])
        national = path["pay_without_employee_insurance"]
        assert (national is not None) == (path["path"] == "dispatch")
    dispatch = next(p for p in body["paths"] if p["path"] == "dispatch")
    assert dispatch["pay_basis"]["reduced_months"] == {"8": 0.5, "12": 0.75}
    assert dispatch["pay_basis"]["reference_municipality"] == "Namegawa, Saitama"
    for year in dispatch["pay_without_employee_insurance"]:
        assert year["take_home"] == year["gross"] - sum(year["deductions"].values())
