"""Three fictional dispatch companies, each holding ALT contracts with BoEs in its regions."""

from __future__ import annotations

from collections.abc import Sequence

from altmatch.demo.draw import Draw
from altmatch.demo.model import Boe, Company
from altmatch.demo.personas import COMPANY_IDS, personas

# id -> English name, Japanese name, regions served. The names are invented for the demo.
_COMPANIES = {
    COMPANY_IDS[0]: (
        "Sakura Language Partners Co., Ltd.",
        "さくらランゲージパートナーズ株式会社",
        ("kinki", "chugoku", "shikoku"),
    ),
    COMPANY_IDS[1]: (
        "Minato Education Services Inc.",
        "みなと教育サービス株式会社",
        ("kanto", "chubu"),
    ),
    COMPANY_IDS[2]: (
        "Hokushin Global Learning Co., Ltd.",
        "北辰グローバルラーニング株式会社",
        ("hokkaido", "tohoku", "kyushu"),
    ),
}
CONTRACT_SHARE = 0.25  # of the municipal BoEs in a company's regions


def build_companies(
    boes: Sequence[Boe], region_of: dict[str, str], seed: int
) -> tuple[Company, ...]:
    """Each company's contracts: a quarter of the municipal BoEs in its regions, drawn by seed,
    plus every BoE a persona ALT of that company works at."""
    draw = Draw(seed, "companies")
    promised = {(p.organisation_id, p.boe_id) for p in personas() if p.boe_id}
    companies = []
    for company_id, (name, name_ja, regions) in _COMPANIES.items():
        contracted = [
            boe.id
            for boe in boes
            if boe.municipality is not None
            and region_of[boe.prefecture] in regions
            and (draw.chance(CONTRACT_SHARE) or (company_id, boe.id) in promised)
        ]
        companies.append(Company(company_id, name, name_ja, regions, tuple(contracted)))
    return tuple(companies)
