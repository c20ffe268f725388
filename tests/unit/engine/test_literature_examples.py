"""Worked examples from the literature, kept as regression data."""

from __future__ import annotations

from altmatch.engine import check_stability, stable_match

# Gale & Shapley (1962), "College Admissions and the Stability of Marriage", first example:
# three men (alpha, beta, gamma) and three women (A, B, C); each man's first choice is a
# different woman, and each woman's first choice is a man who ranks her last. The paper shows
# three stable matchings: everyone's first choice for one side, for the other, and everyone's
# second choice. Proposers get their optimum.
MEN = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]  # alpha: A B C; beta: B C A; gamma: C A B
# A: beta gamma alpha; B: gamma alpha beta; C: alpha beta gamma
WOMEN = [[1, 2, 0], [2, 0, 1], [0, 1, 2]]


def test_men_proposing_gives_every_man_his_first_choice() -> None:
    result = stable_match(MEN, WOMEN, [1, 1, 1], seed=0)
    assert result.assignment.tolist() == [0, 1, 2]


def test_women_proposing_gives_every_woman_her_first_choice() -> None:
    result = stable_match(WOMEN, MEN, [1, 1, 1], seed=0)
    assert result.assignment.tolist() == [1, 2, 0]


def test_everyone_with_their_second_choice_is_stable_too() -> None:
    second = [1, 2, 0]  # alpha-B, beta-C, gamma-A
    assert check_stability(MEN, WOMEN, [1, 1, 1], second) == []
    assert check_stability(MEN, WOMEN, [1, 1, 1], [0, 2, 1]) != []  # a mixed one is not
