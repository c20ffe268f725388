"""Roster assignment: ALTs to contract positions, most positions filled, then least total cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from altmatch.engine.prefs import IntArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Assignment:
    """A roster. `position_of_alt[a]` is a's position (-1: none), `alt_of_position[p]` is p's ALT
    (-1: unfilled), `cost_per_alt[a]` the cost of a's pair (0.0 when a has none)."""

    position_of_alt: IntArray
    alt_of_position: IntArray
    total_cost: float
    cost_per_alt: FloatArray


def _validate(
    n_alts: int, n_positions: int, indptr: IntArray, indices: IntArray, costs: FloatArray
) -> None:
    """Raise ValueError unless (indptr, indices, costs) is a CSR list of distinct allowed pairs."""
    if n_alts < 0 or n_positions < 0:
        raise ValueError(f"counts must be non-negative, got {n_alts} ALTs, {n_positions} positions")
    if indptr.shape != (n_alts + 1,) or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError(f"indptr must be a non-decreasing array of {n_alts + 1} from 0")
    if indices.shape != (int(indptr[-1]),) or costs.shape != indices.shape:
        raise ValueError(f"indices and costs must both have indptr[-1] = {indptr[-1]} entries")
    if indices.size and (indices.min() < 0 or indices.max() >= n_positions):
        bad = int(np.flatnonzero((indices < 0) | (indices >= n_positions))[0])
        raise ValueError(f"entry {bad}: position {indices[bad]} is not in 0..{n_positions - 1}")
    if not np.all(np.isfinite(costs)):
        raise ValueError(f"entry {int(np.flatnonzero(~np.isfinite(costs))[0])}: cost is not finite")
    rows = np.repeat(np.arange(n_alts, dtype=np.int64), np.diff(indptr))
    keys = rows * max(n_positions, 1) + indices
    unique, counts = np.unique(keys, return_counts=True)
    if np.any(counts > 1):
        a, p = divmod(int(unique[counts > 1][0]), max(n_positions, 1))
        raise ValueError(f"ALT {a} lists position {p} more than once")


def _pin_entries(
    pinned: Mapping[int, int], n_alts: int, n_positions: int, indptr: IntArray, indices: IntArray
) -> dict[int, int]:
    """Map each pinned ALT to the CSR entry of its pinned pair, checking the pins."""
    entries: dict[int, int] = {}
    taken: dict[int, int] = {}
    for alt, pos in pinned.items():
        a, p = int(alt), int(pos)
        if not 0 <= a < n_alts:
            raise ValueError(f"pin {a} -> {p}: ALT {a} is not in 0..{n_alts - 1}")
        if not 0 <= p < n_positions:
            raise ValueError(f"pin {a} -> {p}: position {p} is not in 0..{n_positions - 1}")
        if p in taken:
            raise ValueError(f"pin {a} -> {p}: position {p} is already pinned to ALT {taken[p]}")
        hits = np.flatnonzero(indices[indptr[a] : indptr[a + 1]] == p)
        if hits.size == 0:
            raise ValueError(f"pin {a} -> {p}: position {p} is not among ALT {a}'s candidates")
        taken[p] = a
        entries[a] = int(indptr[a] + hits[0])
    return entries


# Where the padded sparse solver (LAPJVsp) is slow: a block in which most ALTs may take most
# positions (one city). There SciPy's dense LAPJV on the block's full matrix is far faster; the
# cap keeps its matrix within 128 MB (16M cells, 4,000 x 4,000).
DENSE_SHARE = 0.02
DENSE_MAX_CELLS = 16_000_000


def _match_sparse(n: int, m: int, rows: IntArray, cols: IntArray, shifted: FloatArray) -> IntArray:
    """LAPJVsp on a graph padded to a square one with a perfect matching (Jonker & Volgenant
    1987, Crouse 2016): row i gets a dummy column m+i and column j a dummy row n+j, both at cost
    BIG ("left out"), and every edge (i, j) a mirror edge (n+j, m+i) at cost 1 so that matched
    pairs free their dummies. A matching M then costs sum(c over M) + |M| + BIG * (n + m - 2|M|)
    with every c >= 1 (SciPy treats explicit zeros as absent). BIG exceeds what any matching's
    edge costs can add up to, so the optimum fills as many pairs as possible first and then
    minimises the cost among those maximum matchings."""
    out = np.full(n, -1, dtype=np.int64)
    big = (min(n, m) + 1) * (float(shifted.max()) + 1.0) + 1.0
    ar_n, ar_m = np.arange(n, dtype=np.int64), np.arange(m, dtype=np.int64)
    r = np.concatenate([rows, ar_n, n + ar_m, n + cols])
    c = np.concatenate([cols, m + ar_n, ar_m, m + rows])
    w = np.concatenate([shifted, np.full(n + m, big), np.ones(rows.size)])
    graph = csr_matrix((w, (r, c)), shape=(n + m, n + m))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = (row_ind < n) & (col_ind < m)
    out[row_ind[real]] = col_ind[real]
    return out


def _match_dense(n: int, m: int, rows: IntArray, cols: IntArray, shifted: FloatArray) -> IntArray:
    """LAPJV on the full n x m matrix, absent pairs at the same BIG: using one costs more than
    any set of real pairs can, so again most pairs first, then least cost."""
    out = np.full(n, -1, dtype=np.int64)
    big = (min(n, m) + 1) * (float(shifted.max()) + 1.0) + 1.0
    matrix = np.full((n, m), big)
    matrix[rows, cols] = shifted
    r, c = linear_sum_assignment(matrix)
    real = matrix[r, c] < big
    out[r[real]] = c[real]
    return out


def _match(n: int, m: int, rows: IntArray, cols: IntArray, costs: FloatArray) -> IntArray:
    """Maximum-cardinality minimum-cost matching of n rows to m columns over the given edges;
    returns each row's column (-1: none).

    The graph falls apart into connected components (towns far apart share no candidates), and
    an optimum of the whole is the union of the components' optima, so each is solved on its
    own: densely connected ones by the dense solver, the rest by the sparse one.
    """
    out = np.full(n, -1, dtype=np.int64)
    if rows.size == 0:
        return out
    shifted = costs - costs.min() + 1.0
    graph = csr_matrix((np.ones(rows.size), (rows, n + cols)), shape=(n + m, n + m))
    _, label = connected_components(graph, directed=False)
    edge_label = label[rows]
    if np.all(edge_label == edge_label[0]):  # one block: solve in place, no renumbering
        return _solve_block(n, m, rows, cols, shifted)
    order = np.argsort(edge_label, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_label[order])) + 1
    for edges in np.split(order, bounds):
        alts, r_local = np.unique(rows[edges], return_inverse=True)
        positions, c_local = np.unique(cols[edges], return_inverse=True)
        local = _solve_block(alts.size, positions.size, r_local, c_local, shifted[edges])
        hit = local >= 0
        out[alts[hit]] = positions[local[hit]]
    return out


def _solve_block(n: int, m: int, rows: IntArray, cols: IntArray, shifted: FloatArray) -> IntArray:
    dense = n * m <= DENSE_MAX_CELLS and rows.size > DENSE_SHARE * n * m
    return (_match_dense if dense else _match_sparse)(n, m, rows, cols, shifted)


def assign_roster(
    n_alts: int,
    n_positions: int,
    candidates: tuple[ArrayLike, ArrayLike],
    costs: ArrayLike,
    *,
    pinned: Mapping[int, int] | None = None,
) -> Assignment:
    """Assign ALTs to positions, each ALT to at most one position and each position to at most
    one ALT, over the allowed pairs only: first as many filled positions as possible, then the
    least total cost (a rectangular assignment problem, Kuhn 1955; solved per connected block by
    SciPy's sparse LAPJVsp or, for densely connected blocks, its dense LAPJV).

    `candidates` is a CSR pair (indptr over ALTs, indices = position ids) listing the allowed
    pairs; `costs` is aligned with its entries (commute minutes less continuity bonus, say).
    `pinned` maps ALTs to positions that must be kept; the rest is optimised around them.
    Raises ValueError naming the first bad entry or pin.
    """
    indptr = np.asarray(candidates[0], dtype=np.int64)
    indices = np.asarray(candidates[1], dtype=np.int64)
    cost = np.asarray(costs, dtype=np.float64)
    _validate(n_alts, n_positions, indptr, indices, cost)
    pins = _pin_entries(pinned or {}, n_alts, n_positions, indptr, indices)

    rows = np.repeat(np.arange(n_alts, dtype=np.int64), np.diff(indptr))
    alt_free = np.ones(n_alts, dtype=bool)
    pos_free = np.ones(n_positions, dtype=bool)
    alt_free[list(pins)] = False
    pos_free[indices[list(pins.values())]] = False
    keep = alt_free[rows] & pos_free[indices]

    # Solve the unpinned rest on compact ids, then map back.
    free_alts, free_pos = np.flatnonzero(alt_free), np.flatnonzero(pos_free)
    alt_id = np.cumsum(alt_free) - 1
    pos_id = np.cumsum(pos_free) - 1
    sub = _match(
        free_alts.size, free_pos.size, alt_id[rows[keep]], pos_id[indices[keep]], cost[keep]
    )

    position_of_alt = np.full(n_alts, -1, dtype=np.int64)
    matched = sub >= 0
    position_of_alt[free_alts[matched]] = free_pos[sub[matched]]
    for a, entry in pins.items():
        position_of_alt[a] = indices[entry]
    alt_of_position = np.full(n_positions, -1, dtype=np.int64)
    assigned = np.flatnonzero(position_of_alt >= 0)
    alt_of_position[position_of_alt[assigned]] = assigned

    # Read each pair's cost back from the input, so totals are exact sums of given costs.
    cost_per_alt = np.zeros(n_alts, dtype=np.float64)
    chosen = keep.copy()
    chosen[keep] = position_of_alt[rows[keep]] == indices[keep]
    chosen[list(pins.values())] = True
    cost_per_alt[rows[chosen]] = cost[chosen]
    return Assignment(position_of_alt, alt_of_position, float(cost_per_alt.sum()), cost_per_alt)
