"""The demo season's interview round: recruiting offices, panels of three, and every rubric score.

Each recruiting office (an embassy or consulate) has its own assessors: two embassy officers,
three former participants and two educators, with severities drawn once (some harsh, some
lenient). A panel is one of each; from one panel to the next one seat changes hands, so
consecutive panels share two assessors and the office's assessors form one linked group. A
panel hears eight candidates. A programme
officer from Tokyo sits in for the embassy officer on each office's first panel, which links
every office's assessors into one design, except the last office's: the report then shows
what an unlinked office looks like (a warning, and the swap that would link it).

A candidate's true rubric ability follows the interview score the demo generated for them
(40-100 read as 1-5), so calibration recovers roughly that order while raw means carry each
panel's luck. What the database demo imports as each application's interview score is what a
programme without calibration would have: the raw mean of their panel's scores on the season's
0-100 (`raw_scores`), so a calibrated score's change is exactly its panel's adjustment.
Deterministic: the demo's seed and candidates give the same file on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from altmatch.demo.draw import Draw
from altmatch.demo.model import DemoSeason
from altmatch.domain.calibrated_scores import match_score
from altmatch.rulebook import load_rulebook

HEADER = "candidate_id,panel_id,assessor_id,criterion,score"
# Recruiting offices and the share of applicants each interviews (a demo assumption).
OFFICES: tuple[tuple[str, float], ...] = (
    ("washington", 0.30),
    ("london", 0.18),
    ("ottawa", 0.14),
    ("canberra", 0.12),
    ("wellington", 0.08),
    ("dublin", 0.07),
    ("pretoria", 0.06),
    ("manila", 0.05),  # never visited from Tokyo: the unlinked office
)
ROLES = (("officer", 2), ("alumni", 3), ("educator", 2))  # a panel takes one of each
VISITOR = "tokyo-programme-officer"
PER_PANEL = 8
SEVERITY_SD = 0.35  # rubric points between assessors (demo assumption)
NOISE_SD = 0.6  # one score's own noise, rubric points
# How each criterion runs against the others (positive: scored higher), in the rubric's order.
CRITERION_OFFSETS = (0.15, 0.0, 0.25, -0.3, -0.1)
SCORE_RANGE = (40, 100)  # the demo's imported interview scores (demo.candidates)


@dataclass(frozen=True)
class InterviewRound:
    """The round as a scores file, its size, and each candidate's raw mean on 0-100."""

    content: bytes
    scores: int
    assessors: int
    panels: int
    raw_scores: Mapping[str, int]  # candidate id -> raw panel mean on the season's 0-100


def interview_round(demo: DemoSeason) -> InterviewRound:
    """Every candidate of `demo` interviewed once, scored by three assessors on every
    criterion of the rulebook's rubric."""
    rubric = load_rulebook().interview_rubric
    low, high = rubric.min_score, rubric.max_score
    criteria = [c.id for c in rubric.criteria]
    offsets = [CRITERION_OFFSETS[i % len(CRITERION_OFFSETS)] for i in range(len(criteria))]
    draw = Draw(demo.seed, "interviews")
    severity: dict[str, float] = {VISITOR: draw.normal(0.0, SEVERITY_SD)}
    pools: dict[str, list[list[str]]] = {}
    for office, _share in OFFICES:
        pools[office] = []
        for role, count in ROLES:
            members = [f"{office}-{role}-{k}" for k in range(1, count + 1)]
            severity.update((m, draw.normal(0.0, SEVERITY_SD)) for m in members)
            pools[office].append(members)
    heard: dict[str, list[tuple[str, int]]] = {office: [] for office, _ in OFFICES}
    shares = [share for _, share in OFFICES]
    for c in demo.candidates:
        heard[draw.weighted([o for o, _ in OFFICES], shares)].append(
            (c.record.id, c.record.interview_score)
        )
    lines = [HEADER]
    raw: dict[str, int] = {}
    panels = 0
    linked = {office for office, _ in OFFICES[:-1]}
    for office, people in heard.items():
        for start in range(0, len(people), PER_PANEL):
            number = start // PER_PANEL
            panel = f"{office}-p{number + 1:03d}"
            trio = _trio(pools[office], number)
            if number == 0 and office in linked:
                trio[0] = VISITOR
            panels += 1
            for candidate, generated in people[start : start + PER_PANEL]:
                ability = _ability(generated, low, high)
                given = []
                for assessor in trio:
                    for criterion, offset in zip(criteria, offsets, strict=True):
                        value = ability + offset - severity[assessor] + draw.normal(0.0, NOISE_SD)
                        score = max(low, min(high, round(value)))
                        given.append(score)
                        lines.append(f"{candidate},{panel},{assessor},{criterion},{score}")
                raw[candidate] = match_score(sum(given) / len(given), low, high)
    content = ("\n".join(lines) + "\n").encode()
    used = {line.split(",")[2] for line in lines[1:]}
    return InterviewRound(content, len(lines) - 1, len(used), panels, raw)


def _trio(pool: Sequence[Sequence[str]], number: int) -> list[str]:
    """The `number`-th panel's assessors, one of each role. From one panel to the next one
    seat changes hands, the seats in turn, so consecutive panels share two assessors."""
    seats = len(pool)
    return [
        members[((number + seats - 1 - seat) // seats) % len(members)]
        for seat, members in enumerate(pool)
    ]


def _ability(imported: int, low: int, high: int) -> float:
    """The imported 40-100 score read on the rubric's scale."""
    bottom, top = SCORE_RANGE
    return low + (high - low) * (imported - bottom) / (top - bottom)
