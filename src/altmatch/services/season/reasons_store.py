"""A stored run's reasons, packed: one small binary value per placement (run_placements.reasons),
rendered into an explanation when someone reads it.

Kept as JSON with a sentence per reason, a 6,000-candidate run's explanations took 38 MB; the
same facts as fixed-size records take about 1.5 MB, and the words are written on reading, in
the reader's language. A value is a header of HEADER_FIELDS little-endian int32 (FORMAT, the
candidate's list length, how many reasons follow, the accepts-anywhere tail's size and its
counts by reason, the closest tail request's choice or 0, the partner's candidate row id or
0), then one ROW per request they asked for above their outcome (their choices 1, 2, ...),
then the closest tail request's ROW if there is one. Requests are season_requests row ids, the
same id space as the rest of the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from altmatch.db import season as repo
from altmatch.db.models import RunPlacement, SeasonCandidate
from altmatch.services.season.placement_index import IndexedSeason
from altmatch.services.season.placement_report import (
    RunReasons,
    anywhere_summary,
    outcome_sentence,
    why_not_entry,
)

FORMAT = 1
HEADER_FIELDS = 10
HEADER = np.dtype("<i4")
# flags: bits 0-1 the reason (REPORT_REASONS), bit 2 lost the lottery, bits 3-5 failed requirements
ROW = np.dtype([("request", "<i4"), ("value", "<i4"), ("cutoff", "<i4"), ("flags", "u1")])


def pack_reasons(
    indexed: IndexedSeason,
    reasons: RunReasons,
    request_row_ids: Mapping[str, int],
    candidate_row_ids: Mapping[str, int],
) -> dict[str, bytes]:
    """Each candidate's packed reasons, by candidate external id; the records are built for
    everyone at once."""
    why = reasons.why
    season = indexed.season
    request_ids = np.array([request_row_ids[r.id] for r in season.requests], dtype=np.int64)
    rows = np.zeros(len(why.request), dtype=ROW)
    rows["request"] = request_ids[why.request] if len(why.request) else []
    rows["value"] = why.value
    rows["cutoff"] = why.cutoff
    rows["flags"] = reasons.code | (why.lost_lottery.astype(np.int8) << 2) | (reasons.unmet << 3)
    out: dict[str, bytes] = {}
    ids = [c.id for c in season.candidates]
    starts, ends = why.indptr[:-1].tolist(), reasons.stated_end.tolist()
    tails, closest = reasons.tail.tolist(), reasons.closest.tolist()
    lengths = reasons.list_lengths.tolist()
    for c, cid in enumerate(ids):
        near = closest[c]
        p = indexed.partner.get(c)
        header = np.array(
            [
                FORMAT,
                lengths[c],
                ends[c] - starts[c],
                sum(tails[c]),
                *tails[c],
                near - starts[c] + 1 if near >= 0 else 0,
                candidate_row_ids[ids[p]] if p is not None else 0,
            ],
            dtype=HEADER,
        )
        body = rows[starts[c] : ends[c]].tobytes()
        extra = rows[near : near + 1].tobytes() if near >= 0 else b""
        out[cid] = header.tobytes() + body + extra
    return out


@dataclass(frozen=True)
class StoredReasons:
    """A placement's reasons as stored (see the module docstring)."""

    list_length: int
    rows: NDArray[np.void]
    tail: tuple[int, int, int, int]  # filled, not_ranked, hard_requirement, couple
    closest_choice: int  # 0: none
    closest: NDArray[np.void] | None
    partner_id: int | None  # the partner's candidate row id

    def request_ids(self) -> set[int]:
        found = {int(r) for r in self.rows["request"]}
        if self.closest is not None:
            found |= {int(r) for r in self.closest["request"]}
        return found


def unpack_reasons(packed: bytes) -> StoredReasons:
    head = np.frombuffer(packed[: HEADER_FIELDS * HEADER.itemsize], dtype=HEADER)
    if len(head) != HEADER_FIELDS or int(head[0]) != FORMAT:
        raise ValueError("stored reasons in an unknown format")
    count, closest_choice = int(head[2]), int(head[8])
    body = np.frombuffer(packed[HEADER_FIELDS * HEADER.itemsize :], dtype=ROW)
    return StoredReasons(
        list_length=int(head[1]),
        rows=body[:count],
        tail=(int(head[4]), int(head[5]), int(head[6]), int(head[7])),
        closest_choice=closest_choice,
        closest=body[count : count + 1] if closest_choice else None,
        partner_id=int(head[9]) or None,
    )


RequestNames = Mapping[int, tuple[str, str, str]]  # row id -> (external id, BoE, BoE in Japanese)


def explanation_of(
    stored: StoredReasons,
    requests: RequestNames,
    *,
    placed_at: int | None,
    choice: int | None,
    partner: str | None,
) -> dict[str, Any]:
    """The explanation a reader sees (the shape of placement_report.CandidateExplanation, each
    reason with its BoE in both languages): `placed_at` is the placement's request row id,
    `partner` the partner's external id."""

    def reason(row: np.void, k: int) -> dict[str, Any]:
        request_id, boe, boe_ja = requests.get(int(row["request"]), ("", "", ""))
        flags = int(row["flags"])
        entry = why_not_entry(
            request_id,
            k,
            flags & 3,
            cutoff=int(row["cutoff"]),
            value=int(row["value"]),
            lost_lottery=bool(flags & 4),
            unmet_bits=flags >> 3,
            partner_id=partner,
        )
        return {**entry, "boe": boe, "boe_ja": boe_ja}

    closest = stored.closest
    return {
        "text": _outcome_text(requests, placed_at, choice, stored.list_length),
        "why_not": [reason(row, k) for k, row in enumerate(stored.rows, 1)],
        "anywhere": anywhere_summary(
            stored.tail,
            reason(closest[0], stored.closest_choice) if closest is not None else None,  # type: ignore[arg-type]
        ),
    }


def _outcome_text(
    requests: RequestNames, placed_at: int | None, choice: int | None, list_length: int
) -> str:
    """In English, as `altmatch match` writes it."""
    if placed_at is None:
        return outcome_sentence(None, choice, list_length)
    request_id, boe, _ = requests.get(placed_at, ("", "", ""))
    return outcome_sentence(f"{request_id} ({boe})", choice, list_length)


def read_explanation(session: Session, placement: RunPlacement) -> dict[str, Any]:
    """The placement's explanation (`explanation_of`), its names looked up in one query."""
    stored = unpack_reasons(placement.reasons)
    at = placement.request_id
    names = repo.request_names(session, stored.request_ids() | ({at} if at else set()))
    partner = session.get(SeasonCandidate, stored.partner_id) if stored.partner_id else None
    return explanation_of(
        stored,
        names,
        placed_at=at,
        choice=placement.candidate_rank,
        partner=partner.external_id if partner else None,
    )
