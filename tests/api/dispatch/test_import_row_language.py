"""An import previewed on a Japanese page lists each bad row in Japanese: the table's headings
and every message, with its row and column; nothing of the English sentence remains."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.i18n import render
from altmatch.rulebook.vocabulary import Area, ContractType, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_schools
from altmatch.services.dispatch.contracts import ContractFields, PositionFields, create_contract

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ROW = re.compile(r"<tr><td>(\d+)</td><td>([^<]*)</td><td class=\"text\">([^<]*)</td></tr>")


@pytest.fixture
def contract(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> int:
    kobe = tenants[OrgKind.BOE]
    school = SchoolFields(
        external_id="k1",
        name_en="Kobe School k1",
        name_ja="神戸市立第一小学校",
        level=SchoolLevel.ELEMENTARY,
        area=Area.URBAN,
        municipality="Kobe",
        latitude=34.7,
        longitude=135.2,
    )
    add_schools(sessions, OPERATOR, kobe, [school])
    fields = ContractFields(
        boe_id=kobe,
        reference="KOBE-27",
        contract_type=ContractType.OUTSOURCING,
        start=dt.date(2027, 4, 1),
        end=dt.date(2028, 3, 31),
        renewal_date=dt.date(2027, 12, 1),
        price_per_alt_month=352_000,
        positions=[PositionFields(position_id="P1", school_id="k1", days_per_week=4)],
    )
    return create_contract(sessions, OPERATOR, fields, company_id=tenants[OrgKind.COMPANY]).id


def _preview(client: TestClient, contract: int, content: bytes) -> list[tuple[str, str, str]]:
    page = client.post(
        f"/dispatch/contracts/{contract}/positions?lang=ja",
        files={"file": ("positions.csv", content, "text/csv")},
        data={"action": "preview"},
        headers=SAME_ORIGIN,
    )
    assert page.status_code == 422 and 'id="import-errors"' in page.text
    for heading in (
        "Row",
        "Column",
        "Problem",
        "Nothing was imported. Fix these rows and try again:",
    ):
        assert render(heading, "ja") != heading and render(heading, "ja") in page.text
    return ROW.findall(page.text)


def test_a_row_wider_than_the_header_is_named_in_japanese(
    client: TestClient, make_account: MakeAccount, contract: int
) -> None:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    rows = _preview(client, contract, b"position_id,school_id,days_per_week\nP2,k1,3,extra\n")
    assert rows == [("2", "-", rows[0][2])]
    assert JAPANESE.search(rows[0][2]) and "4" in rows[0][2] and "3" in rows[0][2]
    assert "cells but the header" not in rows[0][2]


def test_a_bad_cell_is_named_in_japanese_with_its_row_and_column(
    client: TestClient, make_account: MakeAccount, contract: int
) -> None:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    content = b"position_id,school_id,days_per_week,min_jlpt\nP2,k1,many,N3\nP3,k1,2,N9\n"
    rows = _preview(client, contract, content)
    assert {(row, column) for row, column, _ in rows} == {("2", "days_per_week"), ("3", "min_jlpt")}
    for _, _, message in rows:
        assert JAPANESE.search(message), message
    assert any("many" in message for _, _, message in rows)  # the value given is repeated
