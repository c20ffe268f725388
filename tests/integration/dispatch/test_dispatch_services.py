"""Dispatch contracts, tenders and roster in the database (SQLite and PostgreSQL): tenant checks,
all-or-nothing imports, stale versions and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from sqlalchemy import select

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, ContractPosition, RosterAlt, RosterAssignment
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, OrgKind, Role
from altmatch.rulebook.vocabulary import Area, ContractType, Jlpt, RenewalIntention, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_schools
from altmatch.services.accounts.users import create_organisation
from altmatch.services.dispatch.contracts import (
    ContractFields,
    PositionFields,
    create_contract,
    get_contract,
    import_positions,
    list_contracts,
)
from altmatch.services.dispatch.roster import (
    ChecklistTick,
    RenewalEdit,
    RosterFilters,
    export_roster,
    get_roster_alt,
    import_roster,
    list_roster,
    set_renewal_intention,
    tick_checklist,
)
from altmatch.services.dispatch.tenders import (
    OutcomeFields,
    TenderFields,
    list_tenders,
    record_tender,
    set_tender_outcome,
)
from altmatch.services.kernel.errors import RuleError, StaleError

pytestmark = pytest.mark.date_sensitive

ROSTER_HEADER = (
    "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,"
    "school_experience,driving_licence,jlpt,contract_end,renewal_intention,preferred_prefectures\n"
)
ROSTER = ROSTER_HEADER + (
    "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary;junior_high,yes,N3,2027-03-31,"
    "renewing,Hyogo;Osaka\n"
    "A02,Liam Walsh,Hyogo,Akashi,34.64,134.99,junior_high,no,none,2027-07-31,undecided,\n"
)
POSITIONS = (
    "position_id,school_id,days_per_week,requires_driving_licence,min_jlpt\n"
    "P1,s01,5,no,none\nP2,s02,3,yes,N4\nP3,s01,2,no,\n"
)


def _school(external_id: str, level: SchoolLevel) -> SchoolFields:
    return SchoolFields(
        external_id=external_id,
        name_en=f"School {external_id}",
        name_ja=f"学校{external_id}",
        level=level,
        area=Area.URBAN,
        municipality="Kobe",
        latitude=34.69,
        longitude=135.19,
    )


@pytest.fixture
def orgs(sessions: Sessions) -> Mapping[str, int]:
    def org(kind: OrgKind, name: str) -> int:
        return create_organisation(
            sessions, actor=OPERATOR, kind=kind, name_en=name, name_ja=name + "（日本語）"
        ).id

    ids = {
        "sakura": org(OrgKind.COMPANY, "Sakura ALT"),
        "fuji": org(OrgKind.COMPANY, "Fuji Teachers"),
        "kobe": org(OrgKind.BOE, "Kobe City BoE"),
        "himeji": org(OrgKind.BOE, "Himeji City BoE"),
    }
    add_schools(
        sessions,
        OPERATOR,
        ids["kobe"],
        [_school("s01", SchoolLevel.ELEMENTARY), _school("s02", SchoolLevel.JUNIOR_HIGH)],
    )
    add_schools(sessions, OPERATOR, ids["himeji"], [_school("h01", SchoolLevel.ELEMENTARY)])
    return ids


def _staff(orgs: Mapping[str, int], org: str) -> Actor:
    role = Role.COMPANY_STAFF if org in {"sakura", "fuji"} else Role.BOE_STAFF
    return Actor(user_id=hash(org) % 1000 + 1, role=role, organisation_id=orgs[org])


def _contract_fields(orgs: Mapping[str, int], **changes: object) -> ContractFields:
    data: dict[str, object] = {
        "boe_id": orgs["kobe"],
        "reference": "KOBE-2027",
        "contract_type": ContractType.WORKER_DISPATCH,
        "start": dt.date(2027, 4, 1),
        "end": dt.date(2028, 3, 31),
        "renewal_date": dt.date(2027, 12, 1),
        "price_per_alt_month": 350_000,
        "positions": [
            PositionFields(position_id="P1", school_id="s01", days_per_week=5),
            PositionFields(position_id="P2", school_id="s02", days_per_week=3, min_jlpt=Jlpt.N4),
        ],
    }
    return ContractFields.model_validate(data | changes)


def _audit(sessions: Sessions, action: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_company_staff_create_a_contract_and_see_its_value_schools_and_type_duties(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    created = create_contract(sessions, sakura, _contract_fields(orgs), locale="ja")
    assert created.alts == 2
    assert created.monthly_value == 700_000
    assert created.type.name == "労働者派遣"
    assert created.type.who_directs.startswith("教育委員会と学校")
    assert [p.school for p in created.positions] == ["学校s01", "学校s02"]
    assert [p.alt for p in created.positions] == [None, None]
    assert [(s.positions, s.days_per_week) for s in created.schools] == [(1, 5), (1, 3)]
    assert created.total_days_per_week == 8
    listed = list_contracts(sessions, sakura)
    assert [c.reference for c in listed.contracts] == ["KOBE-2027"]
    assert listed.can_manage
    entries = _audit(sessions, "contract.created")
    assert len(entries) == 1
    assert entries[0].tenant_id == orgs["sakura"]
    assert entries[0].after is not None and entries[0].after["price_per_alt_month"] == 350_000
    assert len(_audit(sessions, "position.added")) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": dt.date(2027, 3, 1)}, "end"),
        ({"renewal_date": dt.date(2028, 4, 1)}, "renewal_date"),
        ({"price_per_alt_month": 0}, "price_per_alt_month"),
        ({"positions": [{"position_id": "P1", "school_id": "h01", "days_per_week": 5}]}, None),
        (
            {
                "positions": [
                    {"position_id": "P1", "school_id": "s01", "days_per_week": 5},
                    {"position_id": "P1", "school_id": "s02", "days_per_week": 2},
                ]
            },
            "positions.1.position_id",
        ),
    ],
)
def test_a_contract_with_bad_terms_or_positions_is_refused_and_nothing_is_stored(
    sessions: Sessions, orgs: Mapping[str, int], changes: dict[str, object], field: str | None
) -> None:
    sakura = _staff(orgs, "sakura")
    with pytest.raises(RuleError) as refused:
        create_contract(sessions, sakura, _contract_fields(orgs, **changes))
    if field is not None:
        assert refused.value.field == field
    else:
        assert refused.value.field == "positions.0.school_id"
        assert refused.value.message.params["school"] == "h01"
    assert list_contracts(sessions, sakura).contracts == []
    assert _audit(sessions, "contract.created") == []


def test_boe_staff_see_their_own_contracts_only_and_other_companies_see_nothing(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    kobe_contract = create_contract(sessions, sakura, _contract_fields(orgs)).id
    himeji = _contract_fields(orgs, boe_id=orgs["himeji"], reference="HIMEJI-2027", positions=[])
    himeji_contract = create_contract(sessions, sakura, himeji).id
    kobe = _staff(orgs, "kobe")
    assert [c.id for c in list_contracts(sessions, kobe).contracts] == [kobe_contract]
    assert not list_contracts(sessions, kobe).can_manage
    assert get_contract(sessions, kobe, kobe_contract).reference == "KOBE-2027"
    with pytest.raises(NotFoundError):
        get_contract(sessions, kobe, himeji_contract)
    fuji = _staff(orgs, "fuji")
    assert list_contracts(sessions, fuji).contracts == []
    with pytest.raises(NotFoundError):
        get_contract(sessions, fuji, kobe_contract)
    with pytest.raises(AccessDeniedError):
        create_contract(sessions, kobe, _contract_fields(orgs, reference="X"))


def test_a_positions_file_adds_every_row_or_reports_each_bad_cell_and_adds_none(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    contract = create_contract(sessions, sakura, _contract_fields(orgs, positions=[])).id
    bad = "position_id,school_id,days_per_week,min_jlpt\nP1,s01,6,none\nP2,h01,3,N9\nP1,s02,2,N2\n"
    result = import_positions(
        sessions, sakura, contract, content=bad.encode(), filename="positions.csv"
    )
    assert not result.committed
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(2, "days_per_week"), (3, "school_id"), (3, "min_jlpt"), (4, "position_id")}
    assert "unknown school 'h01'" in next(
        e.message for e in result.errors if e.column == "school_id"
    )
    assert get_contract(sessions, sakura, contract).positions == []
    good = import_positions(
        sessions, sakura, contract, content=POSITIONS.encode(), filename="positions.csv"
    )
    assert good.committed and good.rows == 3
    shown = get_contract(sessions, sakura, contract)
    assert [(p.position_id, p.days_per_week, p.min_jlpt) for p in shown.positions] == [
        ("P1", 5, Jlpt.NONE),
        ("P2", 3, Jlpt.N4),
        ("P3", 2, Jlpt.NONE),
    ]
    assert [(s.school, s.days_per_week) for s in shown.schools] == [
        ("School s01", 7),
        ("School s02", 3),
    ]
    again = import_positions(
        sessions, sakura, contract, content=POSITIONS.encode(), filename="positions.csv"
    )
    assert {(e.row, e.message) for e in again.errors} >= {(2, "already in this contract")}
    assert len(_audit(sessions, "contract.positions_imported")) == 1
    with pytest.raises(NotFoundError):
        import_positions(
            sessions, _staff(orgs, "fuji"), contract, content=POSITIONS.encode(), filename="p.csv"
        )


def test_tenders_record_outcomes_link_won_contracts_and_give_the_win_rate(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    contract = create_contract(sessions, sakura, _contract_fields(orgs)).id

    def tender(title: str, boe: str = "kobe") -> int:
        fields = TenderFields(
            boe_id=orgs[boe],
            title=title,
            requested_alts=4,
            requested_start=dt.date(2027, 4, 1),
            bid_price_per_alt_month=340_000,
            submitted_on=dt.date(2026, 10, 1),
        )
        return record_tender(sessions, sakura, fields).id

    won, lost, _pending = tender("Kobe 2027"), tender("Himeji 2027", "himeji"), tender("Later")
    set_tender_outcome(sessions, sakura, won, OutcomeFields(outcome="won", contract_id=contract))
    set_tender_outcome(sessions, sakura, lost, OutcomeFields(outcome="lost"))
    with pytest.raises(RuleError) as refused:  # a contract with another BoE
        set_tender_outcome(
            sessions, sakura, lost, OutcomeFields(outcome="won", contract_id=contract)
        )
    assert refused.value.field == "contract_id"
    found = list_tenders(sessions, sakura)
    assert (found.summary.won, found.summary.lost, found.summary.pending) == (1, 1, 1)
    assert found.summary.win_rate == 0.5
    linked = next(t for t in found.tenders if t.id == won)
    assert linked.contract_reference == "KOBE-2027"
    assert len(_audit(sessions, "tender.outcome_set")) == 2
    with pytest.raises(NotFoundError):
        set_tender_outcome(sessions, _staff(orgs, "fuji"), won, OutcomeFields(outcome="lost"))
    assert list_tenders(sessions, _staff(orgs, "fuji")).tenders == []
    with pytest.raises(AccessDeniedError):
        list_tenders(sessions, _staff(orgs, "kobe"))


def test_a_roster_import_upserts_by_alt_id_and_stores_nothing_when_a_row_is_wrong(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    first = import_roster(sessions, sakura, content=ROSTER.encode(), filename="roster.csv")
    assert first.committed and first.rows == 2
    roster = list_roster(sessions, sakura)
    assert [a.alt_id for a in roster.alts] == ["A01", "A02"]
    emily = roster.alts[0]
    assert emily.school_experience == [SchoolLevel.ELEMENTARY, SchoolLevel.JUNIOR_HIGH]
    assert emily.jlpt is Jlpt.N3 and emily.driving_licence
    assert emily.preferred_prefectures == ["Hyogo", "Osaka"]
    assert (emily.checklist_done, emily.checklist_total) == (0, 7)
    bad = ROSTER_HEADER + (
        "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary,yes,N2,2027-03-31,leaving,\n"
        "A03,New Person,Osaka,Osaka,north,135.5,kindergarten,maybe,N2,31/03/2027,renewing,\n"
    )
    refused = import_roster(sessions, sakura, content=bad.encode(), filename="roster.csv")
    assert not refused.committed
    assert {(e.row, e.column) for e in refused.errors} == {
        (3, "home_latitude"),
        (3, "school_experience"),
        (3, "driving_licence"),
        (3, "contract_end"),
    }
    assert [a.renewal_intention for a in list_roster(sessions, sakura).alts] == [
        RenewalIntention.RENEWING,
        RenewalIntention.UNDECIDED,
    ]
    update = ROSTER_HEADER + (
        "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary,yes,N2,2027-03-31,leaving,\n"
    )
    assert import_roster(sessions, sakura, content=update.encode(), filename="r.csv").committed
    after = list_roster(sessions, sakura)
    assert after.total == 2
    assert (after.alts[0].jlpt, after.alts[0].renewal_intention, after.alts[0].version) == (
        Jlpt.N2,
        RenewalIntention.LEAVING,
        2,
    )
    entries = _audit(sessions, "roster.imported")
    assert [e.after["added"] if e.after else None for e in entries] == [["A01", "A02"], []]
    assert list_roster(sessions, _staff(orgs, "fuji")).alts == []


def test_the_roster_filters_by_renewal_intention_and_prefecture(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    import_roster(sessions, sakura, content=ROSTER.encode(), filename="roster.csv")
    undecided = RosterFilters(renewal_intention=RenewalIntention.UNDECIDED)
    assert [a.alt_id for a in list_roster(sessions, sakura, filters=undecided).alts] == ["A02"]
    osaka = list_roster(sessions, sakura, filters=RosterFilters(prefecture="Osaka"))
    assert osaka.alts == [] and osaka.total == 2 and osaka.prefectures == ["Hyogo"]


def test_checklist_and_renewal_edits_are_versioned_audited_and_stale_edits_refused(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    import_roster(sessions, sakura, content=ROSTER.encode(), filename="roster.csv")
    alt = list_roster(sessions, sakura).alts[0]
    ticked = tick_checklist(
        sessions,
        sakura,
        alt.id,
        ChecklistTick(item="contract_signed", done_on=dt.date(2027, 3, 1), version=alt.version),
    )
    assert ticked.checklist_done == 1 and ticked.version == alt.version + 1
    assert ticked.checklist[0].done_on == dt.date(2027, 3, 1)
    with pytest.raises(StaleError):  # the version read before the tick
        set_renewal_intention(
            sessions,
            sakura,
            alt.id,
            RenewalEdit(renewal_intention=RenewalIntention.LEAVING, version=alt.version),
        )
    changed = set_renewal_intention(
        sessions,
        sakura,
        alt.id,
        RenewalEdit(renewal_intention=RenewalIntention.LEAVING, version=ticked.version),
    )
    assert changed.renewal_intention is RenewalIntention.LEAVING
    with pytest.raises(RuleError) as refused:
        tick_checklist(
            sessions, sakura, alt.id, ChecklistTick(item="no_such_item", version=changed.version)
        )
    assert refused.value.field == "item"
    entry = _audit(sessions, "roster_alt.renewal_intention_set")[0]
    assert (entry.before, entry.after) == (
        {"renewal_intention": "renewing"},
        {"renewal_intention": "leaving"},
    )
    assert len(_audit(sessions, "roster_alt.checklist_ticked")) == 1
    with pytest.raises(NotFoundError):
        get_roster_alt(sessions, _staff(orgs, "fuji"), alt.id)


def test_assignments_show_on_the_contract_the_roster_and_to_the_boe(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    sakura = _staff(orgs, "sakura")
    contract = create_contract(sessions, sakura, _contract_fields(orgs)).id
    import_roster(sessions, sakura, content=ROSTER.encode(), filename="roster.csv")
    with sessions.begin() as session:
        emily = session.scalars(select(RosterAlt).where(RosterAlt.external_id == "A01")).one()
        p1, p2 = session.scalars(
            select(ContractPosition).order_by(ContractPosition.external_id)
        ).all()
        session.add_all(
            [
                RosterAssignment(
                    alt_id=emily.id,
                    position_id=p2.id,
                    start=dt.date(2026, 4, 1),
                    end=dt.date(2027, 3, 31),
                ),
                RosterAssignment(alt_id=emily.id, position_id=p1.id, start=dt.date(2027, 4, 1)),
            ]
        )
        emily_id = emily.id
    seen = get_contract(sessions, _staff(orgs, "kobe"), contract)
    assert [(p.position_id, p.alt.external_id if p.alt else None) for p in seen.positions] == [
        ("P1", "A01"),
        ("P2", None),
    ]
    assert list_contracts(sessions, sakura).contracts[0].filled == 1
    detail = get_roster_alt(sessions, sakura, emily_id)
    assert detail.current is not None and detail.current.position == "P1"
    assert [h.position for h in detail.history] == ["P1", "P2"]
    exported = export_roster(sessions, sakura, "csv").decode("utf-8-sig").splitlines()
    assert exported[0].startswith("alt_id,name,home_prefecture")
    assert exported[1].endswith("KOBE-2027,P1,School s01")


def test_the_operator_acts_for_a_named_company(sessions: Sessions, orgs: Mapping[str, int]) -> None:
    create_contract(sessions, _staff(orgs, "sakura"), _contract_fields(orgs))
    found = list_contracts(sessions, OPERATOR, company_id=orgs["sakura"])
    assert [c.reference for c in found.contracts] == ["KOBE-2027"]
    assert list_contracts(sessions, OPERATOR, company_id=orgs["fuji"]).contracts == []
    with pytest.raises(NotFoundError):
        list_contracts(sessions, OPERATOR, company_id=orgs["kobe"])
    with pytest.raises(RuleError):
        list_contracts(sessions, OPERATOR)
