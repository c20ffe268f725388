"""run_match and run_upgrade: outcomes with reasons in words, a checked summary, vacancy chains."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from altmatch.engine import ENGINE_VERSION
from altmatch.io import outputs
from altmatch.io.season_files import SeasonFiles, load_season_files
from altmatch.services.season.placement import (
    MatchRun,
    PlacementError,
    alternate_rows,
    run_match,
    run_upgrade,
    save_match,
    save_upgrade,
)
from altmatch.services.season.placement_report import (
    CandidateExplanation,
    RequestCutoff,
    candidate_explanations,
)

EXAMPLE = Path(__file__).parents[4] / "examples" / "season"
SEED = 2026  # in the example, C03 ties C04 for Kobe's last elementary place and loses the draw


@pytest.fixture(scope="module")
def example() -> SeasonFiles:
    return load_season_files(EXAMPLE)


def explanations(run: MatchRun) -> list[CandidateExplanation]:
    """Each candidate's explanation, checked against the documented model."""
    found = candidate_explanations(run.indexed, run.result, run.reasons)
    return [CandidateExplanation.model_validate(e) for e in found]


def explanation(run: MatchRun, cid: str) -> CandidateExplanation:
    return next(e for e in explanations(run) if e.candidate_id == cid)


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


def test_placements_are_one_row_per_candidate_with_a_1_based_choice(example: SeasonFiles) -> None:
    run = run_match(example, SEED)
    rows = dict((cid, (rid, rank)) for cid, rid, rank in run.placements)
    assert list(rows) == [f"C{i:02d}" for i in range(1, 13)]
    assert rows["C01"] == ("KOB-ES", 1)
    assert rows["C07"] == ("NAG-SN", 2)  # the couple C07/C08 placed together at Nagano
    assert rows["C08"] == ("NAG-SN", 1)
    assert rows["C11"] == (None, None)


def test_a_lost_tie_is_explained_with_the_cutoff_the_rank_and_the_lottery(
    example: SeasonFiles,
) -> None:
    run = run_match(example, SEED)
    c03 = explanation(run, "C03")
    assert not c03.outcome.placed
    kobe = c03.why_not[0]
    assert kobe["request_id"] == "KOB-ES" and kobe["reason"] == "filled"
    assert (kobe["cutoff_rank"], kobe["your_rank"], kobe["lost_lottery"]) == (3, 3, True)


def test_a_failed_hard_requirement_is_named_in_the_explanation(example: SeasonFiles) -> None:
    c02 = explanation(run_match(example, SEED), "C02")
    reasons = {w["request_id"]: w for w in c02.why_not}
    assert reasons["TYO-MIX"]["reason"] == "hard_requirement"
    assert reasons["TYO-MIX"]["requirements"] == ["driving_licence"]
    assert reasons["KOB-JHS"]["requirements"] == ["min_jlpt"]
    assert [w["choice"] for w in c02.why_not] == [1, 2, 3]  # every request above the outcome


def test_each_request_gets_its_cutoff(example: SeasonFiles) -> None:
    run = run_match(example, SEED)
    lines = [json.loads(line) for line in run.explanation_lines()]
    cutoffs = {
        e["request_id"]: RequestCutoff.model_validate(e) for e in lines if e["kind"] == "request"
    }
    assert cutoffs["KOB-ES"].cutoff_rank == 3 and cutoffs["KOB-ES"].placed == 2
    assert list(cutoffs) == ["KOB-ES", "KOB-JHS", "TYO-MIX", "NAG-SHS", "NAG-SN"]


def test_the_summary_records_seed_engine_hashes_counts_and_a_passed_stability_check(
    example: SeasonFiles,
) -> None:
    summary = run_match(example, SEED).summary
    assert (summary.seed, summary.engine_version) == (SEED, ENGINE_VERSION)
    assert [(i.role, i.sha256) for i in summary.inputs] == [
        (s.role, s.sha256) for s in example.sources
    ]
    counts = summary.counts
    assert (counts.candidates, counts.placed, counts.unplaced) == (12, 8, 4)
    assert (counts.seats, counts.seats_filled, counts.couples_placed) == (8, 8, 1)
    assert summary.stability.stable and summary.stability.blocking_pairs == []
    assert (summary.candidate_lists, summary.request_lists) == ("derived", "derived")


def test_no_seed_draws_one_and_records_it(example: SeasonFiles) -> None:
    run = run_match(example)
    again = run_match(example, run.summary.seed)
    assert run.placements == again.placements


def test_alternates_are_in_the_requests_order(example: SeasonFiles) -> None:
    run = run_match(example, SEED)
    kobe = [
        (pos, cid) for rid, pos, cid in alternate_rows(run.indexed, run.result) if rid == "KOB-ES"
    ]
    assert kobe == [(1, "C03"), (2, "C02"), (3, "C10")]


def test_explicit_ranks_with_ties_and_an_unranked_candidate(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "s",
        requests="request_id,capacity,boe,prefecture\nR1,1,A,Hyogo\nR2,1,B,Osaka\n",
        candidates="candidate_id\nX\nY\nZ\n",
        candidate_ranks="candidate_id,rank,request_id\nX,1,R1\nY,1,R1\nY,2,R2\nZ,1,R1\n",
        request_ranks="request_id,rank,candidate_id\nR1,1,X\nR1,1,Y\nR2,1,Y\n",
    )
    run = run_match(load_season_files(folder), 5)
    assert (run.summary.candidate_lists, run.summary.request_lists) == ("given", "given")
    z = explanation(run, "Z")
    assert (z.why_not[0]["request_id"], z.why_not[0]["reason"]) == ("R1", "not_ranked")
    loser = "Y" if dict((c, r) for c, r, _ in run.placements)["X"] == "R1" else "X"
    reason = explanation(run, loser).why_not[0]
    assert reason["lost_lottery"] and reason["cutoff_rank"] == reason["your_rank"] == 1


def test_an_upgrade_fills_a_vacancy_chain_and_nobody_is_worse_off(
    example: SeasonFiles, tmp_path: Path
) -> None:
    save_match(run_match(example, SEED), tmp_path / "run")
    up = run_upgrade(example, tmp_path / "run", ["C05"])
    assert up.moves == (
        ("C05", "NAG-SHS", None, 1),  # the withdrawal opens Nagano's senior high place
        ("C07", "NAG-SN", "NAG-SHS", 1),  # C07 moves up (still at C08's BoE)
        ("C10", None, "NAG-SN", 1),  # and C10, unplaced, takes the place C07 left
    )
    assert "C05" not in [cid for cid, _, _ in up.placements]
    assert up.summary.nobody_worse_off and up.summary.stability.stable
    assert (up.summary.withdrawn, up.summary.moves, up.summary.chains) == (["C05"], 3, 1)
    save_upgrade(up, tmp_path / "up")
    again = run_upgrade(example, tmp_path / "up", ["C01"])  # upgrades chain on
    assert again.moves == (("C01", "KOB-ES", None, 1), ("C03", None, "KOB-ES", 1))
    assert again.summary.withdrawn == ["C05", "C01"]


def test_an_upgrade_refuses_unknown_repeated_or_already_withdrawn_ids(
    example: SeasonFiles, tmp_path: Path
) -> None:
    save_match(run_match(example, SEED), tmp_path / "run")
    save_upgrade(run_upgrade(example, tmp_path / "run", ["C05"]), tmp_path / "up")
    with pytest.raises(PlacementError) as caught:
        run_upgrade(example, tmp_path / "up", ["C99", "C05", "C01", "C01"])
    assert caught.value.problems == (
        "--withdraw: unknown candidate 'C99'",
        f"--withdraw: 'C05' has already withdrawn (in {tmp_path / 'up'})",
        "--withdraw: 'C01' is listed twice",
    )


def test_an_upgrade_refuses_when_an_input_changed_or_the_folder_is_not_a_run(
    example: SeasonFiles, tmp_path: Path
) -> None:
    save_match(run_match(example, SEED), tmp_path / "run")
    summary_path = tmp_path / "run" / outputs.SUMMARY
    data = json.loads(summary_path.read_text())
    data["inputs"][1]["sha256"] = "0" * 64
    summary_path.write_text(json.dumps(data))
    with pytest.raises(PlacementError, match=r"candidates\.csv: changed since"):
        run_upgrade(example, tmp_path / "run", ["C05"])
    with pytest.raises(PlacementError, match=r"not found; is .* an altmatch output folder"):
        run_upgrade(example, tmp_path, ["C05"])
    summary_path.write_text('{"seed": "x"}')
    with pytest.raises(PlacementError, match="not an altmatch summary"):
        run_upgrade(example, tmp_path / "run", ["C05"])


def test_outputs_appear_atomically_or_not_at_all(
    example: SeasonFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = run_match(example, SEED)

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(outputs, "jsonl_text", broken)
    with pytest.raises(RuntimeError):
        save_match(run, tmp_path / "out")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []

    original_open = Path.open

    def fail_on_summary(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == outputs.SUMMARY:
            raise OSError(28, "No space left on device")
        return original_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", fail_on_summary)
    with pytest.raises(outputs.OutputError, match="No space left"):
        save_match(run, tmp_path / "out")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []  # no output, and no temporary folder left behind


def test_force_replaces_an_existing_output_only_once_the_new_one_is_complete(
    example: SeasonFiles, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(outputs.OutputError, match="already exists"):
        save_match(run_match(example, SEED), out)
    save_match(run_match(example, SEED), out, force=True)
    assert sorted(p.name for p in out.iterdir()) == [
        "alternates.csv",
        "explanations.jsonl",
        "placements.csv",
        "summary.json",
        "why_not.csv",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_couple_kept_apart_by_boe_is_told_so_naming_the_partner(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "s",
        requests="request_id,capacity,boe,prefecture\nR1,1,Kobe,Hyogo\nR2,1,Nagano,Nagano\n",
        candidates="candidate_id,preferred_prefectures\nX,Hyogo\nY,Nagano\n",
        couples="candidate_id,partner_id\nX,Y\n",
    )
    run = run_match(load_season_files(folder), 1)
    assert [r for _, r, _ in run.placements] == [None, None]  # never at two different BoEs
    x = explanation(run, "X").why_not[0]
    assert (x["request_id"], x["reason"], x["partner_id"]) == ("R1", "couple", "Y")


def test_requests_reached_only_by_accepting_anywhere_are_summarised_not_listed(
    example: SeasonFiles,
) -> None:
    run = run_match(example, SEED)
    lists = run.indexed.lists
    summarised = 0
    for e in explanations(run):
        c = run.indexed.candidate_index[e.candidate_id]
        stated = int(lists.stated[c])
        assert all(w["choice"] <= stated for w in e.why_not)
        above = (e.outcome.choice or len(lists.candidate_list(c)) + 1) - 1
        if e.anywhere is None:
            assert len(e.why_not) == min(above, stated)
            continue
        summarised += 1
        assert len(e.why_not) == stated
        tail = e.anywhere
        assert tail.requests == above - stated
        assert tail.filled + tail.not_ranked + tail.hard_requirement + tail.couple == tail.requests
        if tail.closest is not None:
            assert tail.closest["reason"] == "filled" and tail.closest["choice"] > stated
    assert summarised > 0  # the example has candidates who accept anywhere and are not placed
