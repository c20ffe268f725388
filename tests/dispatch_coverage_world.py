"""A small dispatch company, set up through the ORM, whose coverage is worked out by hand.

Today is 25 Nov 2026, so the rulebook's 12-month horizon runs Nov 2026 - Oct 2027.

- K-1 (Kobe BoE, Hyogo): 3 positions, ALT Ada (leaving, contract ends 30 Jun 2027) and Ben
  (renewing); one open. Gap 1 until June, 2 from July.
- Q-1 (Kyoto BoE, Kyoto): ends 31 Jul 2027 (renewal date 31 Oct 2026 has passed); 2 positions:
  Cai (undecided, ends 31 Mar 2027: at risk from April) and Dee (renewing: released from
  August). Gap 0 until March, 1 April-July, then no positions.
- Another company's contract with Kobe BoE (4 positions, one filled by its ALT Rex, who is
  leaving) that must never be counted.

Hiring targets: Hyogo 1 (April) + 1 (August); Kyoto 1 (April). Three in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from altmatch.db import Sessions
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    Organisation,
    RosterAlt,
    RosterAssignment,
    School,
)

TODAY = date(2026, 11, 25)


@dataclass(frozen=True)
class CoverageWorld:
    company: int
    other_company: int
    kobe: int
    kyoto: int
    alts: dict[str, int]
    contracts: dict[str, int]


def _alt(company: int, key: str, name: str, end: date, intention: str) -> RosterAlt:
    return RosterAlt(
        company_id=company,
        external_id=key,
        name=name,
        home_prefecture="Hyogo",
        home_municipality="Kobe",
        home_latitude=34.69,
        home_longitude=135.19,
        school_experience=["elementary"],
        driving_licence=False,
        jlpt="N3",
        contract_end=end,
        renewal_intention=intention,
    )


def _school(boe: int, key: str, name: str, name_ja: str) -> School:
    return School(
        boe_id=boe,
        external_id=key,
        name_en=name,
        name_ja=name_ja,
        level="elementary",
        area="urban",
        municipality="Kobe",
        latitude=34.69,
        longitude=135.19,
    )


def build_coverage_world(
    sessions: Sessions, *, company: int | None = None, kobe: int | None = None
) -> CoverageWorld:
    """Create the world (reusing an existing company and Kobe BoE when given)."""
    with sessions.begin() as session:

        def org(kind: str, name: str, name_ja: str, prefecture: str | None = None) -> int:
            row = Organisation(kind=kind, name_en=name, name_ja=name_ja, prefecture=prefecture)
            session.add(row)
            session.flush()
            return row.id

        company = company or org("company", "Sakura ALT", "さくらALT")
        other = org("company", "Rival Dispatch", "ライバル派遣")
        kobe = kobe or org("boe", "Kobe City BoE", "神戸市教育委員会", "Hyogo")
        kobe_row = session.get(Organisation, kobe)
        assert kobe_row is not None
        kobe_row.prefecture = "Hyogo"
        kyoto = org("boe", "Kyoto City BoE", "京都市教育委員会", "Kyoto")
        schools = [
            _school(kobe, "cov-k1", "Nada Elementary", "灘小学校"),
            _school(kobe, "cov-k2", "Suma Elementary", "須磨小学校"),
            _school(kobe, "cov-k3", "Tarumi Elementary", "垂水小学校"),
            _school(kyoto, "cov-q1", "Gion Elementary", "祇園小学校"),
            _school(kyoto, "cov-q2", "Arashiyama Elementary", "嵐山小学校"),
        ]
        session.add_all(schools)
        session.flush()

        def contract(
            owner: int, boe: int, ref: str, end: date, renewal: date | None
        ) -> DispatchContract:
            row = DispatchContract(
                company_id=owner,
                boe_id=boe,
                reference=ref,
                contract_type="worker_dispatch",
                start=date(2026, 4, 1),
                end=end,
                renewal_date=renewal,
                price_per_alt_month=380_000,
            )
            session.add(row)
            session.flush()
            return row

        k1 = contract(company, kobe, "K-1", date(2028, 3, 31), date(2027, 12, 31))
        q1 = contract(company, kyoto, "Q-1", date(2027, 7, 31), date(2026, 10, 31))
        rival = contract(other, kobe, "R-1", date(2028, 3, 31), None)

        def positions(owner: DispatchContract, picks: list[School]) -> list[ContractPosition]:
            rows = [
                ContractPosition(
                    contract_id=owner.id,
                    external_id=f"{owner.reference}-{i}",
                    school_id=s.id,
                    days_per_week=5,
                )
                for i, s in enumerate(picks, start=1)
            ]
            session.add_all(rows)
            session.flush()
            return rows

        k_pos = positions(k1, schools[:3])
        q_pos = positions(q1, schools[3:])
        r_pos = positions(rival, [schools[0], schools[1], schools[2], schools[2]])

        alts = {
            "ada": _alt(company, "A-ada", "Ada Lovelace", date(2027, 6, 30), "leaving"),
            "ben": _alt(company, "A-ben", "Ben Okri", date(2027, 7, 31), "renewing"),
            "cai": _alt(company, "A-cai", "Cai Wen", date(2027, 3, 31), "undecided"),
            "dee": _alt(company, "A-dee", "Dee Rees", date(2028, 3, 31), "renewing"),
            "eve": _alt(company, "A-eve", "Eve Moss", date(2027, 1, 31), "leaving"),
            "rex": _alt(other, "R-rex", "Rex Rival", date(2027, 1, 31), "leaving"),
        }
        session.add_all(alts.values())
        session.flush()
        for alt, pos in [("ada", k_pos[0]), ("ben", k_pos[1]), ("cai", q_pos[0])]:
            session.add(RosterAssignment(alt_id=alts[alt].id, position_id=pos.id, start=TODAY))
        session.add(RosterAssignment(alt_id=alts["dee"].id, position_id=q_pos[1].id, start=TODAY))
        session.add(RosterAssignment(alt_id=alts["rex"].id, position_id=r_pos[0].id, start=TODAY))
        # Eve worked K-1's third position until October: history, not coverage.
        session.add(
            RosterAssignment(
                alt_id=alts["eve"].id,
                position_id=k_pos[2].id,
                start=date(2026, 4, 1),
                end=date(2026, 10, 31),
            )
        )
        return CoverageWorld(
            company=company,
            other_company=other,
            kobe=kobe,
            kyoto=kyoto,
            alts={k: a.id for k, a in alts.items()},
            contracts={"K-1": k1.id, "Q-1": q1.id, "R-1": rival.id},
        )
