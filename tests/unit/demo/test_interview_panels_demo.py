"""The demo's interview round: deterministic, every candidate heard by a panel of three on every
criterion, offices linked by the visiting officer except the last, raw means as imported."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from altmatch.demo import generate_demo
from altmatch.demo.interview_panels import OFFICES, VISITOR, interview_round
from altmatch.domain.calibrated_scores import match_score
from altmatch.domain.interview_design import design_of
from altmatch.rulebook import load_rulebook

DEMO = generate_demo(7, candidates=300)


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(interview_round(DEMO).content.decode())))


def test_the_same_seed_gives_the_same_file() -> None:
    assert (
        interview_round(DEMO).content == interview_round(generate_demo(7, candidates=300)).content
    )
    assert (
        interview_round(DEMO).content != interview_round(generate_demo(8, candidates=300)).content
    )


def test_every_candidate_is_scored_by_three_assessors_on_every_criterion() -> None:
    rubric = load_rulebook().interview_rubric
    criteria = {c.id for c in rubric.criteria}
    seen: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in _rows():
        seen[row["candidate_id"]].add((row["assessor_id"], row["criterion"]))
        assert rubric.min_score <= int(row["score"]) <= rubric.max_score
    assert set(seen) == {c.record.id for c in DEMO.candidates}
    for pairs in seen.values():
        assert len({a for a, _ in pairs}) == 3 and {k for _, k in pairs} == criteria
        assert len(pairs) == 3 * len(criteria)


def test_the_visitor_links_every_office_but_the_last() -> None:
    rows = _rows()
    design = design_of((r["candidate_id"], r["assessor_id"], r["panel_id"]) for r in rows)
    assert len(design.components) == 2
    unlinked = OFFICES[-1][0]
    assert all(a.startswith(unlinked) for a in design.components[1].assessors)
    assert VISITOR in design.components[0].assessors


def test_the_imported_scores_are_the_raw_panel_means_on_0_to_100() -> None:
    given: defaultdict[str, list[int]] = defaultdict(list)
    for row in _rows():
        given[row["candidate_id"]].append(int(row["score"]))
    raw = interview_round(DEMO).raw_scores
    assert raw == {c: match_score(sum(s) / len(s), 1, 5) for c, s in given.items()}
