"""`altmatch interviews calibrate`: good scores give the three files; every bad file exits 2
with file:row:column and writes nothing."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from altmatch.cli import app

HEADER = "candidate_id,panel_id,assessor_id,criterion,score"
runner = CliRunner()


def rotating_scores() -> list[str]:
    """Eight candidates, two a panel; panels of three from six assessors, each panel sharing
    two assessors with the next; a4 to a6 are harsher (one point less)."""
    lines = []
    for i in range(8):
        panel = i // 2
        for a in (panel, panel + 1, panel + 2):
            for criterion in ("communication", "motivation"):
                score = 1 + (i * 3 + a) % 4 + (a < 3)
                lines.append(f"C{i},P{panel},a{a + 1},{criterion},{score}")
    return lines


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def calibrate(scores: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    args = ["interviews", "calibrate", "--scores", str(scores), "--out", str(out), *extra]
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_good_scores_write_the_three_files_with_their_columns(tmp_path: Path) -> None:
    code, stdout, stderr = calibrate(write(tmp_path / "s.csv", rotating_scores()), tmp_path / "o")
    assert code == 0, stderr
    out = tmp_path / "o"
    assert sorted(p.name for p in out.iterdir()) == [
        "assessors.csv",
        "calibrated.csv",
        "summary.json",
    ]
    calibrated = rows(out / "calibrated.csv")
    assert list(calibrated[0]) == ["candidate_id", "score", "se"]
    assert sorted(r["candidate_id"] for r in calibrated) == [f"C{i}" for i in range(8)]
    keys = [(-float(r["score"]), r["candidate_id"]) for r in calibrated]
    assert keys == sorted(keys)
    assessors = rows(out / "assessors.csv")
    assert list(assessors[0]) == ["assessor_id", "severity", "se"]
    assert [r["assessor_id"] for r in assessors] == [f"a{i}" for i in range(1, 7)]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["model"] == "additive-facets-least-squares"
    assert summary["connected"] is True and summary["suggested_swaps"] == []
    assert summary["components"] == [
        {"component": 1, "candidates": 8, "assessors": 6, "panels": ["P0", "P1", "P2", "P3"]}
    ]
    assert summary["counts"] == {
        "scores": 48,
        "candidates": 8,
        "assessors": 6,
        "criteria": 2,
        "panels": 4,
    }
    assert 0 <= summary["reliability"] <= 1 and summary["residual_sd"] > 0
    assert "Interview calibration" in stdout and str(out) in stdout


def test_an_xlsx_file_is_read_like_a_csv(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for line in rotating_scores():
        *ids, score = line.split(",")
        sheet.append([*ids, int(score)])
    book.save(tmp_path / "s.xlsx")
    write(tmp_path / "s.csv", rotating_scores())
    assert calibrate(tmp_path / "s.xlsx", tmp_path / "x")[0] == 0
    assert calibrate(tmp_path / "s.csv", tmp_path / "c")[0] == 0
    for name in ("calibrated.csv", "assessors.csv"):
        assert (tmp_path / "x" / name).read_text() == (tmp_path / "c" / name).read_text()


def test_panels_sharing_no_assessor_are_reported_with_suggested_swaps(tmp_path: Path) -> None:
    apart = [f"D{i},Q1,b{b},communication,{2 + (i + b) % 3}" for i in range(3) for b in (1, 2)]
    code, stdout, stderr = calibrate(
        write(tmp_path / "s.csv", rotating_scores() + apart), tmp_path / "o"
    )
    assert code == 0, stderr
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["connected"] is False
    assert [c["candidates"] for c in summary["components"]] == [8, 3]
    (swap,) = summary["suggested_swaps"]
    assert swap["panel_id"] == "Q1" and (swap["from_component"], swap["to_component"]) == (1, 2)
    assert any("share no assessor" in w for w in summary["warnings"])
    assert f"assessor {swap['assessor_id']} also sits on panel Q1, which joins group 1" in stdout


def test_a_candidate_heard_by_two_panels_is_accepted(tmp_path: Path) -> None:
    lines = [*rotating_scores(), "C0,P3,a5,communication,4", "C0,P3,a5,motivation,3"]
    assert calibrate(write(tmp_path / "s.csv", lines), tmp_path / "o")[0] == 0


BAD = [
    ("missing column", [], "candidate_id,panel_id,assessor_id,criterion", "1:score"),
    ("extra column", [], HEADER + ",room", "1:room"),
    ("blank id", [",P0,a1,communication,3"], HEADER, "50:candidate_id"),
    ("blank criterion", ["C1,P0,a1,,3"], HEADER, "50:criterion"),
    ("not a whole number", ["C9,P0,a1,communication,3.5"], HEADER, "50:score"),
    ("not a number", ["C9,P0,a1,communication,good"], HEADER, "50:score"),
    ("out of range", ["C9,P0,a1,communication,6"], HEADER, "50:score"),
    ("zero", ["C9,P0,a1,communication,0"], HEADER, "50:score"),
    ("scored twice", ["C0,P0,a1,communication,2"], HEADER, "50:criterion"),
]


@pytest.mark.parametrize(("problem", "extra", "header", "where"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_exits_2_with_file_row_column_and_writes_nothing(
    tmp_path: Path, problem: str, extra: list[str], header: str, where: str
) -> None:
    lines = rotating_scores() + extra
    if header != HEADER:  # the header is bad: keep the rows out of it
        lines = []
    scores = write(tmp_path / "s.csv", lines, header)
    code, _, stderr = calibrate(scores, tmp_path / "o")
    assert code == 2, problem
    assert re.search(rf"^{re.escape(str(scores))}:{where}: \S", stderr, re.M), stderr
    assert not (tmp_path / "o").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["s.csv"]  # no staging folder left


def test_a_file_with_no_scores_or_none_at_all_exits_2(tmp_path: Path) -> None:
    code, _, stderr = calibrate(write(tmp_path / "s.csv", []), tmp_path / "o")
    assert code == 2 and f"{tmp_path / 's.csv'}:0:-: the file has no scores" in stderr
    code, _, stderr = calibrate(tmp_path / "missing.csv", tmp_path / "o")
    assert code == 2 and "missing.csv:0:-: file not found" in stderr
    assert not (tmp_path / "o").exists()


def test_every_problem_is_reported_in_the_language_asked(tmp_path: Path) -> None:
    lines = [*rotating_scores(), ",P0,a1,communication,3", "C9,P0,a1,communication,9"]
    code, _, stderr = calibrate(write(tmp_path / "s.csv", lines), tmp_path / "o", "--lang", "ja")
    assert code == 2
    assert ":50:candidate_id: 空欄にはできません" in stderr
    assert ":51:score: 1から5までの値にしてください" in stderr


def test_an_existing_folder_is_kept_unless_forced(tmp_path: Path) -> None:
    scores = write(tmp_path / "s.csv", rotating_scores())
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "mine.txt").write_text("keep")
    code, _, stderr = calibrate(scores, tmp_path / "o")
    assert code == 2 and "already exists" in stderr
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["mine.txt"]
    assert calibrate(scores, tmp_path / "o", "--force")[0] == 0
    assert not (tmp_path / "o" / "mine.txt").exists()
