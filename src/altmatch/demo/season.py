"""Generate a whole demo season from a seed, and write it as a season folder.

`generate_demo` is pure (it reads only the packaged prefectures.yaml) and deterministic: the
same seed and size give an equal season on every machine. `write_demo_season` writes the
files `altmatch match` and `altmatch chances` read (docs/formats/season.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from altmatch.demo.boes import build_boes
from altmatch.demo.candidates import build_candidates
from altmatch.demo.companies import build_companies
from altmatch.demo.demand import build_requests
from altmatch.demo.model import DemoSeason, Programme
from altmatch.demo.personas import PROGRAMME_ID, personas
from altmatch.demo.places import load_prefectures
from altmatch.demo.schools import build_schools
from altmatch.io.outputs import Cell, csv_text, write_folder
from altmatch.io.season_files import COLUMNS, NOTES, CandidateRecord, RequestRecord

DEFAULT_SEED = 2026
DEFAULT_CANDIDATES = 6000
MAX_CANDIDATES = 1_000_000
PROGRAMME = Programme(PROGRAMME_ID, "ALT Placement Programme (demo)", "ALT配置プログラム（デモ）")


def generate_demo(seed: int = DEFAULT_SEED, *, candidates: int = DEFAULT_CANDIDATES) -> DemoSeason:
    """A realistic season: 47 prefectures, a few hundred BoEs and about a thousand schools,
    `candidates` applicants."""
    if not 0 < candidates <= MAX_CANDIDATES:
        raise ValueError(f"candidates must be between 1 and {MAX_CANDIDATES:,}")
    prefectures = load_prefectures()
    boes = build_boes(prefectures)
    region_of = {p.name: p.region for p in prefectures}
    people, couples = build_candidates(prefectures, candidates, seed)
    return DemoSeason(
        seed=seed,
        prefectures=prefectures,
        programme=PROGRAMME,
        boes=boes,
        schools=build_schools(prefectures, boes, seed),
        companies=build_companies(boes, region_of, seed),
        requests=build_requests(boes, seed),
        candidates=people,
        couples=couples,
        personas=personas(),
    )


def write_demo_season(demo: DemoSeason, folder: Path, *, force: bool = False) -> None:
    """Write requests.csv, candidates.csv and couples.csv into `folder`, all at once.

    An existing folder is refused unless `force` (io.outputs.OutputError either way).
    """
    write_folder(
        folder,
        {
            "requests.csv": _requests_csv(demo),
            "candidates.csv": _candidates_csv(demo),
            "couples.csv": csv_text(COLUMNS["couples"][0], demo.couples),
        },
        force=force,
    )


def _requests_csv(demo: DemoSeason) -> str:
    names_ja = {boe.id: boe.name_ja for boe in demo.boes}
    rows = (_request_cells(r.record, names_ja[r.boe_id]) for r in demo.requests)
    return _csv("requests", rows)


def _candidates_csv(demo: DemoSeason) -> str:
    return _csv("candidates", (_candidate_cells(c.record, c.name) for c in demo.candidates))


def _csv(role: str, rows: Iterable[Mapping[str, Cell]]) -> str:
    """The role's file with every column of its format, in the format's order, and notes."""
    required, optional = COLUMNS[role]
    header = (*required, *optional, NOTES)
    return csv_text(header, ([row[column] for column in header] for row in rows))


def _request_cells(r: RequestRecord, boe_ja: str) -> dict[str, Cell]:
    return {
        "request_id": r.id,
        "capacity": r.capacity,
        "boe": r.boe,
        "prefecture": r.prefecture,
        "school_levels": _list(r.school_levels),
        "area": r.area,
        "requires_driving_licence": _yes(r.requires_driving_licence),
        "min_jlpt": r.min_jlpt.value,
        "min_teaching_years": r.min_teaching_years,
        "weight_jlpt": r.weight_jlpt,
        "weight_teaching_years": r.weight_teaching_years,
        "weight_school_levels": r.weight_school_levels,
        "weight_driving_licence": r.weight_driving_licence,
        NOTES: boe_ja,
    }


def _candidate_cells(c: CandidateRecord, name: str) -> dict[str, Cell]:
    return {
        "candidate_id": c.id,
        "jlpt": c.jlpt.value,
        "teaching_years": c.teaching_years,
        "driving_licence": _yes(c.driving_licence),
        "school_experience": _list(c.school_experience),
        "interview_score": c.interview_score,
        "preferred_prefectures": _list(c.preferred_prefectures),
        "preferred_area": c.preferred_area,
        "preferred_school_levels": _list(c.preferred_school_levels),
        "accepts_anywhere": _yes(c.accepts_anywhere),
        NOTES: name,
    }


def _list(values: tuple[str, ...]) -> str:
    return ";".join(values)


def _yes(value: bool) -> str:
    return "yes" if value else "no"
