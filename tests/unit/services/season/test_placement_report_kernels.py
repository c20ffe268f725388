"""A run's reasons, computed with the engine's compiled passes, equal the NumPy computation they
replaced (`placement_report_oracle`): the same arrays for RunReasons and the same why_not.csv
rows, on demo seasons (derived lists, couples, accepts-anywhere tails), the example season,
and after withdrawals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.unit.services.season import placement_report_oracle as oracle

from altmatch.demo.season import generate_demo, write_demo_season
from altmatch.engine import MatchResult, withdraw
from altmatch.io.season_files import load_season_files
from altmatch.services.season.placement import run_match
from altmatch.services.season.placement_index import IndexedSeason
from altmatch.services.season.placement_report import RunReasons, run_reasons, why_not_rows

EXAMPLE = Path(__file__).parents[4] / "examples" / "season"


def assert_same(indexed: IndexedSeason, result: MatchResult) -> None:
    ours, theirs = run_reasons(indexed, result), oracle.run_reasons(indexed, result)
    for name in ("code", "unmet", "stated_end", "tail", "closest", "list_lengths"):
        a, b = getattr(ours, name), getattr(theirs, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert a.tolist() == b.tolist(), name
    assert isinstance(ours, RunReasons)
    assert list(why_not_rows(indexed, ours)) == list(oracle.why_not_rows(indexed, theirs))


@pytest.mark.parametrize(("seed", "candidates"), [(1, 300), (7, 800), (2026, 60), (5, 5)])
def test_reasons_of_demo_seasons_are_those_numpy_gave(
    seed: int, candidates: int, tmp_path: Path
) -> None:
    write_demo_season(generate_demo(seed, candidates=candidates), tmp_path / "season")
    run = run_match(load_season_files(tmp_path / "season"), seed)
    assert_same(run.indexed, run.result)
    rng = np.random.default_rng(seed)
    gone = rng.choice(candidates, size=max(1, candidates // 10), replace=False).tolist()
    assert_same(run.indexed, withdraw(run.result, gone).result)


def test_reasons_of_the_example_season_are_those_numpy_gave() -> None:
    run = run_match(load_season_files(EXAMPLE), 2026)
    assert_same(run.indexed, run.result)


def test_reasons_with_given_ranks_are_those_numpy_gave(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    files = {
        "requests": "request_id,capacity,boe,prefecture\nR1,1,A,Hyogo\nR2,1,B,Osaka\n",
        "candidates": "candidate_id\nX\nY\nZ\n",
        "candidate_ranks": "candidate_id,rank,request_id\nX,1,R1\nY,1,R1\nY,2,R2\nZ,1,R1\n",
        "request_ranks": "request_id,rank,candidate_id\nR1,1,X\nR1,1,Y\nR2,1,Y\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text)
    run = run_match(load_season_files(folder), 5)
    assert not run.indexed.lists.request_lists_derived
    assert_same(run.indexed, run.result)
