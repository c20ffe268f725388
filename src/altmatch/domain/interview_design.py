"""Who scored whom in an interview round: the design's connected parts, and moves that join them.

Two assessors' severities can be compared only through candidates they both scored, directly or
along a chain (A and B shared a candidate, B and C another, so A and C compare). The design is
the bipartite graph of candidates and assessors with an edge for every score; its connected
components are the groups within which severities, and so calibrated scores, mean the same.
When there are several, `AssessorMove`s say how to join them: one assessor of the largest group
also sits on a panel of each other group, which puts a shared candidate between the two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from altmatch.i18n import N_, Message


@dataclass(frozen=True)
class Component:
    """Candidates and assessors linked through shared candidates; ids sorted. `panels` are the
    panels that heard its candidates, busiest first."""

    number: int  # 1 for the largest group (most candidates), then 2, 3, ...
    candidates: tuple[str, ...]
    assessors: tuple[str, ...]
    panels: tuple[str, ...]


@dataclass(frozen=True)
class AssessorMove:
    """ "Assessor `assessor_id` also sits on panel `panel_id`": scoring that panel's candidates
    joins the assessor's group (`from_component`) to the panel's (`to_component`)."""

    assessor_id: str
    panel_id: str
    from_component: int
    to_component: int

    @property
    def message(self) -> Message:
        template = N_(
            "Suggested: assessor {assessor} also sits on panel {panel}, which joins group "
            "{other} to group {group}."
        )
        params = {
            "assessor": self.assessor_id,
            "panel": self.panel_id,
            "group": self.to_component,
            "other": self.from_component,
        }
        return Message(template, params)


@dataclass(frozen=True)
class Design:
    """The groups of a round's scores and, when there are several, the moves that join them."""

    components: tuple[Component, ...]  # largest first
    moves: tuple[AssessorMove, ...]  # none when connected
    component_of_candidate: Mapping[str, int]
    component_of_assessor: Mapping[str, int]

    @property
    def connected(self) -> bool:
        return len(self.components) == 1


def design_of(links: Iterable[tuple[str, str, str]]) -> Design:
    """The design of scores given as (candidate_id, assessor_id, panel_id), one per score."""
    heard: Counter[tuple[str, str, str]] = Counter(links)
    candidates = sorted({c for c, _, _ in heard})
    assessors = sorted({a for _, a, _ in heard})
    at_c = {c: i for i, c in enumerate(candidates)}
    at_a = {a: len(candidates) + i for i, a in enumerate(assessors)}
    nodes = len(candidates) + len(assessors)
    rows = np.array([at_c[c] for c, _, _ in heard], dtype=np.int64)
    cols = np.array([at_a[a] for _, a, _ in heard], dtype=np.int64)
    graph = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(nodes, nodes))
    _, labels = connected_components(graph, directed=False)

    members: defaultdict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for c in candidates:
        members[int(labels[at_c[c]])][0].append(c)
    for a in assessors:
        members[int(labels[at_a[a]])][1].append(a)
    # Largest first; a tie goes to the group whose first candidate id sorts first.
    order = sorted(members, key=lambda label: (-len(members[label][0]), members[label][0][0]))
    number = {label: i + 1 for i, label in enumerate(order)}
    of_candidate = {c: number[int(labels[at_c[c]])] for c in candidates}
    of_assessor = {a: number[int(labels[at_a[a]])] for a in assessors}

    panel_load: Counter[tuple[int, str]] = Counter()  # (group, panel) -> candidates heard
    assessor_load: Counter[str] = Counter()  # assessor -> candidates scored
    for _, a in {(c, a) for c, a, _ in heard}:
        assessor_load[a] += 1
    for c, p in {(c, p) for c, _, p in heard}:
        panel_load[of_candidate[c], p] += 1
    components = tuple(
        Component(
            number=number[label],
            candidates=tuple(members[label][0]),
            assessors=tuple(members[label][1]),
            panels=_busiest(number[label], panel_load),
        )
        for label in order
    )
    return Design(components, _moves(components, assessor_load), of_candidate, of_assessor)


def _busiest(group: int, panel_load: Counter[tuple[int, str]]) -> tuple[str, ...]:
    panels = [(n, p) for (g, p), n in panel_load.items() if g == group]
    return tuple(p for _, p in sorted(panels, key=lambda item: (-item[0], item[1])))


def _moves(components: tuple[Component, ...], load: Counter[str]) -> tuple[AssessorMove, ...]:
    """One move per group after the first, all from the largest group: its assessor who scored
    the most candidates (whose severity is best known) joins each other group's busiest panel.
    A star of moves joins every group with as few moves as there are extra groups."""
    if len(components) < 2:
        return ()
    hub = components[0]
    anchor = min(hub.assessors, key=lambda a: (-load[a], a))
    return tuple(
        AssessorMove(anchor, other.panels[0], hub.number, other.number) for other in components[1:]
    )
