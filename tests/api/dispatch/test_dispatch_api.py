"""Dispatch contracts, tenders and roster over HTTP: JSON and pages agree, in English and
Japanese, and each tenant sees only its own (another company's records are 404; a BoE's staff
see the contracts their BoE signed and cannot reach the roster or tenders)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.api.helpers import PASSWORD, SAME_ORIGIN, MakeAccount, sign_in

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, ContractPosition, RosterAlt, RosterAssignment
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.rulebook.vocabulary import Area, ContractType, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_schools
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.dispatch.contracts import ContractFields, PositionFields, create_contract
from altmatch.services.dispatch.roster import import_roster

pytestmark = pytest.mark.date_sensitive

ROSTER = (
    "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,"
    "school_experience,driving_licence,jlpt,contract_end,renewal_intention,preferred_prefectures\n"
    "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary,yes,N3,2027-03-31,renewing,Hyogo\n"
    "A02,Liam Walsh,Osaka,Sakai,34.57,135.48,junior_high,no,none,2027-07-31,undecided,\n"
    "A03,Grace Obi,Hyogo,Himeji,34.82,134.69,elementary,yes,N2,2027-03-31,renewing,\n"
)


@dataclass(frozen=True)
class Dispatch:
    kobe_contract: int
    himeji_contract: int
    other_company_contract: int
    emily: int  # at a Kobe school under the Kobe contract
    grace: int  # at a Himeji school under the Himeji contract
    other_company_alt: int


def _school(external_id: str, municipality: str) -> SchoolFields:
    return SchoolFields(
        external_id=external_id,
        name_en=f"{municipality} School {external_id}",
        name_ja=f"{municipality}立第{external_id}学校",
        level=SchoolLevel.ELEMENTARY,
        area=Area.URBAN,
        municipality=municipality,
        latitude=34.7,
        longitude=135.2,
    )


def _contract(boe: int, reference: str, schools: list[str]) -> ContractFields:
    return ContractFields(
        boe_id=boe,
        reference=reference,
        contract_type=ContractType.OUTSOURCING,
        start=dt.date(2027, 4, 1),
        end=dt.date(2028, 3, 31),
        renewal_date=dt.date(2027, 12, 1),
        price_per_alt_month=352_000,
        positions=[
            PositionFields(position_id=f"{reference}-{i}", school_id=s, days_per_week=4)
            for i, s in enumerate(schools, start=1)
        ],
    )


def _assign(session: Session, alt_external: str, company: int, contract: int) -> int:
    alt = session.scalars(
        select(RosterAlt).where(
            RosterAlt.company_id == company, RosterAlt.external_id == alt_external
        )
    ).one()
    position = session.scalars(
        select(ContractPosition).where(ContractPosition.contract_id == contract)
    ).first()
    assert position is not None
    session.add(RosterAssignment(alt_id=alt.id, position_id=position.id, start=dt.date(2027, 4, 1)))
    return alt.id


@pytest.fixture
def world(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> Dispatch:
    company, kobe = tenants[OrgKind.COMPANY], tenants[OrgKind.BOE]
    himeji = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Himeji City BoE",
        name_ja="姫路市教育委員会",
    ).id
    other = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Fuji Teachers", name_ja="富士講師"
    ).id
    create_user(
        sessions,
        actor=OPERATOR,
        email="fuji@example.org",
        display_name="Ken Sato",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=other,
    )
    add_schools(sessions, OPERATOR, kobe, [_school("k1", "Kobe"), _school("k2", "Kobe")])
    add_schools(sessions, OPERATOR, himeji, [_school("h1", "Himeji")])
    kobe_contract = create_contract(
        sessions, OPERATOR, _contract(kobe, "KOBE-27", ["k1", "k2"]), company_id=company
    ).id
    himeji_contract = create_contract(
        sessions, OPERATOR, _contract(himeji, "HIMEJI-27", ["h1"]), company_id=company
    ).id
    other_contract = create_contract(
        sessions, OPERATOR, _contract(kobe, "FUJI-KOBE", ["k2"]), company_id=other
    ).id
    import_roster(sessions, OPERATOR, content=ROSTER.encode(), filename="r.csv", company_id=company)
    import_roster(sessions, OPERATOR, content=ROSTER.encode(), filename="r.csv", company_id=other)
    with sessions.begin() as session:
        emily = _assign(session, "A01", company, kobe_contract)
        grace = _assign(session, "A03", company, himeji_contract)
        other_alt = _assign(session, "A02", other, other_contract)
    return Dispatch(kobe_contract, himeji_contract, other_contract, emily, grace, other_alt)


@pytest.fixture
def company_staff(client: TestClient, make_account: MakeAccount) -> TestClient:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    return client


def test_company_staff_list_their_contracts_with_value_and_the_page_shows_the_same(
    company_staff: TestClient, world: Dispatch
) -> None:
    data = company_staff.get("/api/v1/dispatch/contracts").json()
    assert [
        (c["reference"], c["alts"], c["filled"], c["monthly_value"]) for c in data["contracts"]
    ] == [
        ("HIMEJI-27", 1, 1, 352_000),
        ("KOBE-27", 2, 1, 704_000),
    ]
    assert data["can_manage"] is True
    page = company_staff.get("/dispatch/contracts")
    assert page.status_code == 200
    for reference in ("HIMEJI-27", "KOBE-27"):
        assert reference in page.text
    assert "FUJI-KOBE" not in page.text
    assert "¥704,000" in page.text
    assert 'id="contract-form"' in page.text


def test_one_contract_shows_type_duties_positions_and_who_works_them_in_both_languages(
    company_staff: TestClient, world: Dispatch
) -> None:
    url = f"/dispatch/contracts/{world.kobe_contract}"
    data = company_staff.get(f"/api/v1{url}").json()
    assert data["type"]["name"] == "Outsourcing (ukeoi / itaku)"
    assert [
        (p["position_id"], p["alt"]["external_id"] if p["alt"] else None) for p in data["positions"]
    ] == [
        ("KOBE-27-1", "A01"),
        ("KOBE-27-2", None),
    ]
    assert data["total_days_per_week"] == 8
    english = company_staff.get(url)
    assert english.status_code == 200
    assert "Only the company may direct the ALT" in english.text
    assert "Emily Carter" in english.text and "Vacant" in english.text
    assert "Kobe School k1" in english.text
    japanese = company_staff.get(url + "?lang=ja")
    assert japanese.status_code == 200
    assert "請負・業務委託" in japanese.text
    assert "Kobe立第k1学校" in japanese.text
    assert company_staff.get(f"/api/v1{url}?lang=ja").json()["type"]["name"] == "請負・業務委託"


def test_company_staff_create_a_contract_through_the_api_and_it_is_audited(
    company_staff: TestClient, world: Dispatch, tenants: Mapping[OrgKind, int], sessions: Sessions
) -> None:
    body = {
        "boe_id": tenants[OrgKind.BOE],
        "reference": "KOBE-28",
        "contract_type": "worker_dispatch",
        "start": "2028-04-01",
        "end": "2029-03-31",
        "price_per_alt_month": 360000,
        "positions": [{"position_id": "X1", "school_id": "k1", "days_per_week": 5}],
    }
    created = company_staff.post("/api/v1/dispatch/contracts", json=body, headers=SAME_ORIGIN)
    assert created.status_code == 201, created.text
    assert created.json()["monthly_value"] == 360_000
    bad = company_staff.post(
        "/api/v1/dispatch/contracts",
        json=body | {"reference": "KOBE-29", "end": "2027-01-01"},
        headers=SAME_ORIGIN,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "end"]
    unknown = company_staff.post(
        "/api/v1/dispatch/contracts",
        json=body
        | {
            "reference": "KOBE-30",
            "positions": [{"position_id": "Y", "school_id": "h1", "days_per_week": 2}],
        },
        headers=SAME_ORIGIN,
    )
    assert unknown.status_code == 422
    with sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "dispatch_contract")
        ).all()
    assert actions.count("contract.created") == 4  # three in the world, one here


def test_the_contract_form_on_the_page_creates_a_contract_or_shows_why_not(
    company_staff: TestClient, world: Dispatch, tenants: Mapping[OrgKind, int]
) -> None:
    form = {
        "reference": "PAGE-1",
        "boe_id": str(tenants[OrgKind.BOE]),
        "contract_type": "worker_dispatch",
        "start": "2028-04-01",
        "end": "2029-03-31",
        "renewal_date": "",
        "price_per_alt_month": "0",
    }
    refused = company_staff.post("/dispatch/contracts", data=form, headers=SAME_ORIGIN)
    assert refused.status_code == 422
    assert "more than zero yen" in refused.text
    done = company_staff.post(
        "/dispatch/contracts",
        data=form | {"price_per_alt_month": "355000"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "PAGE-1" in company_staff.get(done.headers["location"]).text


def test_a_positions_upload_is_all_or_nothing_and_names_each_bad_cell(
    company_staff: TestClient, world: Dispatch, inline_jobs: None
) -> None:
    url = f"/api/v1/dispatch/contracts/{world.himeji_contract}/positions"
    bad = "position_id,school_id,days_per_week\nH2,k1,3\nH3,h1,0\n"
    refused = company_staff.post(
        url, files={"file": ("p.csv", bad.encode(), "text/csv")}, headers=SAME_ORIGIN
    )
    assert refused.status_code == 422
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [
        (2, "school_id"),
        (3, "days_per_week"),
    ]
    good = "position_id,school_id,days_per_week\nH2,h1,3\n"
    page = company_staff.post(
        f"/dispatch/contracts/{world.himeji_contract}/positions",
        files={"file": ("p.csv", good.encode(), "text/csv")},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
    )
    # Importing is a job: the page goes on to its progress page, which shows the report.
    assert page.status_code == 200 and page.url.path.startswith("/dispatch/jobs/")
    assert 'id="import-committed"' in page.text
    assert f'href="/dispatch/contracts/{world.himeji_contract}" id="job-back"' in page.text
    assert company_staff.get(url.removesuffix("/positions")).json()["alts"] == 2


def test_company_staff_never_see_another_companys_contracts_or_roster(
    company_staff: TestClient, world: Dispatch
) -> None:
    for url in (
        f"/api/v1/dispatch/contracts/{world.other_company_contract}",
        f"/dispatch/contracts/{world.other_company_contract}",
        f"/api/v1/dispatch/roster/{world.other_company_alt}",
        f"/dispatch/roster/{world.other_company_alt}",
    ):
        assert company_staff.get(url).status_code == 404, url
    stale = company_staff.post(
        f"/api/v1/dispatch/roster/{world.other_company_alt}/renewal",
        json={"renewal_intention": "leaving", "version": 1},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 404
    roster = company_staff.get("/api/v1/dispatch/roster").json()
    assert world.other_company_alt not in {a["id"] for a in roster["alts"]}


def test_boe_staff_see_only_contracts_their_boe_signed_and_not_the_roster_or_tenders(
    client: TestClient, make_account: MakeAccount, world: Dispatch
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    data = client.get("/api/v1/dispatch/contracts").json()
    # every contract the Kobe BoE signed, with either company; never Himeji's
    assert [c["reference"] for c in data["contracts"]] == ["FUJI-KOBE", "KOBE-27"]
    assert data["can_manage"] is False
    page = client.get("/dispatch/contracts")
    assert "KOBE-27" in page.text and "HIMEJI-27" not in page.text
    assert 'id="contract-form"' not in page.text
    detail = client.get(f"/dispatch/contracts/{world.kobe_contract}")
    assert detail.status_code == 200
    assert "Emily Carter" in detail.text and "Grace Obi" not in detail.text
    assert client.get(f"/api/v1/dispatch/contracts/{world.himeji_contract}").status_code == 404
    assert client.get(f"/dispatch/contracts/{world.himeji_contract}").status_code == 404
    for url in (
        "/api/v1/dispatch/roster",
        "/dispatch/roster",
        "/api/v1/dispatch/tenders",
        "/dispatch/tenders",
        f"/api/v1/dispatch/roster/{world.emily}",
    ):
        assert client.get(url).status_code == 403, url


def test_the_roster_filters_and_the_page_shows_the_same_alts_in_both_languages(
    company_staff: TestClient, world: Dispatch
) -> None:
    everyone = company_staff.get("/api/v1/dispatch/roster").json()
    assert [a["alt_id"] for a in everyone["alts"]] == ["A01", "A03", "A02"]  # by name
    assert everyone["alts"][0]["current"]["contract_reference"] == "KOBE-27"
    hyogo = company_staff.get("/api/v1/dispatch/roster?prefecture=Hyogo&renewal_intention=renewing")
    assert [a["alt_id"] for a in hyogo.json()["alts"]] == ["A01", "A03"]
    for lang, word in (("en", "Renewing"), ("ja", "ALT名簿")):
        page = company_staff.get(
            f"/dispatch/roster?prefecture=Hyogo&renewal_intention=renewing&lang={lang}"
        )
        assert page.status_code == 200
        assert "Emily Carter" in page.text and "Grace Obi" in page.text
        assert "Liam Walsh" not in page.text
        if lang == "en":
            assert word in page.text
    # a value the list does not have is refused, naming the filter (web.listing)
    assert company_staff.get("/dispatch/roster?renewal_intention=bogus").status_code == 422


def test_the_roster_pages_searches_and_sorts_like_its_twin_and_never_shows_another_company(
    company_staff: TestClient, world: Dispatch
) -> None:
    query = f"contract={world.kobe_contract}&sort=contract_end&dir=desc&per_page=1"
    data = company_staff.get(f"/api/v1/dispatch/roster?{query}").json()
    assert [a["alt_id"] for a in data["alts"]] == ["A01"]
    assert data["total"] == 3 and data["listing"]["total"] == 1
    assert data["listing"]["filters"] == {"contract": str(world.kobe_contract)}
    assert {"company_id", "company", "filters", "prefectures", "alts"} <= data.keys()
    for lang in ("ja", "en"):
        page = company_staff.get(f"/dispatch/roster?{query}&lang={lang}")
        assert page.status_code == 200
        rows = [a["id"] for a in data["alts"]]
        assert page.text.count("data-alt-id=") == len(rows)
        assert f'data-alt-id="{rows[0]}"' in page.text and 'aria-sort="descending"' in page.text
    unassigned = company_staff.get("/api/v1/dispatch/roster?contract=unassigned").json()
    assert [a["alt_id"] for a in unassigned["alts"]] == ["A02"]
    by_renewal = company_staff.get("/api/v1/dispatch/roster?sort=renewal&dir=desc").json()
    assert [a["alt_id"] for a in by_renewal["alts"]] == ["A02", "A03", "A01"]
    found = company_staff.get("/api/v1/dispatch/roster?q=liam&jlpt=none").json()
    assert [a["alt_id"] for a in found["alts"]] == ["A02"]
    # the other company's contract and ALTs stay out of any query
    for params in (f"contract={world.other_company_contract}", "q=A02", "prefecture=Osaka", ""):
        listed = company_staff.get(f"/api/v1/dispatch/roster?{params}").json()["alts"]
        assert world.other_company_alt not in {a["id"] for a in listed}, params
    two = company_staff.get("/api/v1/dispatch/roster?per_page=2&page=2").json()
    assert [a["alt_id"] for a in two["alts"]] == ["A02"] and two["listing"]["pages"] == 2
    page_two = company_staff.get("/dispatch/roster?per_page=2").text
    assert 'id="roster-next"' in page_two and "per_page=2" in page_two
    for url in ("/api/v1/dispatch/roster?sort=salary", "/dispatch/roster?sort=salary"):
        refused = company_staff.get(url)
        assert refused.status_code == 422 and "sort" in refused.text, url


def test_one_alt_page_ticks_the_checklist_records_renewal_and_refuses_a_stale_version(
    company_staff: TestClient, world: Dispatch
) -> None:
    api = f"/api/v1/dispatch/roster/{world.emily}"
    alt = company_staff.get(api).json()
    assert alt["checklist_total"] == 7 and alt["checklist"][0]["id"] == "contract_signed"
    assert [h["contract_reference"] for h in alt["history"]] == ["KOBE-27"]
    page = company_staff.get(f"/dispatch/roster/{world.emily}?lang=ja")
    assert "雇用契約の締結" in page.text
    ticked = company_staff.post(
        f"/dispatch/roster/{world.emily}/checklist",
        data={"item": "contract_signed", "done_on": "2027-03-01", "version": str(alt["version"])},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert ticked.status_code == 303
    after = company_staff.get(api).json()
    assert after["checklist"][0]["done_on"] == "2027-03-01" and after["checklist_done"] == 1
    stale = company_staff.post(
        f"{api}/renewal",
        json={"renewal_intention": "leaving", "version": alt["version"]},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409
    stale_page = company_staff.post(
        f"/dispatch/roster/{world.emily}/renewal",
        data={"renewal_intention": "leaving", "version": str(alt["version"])},
        headers=SAME_ORIGIN,
    )
    assert stale_page.status_code == 409
    fresh = company_staff.post(
        f"{api}/renewal",
        json={"renewal_intention": "leaving", "version": after["version"]},
        headers=SAME_ORIGIN,
    )
    assert fresh.status_code == 200 and fresh.json()["renewal_intention"] == "leaving"


def test_the_roster_import_page_lists_errors_and_changes_nothing_then_imports(
    company_staff: TestClient, world: Dispatch, inline_jobs: None
) -> None:
    header = ROSTER.splitlines()[0]
    bad = header + "\nA09,New Person,Osaka,Osaka,34.6,135.5,college,yes,N2,2027-03-31,renewing,\n"
    checked = company_staff.post(
        "/dispatch/roster/import",
        files={"file": ("roster.csv", bad.encode(), "text/csv")},
        data={"action": "preview"},
        headers=SAME_ORIGIN,
    )
    assert checked.status_code == 422
    assert 'id="import-errors"' in checked.text and "school_experience" in checked.text
    page = company_staff.post(
        "/dispatch/roster/import",
        files={"file": ("roster.csv", bad.encode(), "text/csv")},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
    )
    assert page.url.path.startswith("/dispatch/jobs/") and 'data-status="failed"' in page.text
    assert 'id="import-errors"' in page.text and "<td>2</td><td>school_experience</td>" in page.text
    assert company_staff.get("/api/v1/dispatch/roster").json()["total"] == 3
    good = header + "\nA09,New Person,Osaka,Osaka,34.6,135.5,elementary,yes,N2,2027-03-31,,\n"
    done = company_staff.post(
        "/api/v1/dispatch/roster/import",
        files={"file": ("roster.csv", good.encode(), "text/csv")},
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 200 and done.json()["committed"] is True
    assert company_staff.get("/api/v1/dispatch/roster").json()["total"] == 4
    exported = company_staff.get("/api/v1/dispatch/roster/export?format=csv")
    assert exported.status_code == 200
    assert "A09,New Person" in exported.content.decode("utf-8-sig")
    xlsx = company_staff.get("/api/v1/dispatch/roster/export?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_tenders_are_recorded_decided_and_summarised_on_the_page_and_api(
    company_staff: TestClient, world: Dispatch, tenants: Mapping[OrgKind, int]
) -> None:
    body = {
        "boe_id": tenants[OrgKind.BOE],
        "title": "Kobe elementary ALTs 2027",
        "requested_alts": 2,
        "requested_start": "2027-04-01",
        "bid_price_per_alt_month": 352000,
        "submitted_on": "2026-11-01",
    }
    created = company_staff.post("/api/v1/dispatch/tenders", json=body, headers=SAME_ORIGIN)
    assert created.status_code == 201, created.text
    tender = created.json()["id"]
    won = company_staff.post(
        f"/dispatch/tenders/{tender}/outcome",
        data={"outcome": "won", "contract_id": str(world.kobe_contract)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert won.status_code == 303
    data = company_staff.get("/api/v1/dispatch/tenders").json()
    assert data["summary"] == {"won": 1, "lost": 0, "pending": 0, "win_rate": 1.0}
    assert data["tenders"][0]["contract_reference"] == "KOBE-27"
    for lang in ("en", "ja"):
        page = company_staff.get(f"/dispatch/tenders?lang={lang}")
        assert page.status_code == 200
        assert "Kobe elementary ALTs 2027" in page.text and "100%" in page.text
    wrong = company_staff.post(
        f"/api/v1/dispatch/tenders/{tender}/outcome",
        json={"outcome": "won", "contract_id": world.other_company_contract},
        headers=SAME_ORIGIN,
    )
    assert wrong.status_code == 422


def test_another_companys_staff_see_their_own_tenders_and_not_ours(
    client: TestClient, world: Dispatch, tenants: Mapping[OrgKind, int]
) -> None:
    sign_in(client, "fuji@example.org")
    contracts = client.get("/api/v1/dispatch/contracts").json()["contracts"]
    assert [c["reference"] for c in contracts] == ["FUJI-KOBE"]
    for hidden in (world.kobe_contract, world.himeji_contract):
        assert client.get(f"/api/v1/dispatch/contracts/{hidden}").status_code == 404
    assert client.get(f"/api/v1/dispatch/roster/{world.emily}").status_code == 404
    assert client.get("/api/v1/dispatch/tenders").json()["tenders"] == []


RECORD_KEYS = {"reference", "position_id", "alt_id", "external_id", "title", "name"}


def _records(data: object) -> set[str]:
    """The identifying strings of every record a read model holds (what its page must show)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in RECORD_KEYS and isinstance(value, str):
                found.add(value)
            else:
                found |= _records(value)
    elif isinstance(data, list):
        for item in data:
            found |= _records(item)
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    "page",
    [
        "/dispatch/contracts",
        "/dispatch/contracts/{kobe}",
        "/dispatch/tenders",
        "/dispatch/roster",
        "/dispatch/roster/{emily}",
    ],
)
def test_each_page_shows_every_record_of_its_json_twin(
    company_staff: TestClient,
    world: Dispatch,
    tenants: Mapping[OrgKind, int],
    page: str,
    lang: str,
) -> None:
    tender = {
        "boe_id": tenants[OrgKind.BOE],
        "title": "Kobe junior high ALTs",
        "requested_alts": 3,
        "requested_start": "2027-04-01",
        "bid_price_per_alt_month": 349000,
        "submitted_on": "2026-10-15",
    }
    company_staff.post("/api/v1/dispatch/tenders", json=tender, headers=SAME_ORIGIN)
    url = page.format(kobe=world.kobe_contract, emily=world.emily)
    html = company_staff.get(f"{url}?lang={lang}")
    data = company_staff.get(f"/api/v1{url}?lang={lang}")
    assert html.status_code == data.status_code == 200
    records = _records(data.json())
    assert records, f"{url} holds no records"
    for value in records:
        assert value in html.text, f"{value!r} from the twin is missing on {url}"
