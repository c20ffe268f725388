"""`altmatch match` / `altmatch upgrade`: every bad input exits 2 with file:row:column and writes
nothing; good input writes reproducible outputs, from CSV (UTF-8 or CP932) or XLSX alike."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from altmatch.cli import app

EXAMPLES = Path(__file__).parents[4] / "examples"
OUTPUTS = ["alternates.csv", "explanations.jsonl", "placements.csv", "summary.json", "why_not.csv"]
runner = CliRunner()


@pytest.fixture
def season(tmp_path: Path) -> Path:
    """A copy of the example season that a test may break."""
    return Path(shutil.copytree(EXAMPLES / "season", tmp_path / "season"))


def match(season: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["match", "--season", str(season), "--seed", "7", "--out", str(out), *extra]
    )
    return result.exit_code, result.stdout, result.stderr


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_match_writes_the_four_outputs_and_prints_a_summary(season: Path, tmp_path: Path) -> None:
    code, stdout, stderr = match(season, tmp_path / "out")
    assert code == 0, stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == OUTPUTS
    placements = rows(tmp_path / "out" / "placements.csv")
    assert list(placements[0]) == ["candidate_id", "request_id", "candidate_rank"]
    assert len(placements) == 12
    unplaced = [r for r in placements if r["request_id"] == ""]
    assert all(r["candidate_rank"] == "" for r in unplaced) and unplaced
    assert list(rows(tmp_path / "out" / "alternates.csv")[0]) == [
        "request_id",
        "position",
        "candidate_id",
    ]
    lines = (tmp_path / "out" / "explanations.jsonl").read_text().splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds == ["candidate"] * 12 + ["request"] * 5
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["stability"]["stable"] is True
    assert "Candidates placed" in stdout and "stable" in stdout and "Seed" in stdout


def test_the_reasons_table_has_a_row_per_request_above_each_outcome(
    season: Path, tmp_path: Path
) -> None:
    assert match(season, tmp_path / "out")[0] == 0
    table = rows(tmp_path / "out" / "why_not.csv")
    lines = (tmp_path / "out" / "explanations.jsonl").read_text().splitlines()
    counted = {e["candidate_id"]: e["why_not_rows"] for e in map(json.loads, lines[:12])}
    assert {c: sum(r["candidate_id"] == c for r in table) for c in counted} == counted
    jlpt = next(r for r in table if r["candidate_id"] == "C02" and r["request_id"] == "KOB-JHS")
    assert (jlpt["reason"], jlpt["requirements"], jlpt["cutoff_rank"]) == (
        "hard_requirement",
        "min_jlpt",
        "",
    )


def test_alternates_lists_each_requests_first_twenty_unless_asked_for_more(
    tmp_path: Path,
) -> None:
    many = tmp_path / "many"
    many.mkdir()
    (many / "requests.csv").write_text("request_id,capacity,boe,prefecture\nR1,1,A,Hyogo\n")
    people = "".join(f"C{i:02d},Hyogo\n" for i in range(30))
    (many / "candidates.csv").write_text("candidate_id,preferred_prefectures\n" + people)

    assert match(many, tmp_path / "first")[0] == 0
    assert match(many, tmp_path / "all", "--alternates", "0")[0] == 0
    assert match(many, tmp_path / "five", "--alternates", "5")[0] == 0

    first = rows(tmp_path / "first" / "alternates.csv")
    assert [int(r["position"]) for r in first] == list(range(1, 21))
    every = rows(tmp_path / "all" / "alternates.csv")
    assert len(every) == 29 and every[:20] == first  # the same order, cut after 20
    assert rows(tmp_path / "five" / "alternates.csv") == first[:5]


def test_the_same_seed_gives_byte_identical_outputs(season: Path, tmp_path: Path) -> None:
    assert match(season, tmp_path / "a")[0] == 0
    assert match(season, tmp_path / "b")[0] == 0
    for name in OUTPUTS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_different_seeds_may_break_the_kobe_tie_differently(season: Path, tmp_path: Path) -> None:
    winners = set()
    for seed in range(12):
        out = tmp_path / f"run{seed}"
        runner.invoke(
            app, ["match", "--season", str(season), "--seed", str(seed), "--out", str(out)]
        )
        placed = {r["candidate_id"] for r in rows(out / "placements.csv") if r["request_id"]}
        winners.add(("C03" in placed, "C04" in placed))
    assert winners == {(True, False), (False, True)}  # a tie, decided by the seeded lottery


BAD_INPUTS = {
    "unknown id": (
        "couples.csv",
        "C01,C99",
        "couples.csv:3:partner_id: unknown candidate 'C99'",
    ),
    "duplicate rank row": (
        "request_ranks.csv",
        None,
        "request_ranks.csv:3:candidate_id: duplicate rank row: KOB-ES already ranks C01 at row 2",
    ),
    "non-integer capacity": (
        "requests.csv",
        "KOB-X,two,Kobe City BoE,Hyogo,,,,,,,,,,",
        "requests.csv:7:capacity: expected a whole number, got 'two'",
    ),
}


@pytest.mark.parametrize("problem", sorted(BAD_INPUTS))
def test_bad_input_exits_2_names_file_row_column_and_writes_nothing(
    season: Path, tmp_path: Path, problem: str
) -> None:
    name, line, expected = BAD_INPUTS[problem]
    if line is None:
        (season / name).write_text("request_id,rank,candidate_id\nKOB-ES,1,C01\nKOB-ES,2,C01\n")
    else:
        append(season / name, line)
    code, _, stderr = match(season, tmp_path / "out")
    assert code == 2
    assert f"{season / expected}" in stderr.splitlines()
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["season"]  # no temporary folder either


def test_a_missing_column_exits_2_naming_the_header_cell(season: Path, tmp_path: Path) -> None:
    text = (season / "requests.csv").read_text().replace(",capacity,", ",places,", 1)
    (season / "requests.csv").write_text(text)
    code, _, stderr = match(season, tmp_path / "out")
    assert code == 2
    assert f"{season / 'requests.csv'}:1:capacity: missing column" in stderr.splitlines()
    assert any(
        line.startswith(f"{season / 'requests.csv'}:1:places: unknown column")
        for line in stderr.splitlines()
    )
    assert not (tmp_path / "out").exists()


def test_a_wrong_encoding_exits_2_naming_the_row(season: Path, tmp_path: Path) -> None:
    with (season / "candidates.csv").open("ab") as fh:
        fh.write("C13,N3,0,no,,50,Hyogo,,,no,Jos\xe9\n".encode("latin-1"))
    code, _, stderr = match(season, tmp_path / "out")
    assert code == 2
    (line,) = stderr.splitlines()
    assert line.startswith(f"{season / 'candidates.csv'}:14:-: neither UTF-8 nor CP932")
    assert not (tmp_path / "out").exists()


def test_every_problem_is_listed_not_just_the_first(season: Path, tmp_path: Path) -> None:
    append(season / "couples.csv", "C01,C99")
    append(season / "requests.csv", "KOB-X,two,Kobe City BoE,Hyogo,,,,,,,,,,")
    code, _, stderr = match(season, tmp_path / "out")
    assert code == 2 and len(stderr.splitlines()) == 2


def test_a_cp932_season_from_japanese_excel_gives_the_same_placements(
    season: Path, tmp_path: Path
) -> None:
    assert match(season, tmp_path / "utf8")[0] == 0
    for name in ("requests.csv", "candidates.csv", "couples.csv"):
        text = (season / name).read_text(encoding="utf-8")
        (season / name).write_bytes(text.replace("Nishi-ku", "西区").encode("cp932"))
    code, _, stderr = match(season, tmp_path / "cp932")
    assert code == 0, stderr
    assert rows(tmp_path / "cp932" / "placements.csv") == rows(tmp_path / "utf8" / "placements.csv")


def test_an_xlsx_season_round_trips_to_the_same_outputs(season: Path, tmp_path: Path) -> None:
    assert match(season, tmp_path / "csv")[0] == 0
    xlsx = tmp_path / "xlsx-season"
    xlsx.mkdir()
    for name in ("requests", "candidates", "couples"):
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        with (season / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            for record in csv.reader(fh):
                sheet.append([int(v) if v.isdigit() else v for v in record])
        book.save(xlsx / f"{name}.xlsx")
    code, _, stderr = match(xlsx, tmp_path / "xlsx")
    assert code == 0, stderr
    for name in ("placements.csv", "alternates.csv", "explanations.jsonl"):
        assert (tmp_path / "xlsx" / name).read_bytes() == (tmp_path / "csv" / name).read_bytes()


def test_the_xlsx_example_matches_the_csv_example(tmp_path: Path) -> None:
    assert match(EXAMPLES / "season", tmp_path / "csv")[0] == 0
    code, _, stderr = match(EXAMPLES / "season-xlsx", tmp_path / "xlsx")
    assert code == 0, stderr
    for name in ("placements.csv", "alternates.csv", "explanations.jsonl"):
        assert (tmp_path / "xlsx" / name).read_bytes() == (tmp_path / "csv" / name).read_bytes()


def test_files_can_be_named_one_by_one(season: Path, tmp_path: Path) -> None:
    (season / "couples.csv").rename(tmp_path / "pairs.csv")
    result = runner.invoke(
        app,
        [
            "match",
            "--requests", str(season / "requests.csv"),
            "--candidates", str(season / "candidates.csv"),
            "--couples", str(tmp_path / "pairs.csv"),
            "--seed", "7",
            "--out", str(tmp_path / "out"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [i["file"] for i in summary["inputs"]][-1] == str(tmp_path / "pairs.csv")


def test_an_existing_outdir_is_refused_unless_forced(season: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    code, _, stderr = match(season, tmp_path / "out")
    assert code == 2 and "already exists (use --force" in stderr
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"
    assert match(season, tmp_path / "out", "--force")[0] == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == OUTPUTS


def test_an_upgrade_writes_the_vacancy_chain_and_the_new_placements(
    season: Path, tmp_path: Path
) -> None:
    assert match(season, tmp_path / "run", "--seed", "2026")[0] == 0
    result = runner.invoke(
        app,
        [
            "upgrade",
            "--season", str(season),
            "--from", str(tmp_path / "run"),
            "--withdraw", "C05",
            "--out", str(tmp_path / "up"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "up" / "moves.csv").read_text() == (
        "candidate_id,from_request_id,to_request_id,chain\n"
        "C05,NAG-SHS,,1\n"
        "C07,NAG-SN,NAG-SHS,1\n"
        "C10,,NAG-SN,1\n"
    )
    placed = {r["candidate_id"]: r["request_id"] for r in rows(tmp_path / "up" / "placements.csv")}
    assert "C05" not in placed and placed["C10"] == "NAG-SN"
    summary = json.loads((tmp_path / "up" / "summary.json").read_text())
    assert summary["seed"] == 2026 and summary["withdrawn"] == ["C05"]
    assert "Vacancy chains" in result.stdout


def test_an_upgrade_with_bad_ids_or_changed_files_exits_2_and_writes_nothing(
    season: Path, tmp_path: Path
) -> None:
    assert match(season, tmp_path / "run")[0] == 0
    args = ["upgrade", "--season", str(season), "--from", str(tmp_path / "run")]
    bad = runner.invoke(app, [*args, "--withdraw", "C05,C99", "--out", str(tmp_path / "up")])
    assert bad.exit_code == 2
    assert bad.stderr.splitlines() == ["--withdraw: unknown candidate 'C99'"]
    append(season / "couples.csv", "C01,C02")
    changed = runner.invoke(app, [*args, "--withdraw", "C05", "--out", str(tmp_path / "up")])
    assert changed.exit_code == 2
    assert f"{season / 'couples.csv'}: changed since" in changed.stderr
    assert not (tmp_path / "up").exists()


def test_both_commands_are_documented_in_the_readme() -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    for text in ("altmatch match", "altmatch upgrade", "## Placement season files"):
        assert text in readme
