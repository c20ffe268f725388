"""Preference lists as CSR arrays, validated with messages that point at the faulty entry."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _kernels

IntArray = NDArray[np.int64]
CSR = tuple[IntArray, IntArray]
Prefs = Sequence[Sequence[int]] | tuple[NDArray[np.integer], NDArray[np.integer]]


def as_csr(prefs: Prefs, *, rows: int | None, name: str) -> CSR:
    """(indptr, indices) as int64 arrays; lists of lists are packed, CSR pairs checked.

    Contiguous int64 arrays are used as they are, never copied. Lists of lists are packed by
    NumPy from their lengths and one chained iterator, with no Python loop per entry.
    """
    if isinstance(prefs, tuple) and len(prefs) == 2 and isinstance(prefs[0], np.ndarray):
        indptr = np.ascontiguousarray(prefs[0], dtype=np.int64)
        indices = np.ascontiguousarray(prefs[1], dtype=np.int64)
        if indptr.ndim != 1 or indices.ndim != 1 or len(indptr) == 0:
            raise ValueError(f"{name}: a CSR pair needs 1-d indptr (len rows+1) and indices")
        if indptr[0] != 0 or indptr[-1] != len(indices) or np.any(indptr[1:] < indptr[:-1]):
            raise ValueError(f"{name}: indptr must start at 0, never decrease, end at len(indices)")
    else:
        indptr, indices = _pack(prefs)
    if rows is not None and len(indptr) - 1 != rows:
        raise ValueError(f"{name}: expected {rows} lists, got {len(indptr) - 1}")
    return indptr, indices


def _pack(prefs: Sequence[Sequence[int]] | Iterable[Iterable[int]]) -> CSR:
    lists = prefs if isinstance(prefs, Sequence) else list(prefs)
    try:
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    except TypeError:  # rows without a length (generators): materialise them once
        lists = [list(row) for row in lists]
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    total = int(indptr[-1])
    indices = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=total)
    return indptr, indices


def _locate(indptr: IntArray, flat_position: int) -> tuple[int, int]:
    row = int(np.searchsorted(indptr, flat_position, side="right") - 1)
    return row, flat_position - int(indptr[row])


def check_entries(csr: CSR, *, upper: int, name: str, what: str) -> None:
    """Every entry in [0, upper) and no list naming the same entry twice."""
    indptr, indices = csr
    if len(indices):
        bad = np.flatnonzero((indices < 0) | (indices >= upper))
        if len(bad):
            row, pos = _locate(indptr, int(bad[0]))
            value = int(indices[bad[0]])
            raise ValueError(f"{name}[{row}][{pos}]: {what} {value} is out of range 0..{upper - 1}")
    dup = int(_kernels.first_duplicate(indptr, indices, upper))
    if dup >= 0:
        row, pos = _locate(indptr, dup)
        raise ValueError(
            f"{name}[{row}][{pos}]: {what} {int(indices[dup])} appears twice in list {row}"
        )


def check_values(values: CSR, csr: CSR, *, name: str) -> None:
    """Rank numbers: one per list entry, each a non-negative integer."""
    v_indptr, v_values = values
    if not np.array_equal(v_indptr, csr[0]):
        raise ValueError(f"{name}: must have exactly one rank per entry of request_prefs")
    bad = np.flatnonzero(v_values < 0)
    if len(bad):
        row, pos = _locate(v_indptr, int(bad[0]))
        raise ValueError(f"{name}[{row}][{pos}]: rank {int(v_values[bad[0]])} is negative")


def as_capacities(capacities: Sequence[int] | NDArray[np.integer], *, rows: int) -> IntArray:
    caps = np.ascontiguousarray(capacities, dtype=np.int64)
    if caps.ndim != 1 or len(caps) != rows:
        raise ValueError(f"capacities: expected {rows} values, got shape {caps.shape}")
    negative = np.flatnonzero(caps < 0)
    if len(negative):
        raise ValueError(
            f"capacities[{int(negative[0])}]: capacity {int(caps[negative[0]])} is negative"
        )
    return caps
