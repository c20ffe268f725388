"""Plain-Python reference definitions the engine is checked against (slow, obvious, separate)."""

from __future__ import annotations

from collections.abc import Sequence

from tests.unit.engine.strategies import MarketSpec


def value_at(spec: MarketSpec, r: int, c: int) -> int | None:
    """r's value for c: its rank number with ranks, else c's position in r's list."""
    if c not in spec.request_prefs[r]:
        return None
    j = spec.request_prefs[r].index(c)
    return spec.request_ranks[r][j] if spec.request_ranks is not None else j


def order_key(spec: MarketSpec, lottery: Sequence[int], r: int, c: int) -> tuple[int, int]:
    value = value_at(spec, r, c)
    assert value is not None
    return (value, int(lottery[c]))


def outcome_position(spec: MarketSpec, c: int, r: int) -> int:
    own = spec.candidate_prefs[c]
    return own.index(r) if r >= 0 else len(own)


def chooses(spec: MarketSpec, lottery: Sequence[int], r: int, applicants: list[int]) -> set[int]:
    """Whom r keeps from `applicants`: its `capacity` best among those it ranks."""
    ranked = [c for c in applicants if value_at(spec, r, c) is not None]
    ranked.sort(key=lambda c: order_key(spec, lottery, r, c))
    return set(ranked[: spec.capacities[r]])


def joint_options(spec: MarketSpec, a: int, b: int) -> list[tuple[int, int]]:
    """The documented joint list: same group, one request only with two seats, ordered by the
    sum of positions, then the larger position, then a's position."""
    groups = spec.request_groups or list(range(len(spec.capacities)))
    options = [
        (i + j, max(i, j), i, ra, rb)
        for i, ra in enumerate(spec.candidate_prefs[a])
        for j, rb in enumerate(spec.candidate_prefs[b])
        if groups[ra] == groups[rb] and (ra != rb or spec.capacities[ra] >= 2)
    ]
    return [(ra, rb) for *_, ra, rb in sorted(options)]


def brute_force_blocking(
    spec: MarketSpec, assignment: Sequence[int], lottery: Sequence[int]
) -> list[tuple[int, int]]:
    """Every blocking (candidate, request), by definition: a single with a request it prefers
    that would choose it; a couple option above the couple's own that both requests would
    choose, the couple's seats released (each moving member with its request)."""
    n = len(assignment)
    couples = spec.couples or []
    members = {c for pair in couples for c in pair}
    found: set[tuple[int, int]] = set()
    for c in range(n):
        if c in members:
            continue
        own = spec.candidate_prefs[c]
        for r in own[: outcome_position(spec, c, assignment[c])]:
            there = [x for x in range(n) if assignment[x] == r]
            if c in chooses(spec, lottery, r, [*there, c]):
                found.add((c, r))
    for a, b in couples:
        options = joint_options(spec, a, b)
        now = (assignment[a], assignment[b])
        current = options.index(now) if now != (-1, -1) else len(options)
        for ra, rb in options[:current]:
            moved = list(assignment)
            moved[a], moved[b] = ra, rb
            if all(
                member in chooses(spec, lottery, r, [x for x in range(n) if moved[x] == r])
                for member, r in ((a, ra), (b, rb))
            ):
                if ra != assignment[a]:
                    found.add((a, ra))
                if rb != assignment[b]:
                    found.add((b, rb))
    return sorted(found, key=lambda cr: (cr[0], spec.candidate_prefs[cr[0]].index(cr[1])))
