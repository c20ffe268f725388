"""Named demo personas with stable ids: one for each role, and the records they relate to.

Every persona's ids are the same for every seed: BoE ids come from the packaged place names,
company ids are fixed, and candidate personas are always the season's first candidates (their
profiles are below). The database seeder creates one account per persona, signing in with
`login` and `DEMO_PASSWORD`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from altmatch.domain.access import Role
from altmatch.io.season_files import CandidateRecord
from altmatch.rulebook.vocabulary import Jlpt

# The password of every demo account. It is public by design (it is in the source), so demo
# accounts are for a demo database on your own machine only: never seed them where real
# people's data lives or where others can reach the server.
DEMO_PASSWORD = "altmatch-demo-2026"
LOGIN_DOMAIN = "demo.altmatch.example"  # .example is reserved (RFC 2606): mail never leaves

PROGRAMME_ID = "programme"
COMPANY_IDS = ("company-sakura", "company-minato", "company-hokushin")


@dataclass(frozen=True)
class Persona:
    """Someone to sign in as in the demo, and the ids of what they work with."""

    key: str  # stable, e.g. "kobe_boe_staff"
    role: Role
    name: str
    name_ja: str
    organisation_id: str | None = None  # their tenant: the programme, a BoE or a company
    candidate_id: str | None = None  # a candidate's own application
    boe_id: str | None = None  # where an employed ALT works

    @property
    def login(self) -> str:
        return f"{self.key}@{LOGIN_DOMAIN}"


_PERSONAS = (
    Persona("administrator", Role.ADMIN, "Taro Ito", "伊藤 太郎"),
    Persona(
        "programme_coordinator",
        Role.COORDINATOR,
        "Mariko Suzuki",
        "鈴木 真理子",
        organisation_id=PROGRAMME_ID,
    ),
    # A former participant who sits on interview panels: sees only their panels' candidates.
    Persona(
        "assessor_hiroshi",
        Role.ASSESSOR,
        "Hiroshi Nakamura",
        "中村 浩",
        organisation_id=PROGRAMME_ID,
    ),
    Persona(
        "kobe_boe_staff",
        Role.BOE_STAFF,
        "Kenji Yamamoto",
        "山本 健二",
        organisation_id="boe-28-kobe",
    ),
    Persona(
        "toyooka_boe_staff",
        Role.BOE_STAFF,
        "Yuki Sato",
        "佐藤 由紀",
        organisation_id="boe-28-toyooka",
    ),
    Persona(
        "nagano_pref_boe_staff",
        Role.BOE_STAFF,
        "Haruto Kobayashi",
        "小林 陽翔",
        organisation_id="boe-20-pref",
    ),
    # A client BoE of company-sakura: sees that contract and the ALTs at its own schools only.
    Persona(
        "nishinomiya_boe_staff",
        Role.BOE_STAFF,
        "Aiko Tanaka",
        "田中 愛子",
        organisation_id="boe-28-nishinomiya",
    ),
    Persona(
        "sakura_company_staff",
        Role.COMPANY_STAFF,
        "Naoko Kato",
        "加藤 直子",
        organisation_id="company-sakura",
    ),
    # Another company's staff: sees Minato's contracts and roster, never Sakura's.
    Persona(
        "minato_company_staff",
        Role.COMPANY_STAFF,
        "Daisuke Inoue",
        "井上 大輔",
        organisation_id="company-minato",
    ),
    Persona(
        "candidate_emily",
        Role.CANDIDATE,
        "Emily Carter",
        "エミリー・カーター",
        candidate_id="C00001",
    ),
    Persona(
        "candidate_liam", Role.CANDIDATE, "Liam Walsh", "リアム・ウォルシュ", candidate_id="C00002"
    ),
    Persona(
        "candidate_aisha", Role.CANDIDATE, "Aisha Bello", "アイシャ・ベロ", candidate_id="C00003"
    ),
    Persona(
        "candidate_sofia", Role.CANDIDATE, "Sofia Rossi", "ソフィア・ロッシ", candidate_id="C00004"
    ),
    Persona(
        "candidate_mateo", Role.CANDIDATE, "Mateo Silva", "マテオ・シルバ", candidate_id="C00005"
    ),
    Persona(
        "alt_james",
        Role.ALT,
        "James Okafor",
        "ジェームズ・オカフォー",
        organisation_id="company-sakura",
        boe_id="boe-28-nishinomiya",
    ),
    # A third-year dispatch ALT with JLPT N2 applying for direct hire (demo/direct_hire.py).
    Persona(
        "alt_hannah",
        Role.ALT,
        "Hannah Becker",
        "ハンナ・ベッカー",
        organisation_id="company-minato",
        boe_id="boe-11-kawagoe",
    ),
)
_BY_KEY = {p.key: p for p in _PERSONAS}

# The candidate personas' applications, placed first in every demo season.
PERSONA_CANDIDATES: tuple[CandidateRecord, ...] = (
    # Emily: some Japanese, two years in elementary schools, wants a city in Kansai.
    CandidateRecord(
        id="C00001",
        jlpt=Jlpt.N4,
        teaching_years=2,
        driving_licence=True,
        school_experience=("elementary",),
        interview_score=84,
        preferred_prefectures=("Hyogo", "Kyoto", "Osaka"),
        preferred_area="urban",
        preferred_school_levels=("elementary",),
        accepts_anywhere=False,
    ),
    # Liam: new to teaching and to Japanese, drives, hopes for Hokkaido but goes anywhere.
    CandidateRecord(
        id="C00002",
        jlpt=Jlpt.NONE,
        teaching_years=0,
        driving_licence=True,
        school_experience=(),
        interview_score=71,
        preferred_prefectures=("Hokkaido",),
        preferred_area="rural",
        preferred_school_levels=(),
        accepts_anywhere=True,
    ),
    # Aisha: fluent (N2), a secondary teacher of five years, aiming for Tokyo.
    CandidateRecord(
        id="C00003",
        jlpt=Jlpt.N2,
        teaching_years=5,
        driving_licence=False,
        school_experience=("junior_high", "senior_high"),
        interview_score=90,
        preferred_prefectures=("Tokyo", "Kanagawa"),
        preferred_area=None,
        preferred_school_levels=("junior_high", "senior_high"),
        accepts_anywhere=False,
    ),
    # Sofia and Mateo apply as a couple: the Japanese Alps, or anywhere together.
    CandidateRecord(
        id="C00004",
        jlpt=Jlpt.N5,
        teaching_years=1,
        driving_licence=True,
        school_experience=("elementary",),
        interview_score=78,
        preferred_prefectures=("Nagano", "Niigata"),
        preferred_area=None,
        preferred_school_levels=(),
        accepts_anywhere=True,
    ),
    CandidateRecord(
        id="C00005",
        jlpt=Jlpt.N3,
        teaching_years=0,
        driving_licence=True,
        school_experience=(),
        interview_score=74,
        preferred_prefectures=("Nagano", "Niigata"),
        preferred_area=None,
        preferred_school_levels=(),
        accepts_anywhere=True,
    ),
)
PERSONA_COUPLES: tuple[tuple[str, str], ...] = (("C00004", "C00005"),)
PERSONA_NAMES: Mapping[str, str] = {p.candidate_id: p.name for p in _PERSONAS if p.candidate_id}


def personas() -> tuple[Persona, ...]:
    """Every demo persona, administrators first, then staff, candidates and ALTs."""
    return _PERSONAS


def persona(key: str) -> Persona:
    """The persona with this key, e.g. persona("kobe_boe_staff"); KeyError if there is none."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no demo persona {key!r}; the personas are: {', '.join(_BY_KEY)}") from None
