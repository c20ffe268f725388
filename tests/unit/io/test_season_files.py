"""A season folder loads whole, or every problem in every file is reported as file:row:column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from altmatch.io.season_files import (
    SeasonFilesError,
    load_season_files,
)
from altmatch.rulebook.vocabulary import Jlpt

EXAMPLES = Path(__file__).parents[3] / "examples"
REQUESTS = (
    "request_id,capacity,boe,prefecture,school_levels,area,requires_driving_licence,min_jlpt\n"
    "R1,2,Kobe City BoE,Hyogo,elementary;junior_high,urban,no,N4\n"
    "R2,1,Toyooka City BoE,Hyogo,,rural,yes,\n"
)
CANDIDATES = (
    "candidate_id,jlpt,teaching_years,preferred_prefectures\nC1,N3,2,Hyogo;Osaka\nC2,,,\nC3,n1,0,\n"
)


def season(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "season"
    folder.mkdir(exist_ok=True)
    texts = {"requests.csv": REQUESTS, "candidates.csv": CANDIDATES} | {
        name.replace("__", "."): text for name, text in files.items()
    }
    for name, text in texts.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path, **named: Path) -> list[str]:
    with pytest.raises(SeasonFilesError) as caught:
        load_season_files(folder, **named)
    return [str(e) for e in caught.value.errors]


def test_a_valid_season_loads_with_defaults_and_hashes(tmp_path: Path) -> None:
    loaded = load_season_files(season(tmp_path))
    r1, r2 = loaded.requests
    assert (r1.id, r1.capacity, r1.school_levels, r1.area) == (
        "R1",
        2,
        ("elementary", "junior_high"),
        "urban",
    )
    assert (r1.min_jlpt, r2.min_jlpt, r2.requires_driving_licence) == (Jlpt.N4, Jlpt.NONE, True)
    c1, c2, c3 = loaded.candidates
    assert c1.preferred_prefectures == ("Hyogo", "Osaka") and c1.teaching_years == 2
    assert (c2.jlpt, c2.teaching_years, c3.jlpt) == (Jlpt.NONE, 0, Jlpt.N1)
    assert loaded.candidate_ranks is None and loaded.request_ranks is None
    assert [s.role for s in loaded.sources] == ["requests", "candidates"]
    assert all(len(s.sha256) == 64 for s in loaded.sources)


def test_rank_files_give_ordered_lists_and_request_ties(tmp_path: Path) -> None:
    folder = season(
        tmp_path,
        candidate_ranks__csv="candidate_id,rank,request_id\nC1,2,R1\nC1,1,R2\nC3,5,R1\n",
        request_ranks__csv="request_id,rank,candidate_id\nR1,2,C3\nR1,1,C1\nR1,2,C2\n",
        couples__csv="candidate_id,partner_id\nC1,C2\n",
    )
    loaded = load_season_files(folder)
    assert loaded.candidate_ranks == {"C1": ("R2", "R1"), "C3": ("R1",)}
    assert loaded.request_ranks == {"R1": (("C1", 1), ("C3", 2), ("C2", 2))}
    assert loaded.couples == (("C1", "C2"),)


def test_every_problem_in_every_file_is_collected(tmp_path: Path) -> None:
    folder = season(
        tmp_path,
        requests__csv=(
            "request_id,capacity,boe,prefecture,area,min_jlpt,weight_jlpt\n"
            "R1,two,Kobe,Hyogo,suburban,N7,11\n"
            "R1,1,,Hyogo,,,\n"
        ),
        candidates__csv="candidate_id,driving_licence,interview_score\nC1,maybe,101\nC2,yes,3.5\n",
        candidate_ranks__csv=(
            "candidate_id,rank,request_id\nC1,1,R1\nC1,2,R1\nC2,1,R1\nC2,1,R9\nC9,0,R1\n"
        ),
        request_ranks__csv="request_id,rank,candidate_id\nR1,1,C1\nR1,3,C1\nR1,x,C2\n",
        couples__csv="candidate_id,partner_id\nC1,C1\nC2,C1\nC1,C3\n",
    )
    rq, cd, cr, rr, cp = (
        str(folder / f)
        for f in (
            "requests.csv",
            "candidates.csv",
            "candidate_ranks.csv",
            "request_ranks.csv",
            "couples.csv",
        )
    )
    assert problems(folder) == [
        f"{rq}:2:capacity: expected a whole number, got 'two'",
        f"{rq}:2:area: choose one of: urban, rural (you gave 'suburban')",
        f"{rq}:2:min_jlpt: choose one of: none, N5, N4, N3, N2, N1 (you gave 'N7')",
        f"{rq}:2:weight_jlpt: must be between 0 and 10, got 11",
        f"{rq}:3:request_id: duplicate id 'R1' (first at row 2)",
        f"{rq}:3:boe: must not be empty",
        f"{cd}:2:driving_licence: expected yes or no, got 'maybe'",
        f"{cd}:2:interview_score: must be between 0 and 100, got 101",
        f"{cd}:3:interview_score: expected a whole number, got '3.5'",
        f"{cr}:3:request_id: duplicate rank row: C1 already ranks R1 at row 2",
        f"{cr}:5:request_id: unknown request 'R9'",
        f"{cr}:5:rank: duplicate rank row: C2 already uses rank 1 at row 4 (a candidate's ranks "
        "cannot tie)",
        f"{cr}:6:candidate_id: unknown candidate 'C9'",
        f"{cr}:6:rank: must be between 1 and 10000000, got 0",
        f"{rr}:3:candidate_id: duplicate rank row: R1 already ranks C1 at row 2",
        f"{rr}:4:rank: expected a whole number, got 'x'",
        f"{cp}:2:partner_id: C1 cannot be their own partner",
        f"{cp}:4:partner_id: unknown candidate 'C3'",
        f"{cp}:4:candidate_id: C1 is already in a couple (row 3)",
    ]


def test_missing_and_unknown_columns_name_the_header_row(tmp_path: Path) -> None:
    folder = season(
        tmp_path,
        requests__csv="request_id,boe,prefecture,min_jplt\nR1,Kobe,Hyogo,N3\n",
        candidates__csv="id,notes\nC1,anything\n",
    )
    rq, cd = folder / "requests.csv", folder / "candidates.csv"
    found = problems(folder)
    assert found[0] == f"{rq}:1:capacity: missing column"
    assert found[1].startswith(f"{rq}:1:min_jplt: unknown column; the columns are: request_id,")
    assert found[2] == f"{cd}:1:candidate_id: missing column"
    assert found[3].startswith(f"{cd}:1:id: unknown column")
    assert len(found) == 4


def test_a_wrongly_encoded_file_is_reported_with_the_others(tmp_path: Path) -> None:
    folder = season(tmp_path, couples__csv="candidate_id,partner_id\nC1,C9\n")
    (folder / "candidates.csv").write_bytes("candidate_id\nC1\nJos\xe9\n".encode("latin-1"))
    found = problems(folder)
    assert found[0].startswith(f"{folder / 'candidates.csv'}:3:-: neither UTF-8 nor CP932")
    assert len(found) == 1  # ids cannot be checked against an unreadable file: no cascade


def test_cp932_files_from_japanese_excel_load(tmp_path: Path) -> None:
    folder = season(tmp_path)
    text = REQUESTS.replace("Kobe City BoE", "神戸市教育委員会").replace("Hyogo", "兵庫県")
    (folder / "requests.csv").write_bytes(text.encode("cp932"))
    loaded = load_season_files(folder)
    assert loaded.requests[0].boe == "神戸市教育委員会"
    assert loaded.requests[1].prefecture == "兵庫県"


def test_xlsx_is_accepted_wherever_csv_is_and_both_at_once_is_an_error(tmp_path: Path) -> None:
    folder = season(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in CANDIDATES.splitlines():
        sheet.append([int(x) if x.isdigit() else (x or None) for x in line.split(",")])
    book.save(folder / "candidates.xlsx")
    assert "also found candidates.csv" in problems(folder)[0]
    (folder / "candidates.csv").unlink()
    from_xlsx = load_season_files(folder)
    (folder / "candidates.xlsx").unlink()
    (folder / "candidates.csv").write_text(CANDIDATES)
    assert from_xlsx.candidates == load_season_files(folder).candidates


def test_files_can_be_named_instead_of_found(tmp_path: Path) -> None:
    folder = season(tmp_path)
    other = tmp_path / "elsewhere.csv"
    other.write_text("candidate_id\nX1\n")
    loaded = load_season_files(folder, candidates=other)
    assert [c.id for c in loaded.candidates] == ["X1"]
    assert loaded.sources[1].path == other
    assert problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}:0:-: season folder not found",
        "--requests:0:-: requests file not found (.csv or .xlsx)",
        "--candidates:0:-: candidates file not found (.csv or .xlsx)",
    ]


def test_ids_are_strings_so_leading_zeros_are_kept(tmp_path: Path) -> None:
    folder = season(tmp_path, candidates__csv="candidate_id\n007\n7\n")
    assert [c.id for c in load_season_files(folder).candidates] == ["007", "7"]


def test_the_example_season_loads() -> None:
    loaded = load_season_files(EXAMPLES / "season")
    assert len(loaded.candidates) == 12 and len(loaded.requests) == 5
    assert len({r.boe for r in loaded.requests}) == 3
    assert len(loaded.couples) == 1
