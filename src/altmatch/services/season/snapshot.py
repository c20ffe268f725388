"""A stored season as the placement machinery's input, and the frozen snapshot a run keeps.

A run records exactly what it matched (requests, candidates, couples, in engine order) as a
JSON snapshot with its SHA-256, so an upgrade replays that very season even after the rows
have changed, and anyone can check what a published run was computed from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from altmatch.db import interview_calibration as calibrations
from altmatch.db import interview_decisions as decisions_repo
from altmatch.db import season as repo
from altmatch.db.models import SeasonRow
from altmatch.domain.shortlist import ShortlistDecision, match_tier
from altmatch.io.season_files import CandidateRecord, RequestRecord, SeasonFiles, SourceFile
from altmatch.rulebook.vocabulary import Jlpt


def snapshot_season(session: Session, season: SeasonRow) -> dict[str, Any]:
    """Everything a match of `season` reads, from its rows; withdrawn candidates are left out.

    A candidate's interview score is their calibrated one when the season's current interview
    calibration scored them (mapped onto 0-100, services.season.interview_calibration), else
    the imported one; a calibrated season's snapshot also names the calibration's file and
    scale, so a run's inputs (and the publication check that compares them with the season)
    change with the calibration.

    Once the interview round has decided (services.season.shortlist), the decision binds the
    match (domain.shortlist.match_tier): the not selected are left out, and the others carry a
    tier every request list puts ahead of the score. The snapshot then names each decided
    candidate's tier and each left-out one's reason codes under "interview_decisions", so a
    run made before a decision (or before another one) no longer matches the season's inputs
    and cannot be published."""
    request_rows = repo.requests(session, season.id)
    boes = repo.organisations(session, {r.boe_id for r in request_rows})
    requests = [
        RequestRecord(
            id=r.external_id,
            capacity=r.capacity,
            boe=boes[r.boe_id].name_en,
            prefecture=r.prefecture,
            school_levels=tuple(r.school_levels),
            area=r.area,
            requires_driving_licence=r.requires_driving_licence,
            min_jlpt=Jlpt(r.min_jlpt),
            min_teaching_years=r.min_teaching_years,
            weight_jlpt=r.weight_jlpt,
            weight_teaching_years=r.weight_teaching_years,
            weight_school_levels=r.weight_school_levels,
            weight_driving_licence=r.weight_driving_licence,
        )
        for r in request_rows
    ]
    # withdrawn candidates left out, and those the interview round did not select
    candidate_rows, decided = _bound_by_interviews(session, season)
    calibration = calibrations.current_calibration(session, season.id)
    calibrated = calibrations.match_scores(session, calibration.id) if calibration else {}
    candidates = [
        CandidateRecord(
            id=c.external_id,
            jlpt=Jlpt(c.jlpt),
            teaching_years=c.teaching_years,
            driving_licence=c.driving_licence,
            school_experience=tuple(c.school_experience),
            interview_score=calibrated.get(c.id, c.interview_score),
            preferred_prefectures=tuple(c.preferred_prefectures),
            preferred_area=c.preferred_area,
            preferred_school_levels=tuple(c.preferred_school_levels),
            accepts_anywhere=c.accepts_anywhere,
        )
        for c in candidate_rows
    ]
    external = {c.id: c.external_id for c in candidate_rows}
    couples = [
        [external[p.candidate_a_id], external[p.candidate_b_id]]
        for p in repo.couples(session, season.id)
        if p.candidate_a_id in external and p.candidate_b_id in external
    ]
    snapshot: dict[str, Any] = {
        "requests": [_plain(r) for r in requests],
        "candidates": [_plain(c) for c in candidates],
        "couples": couples,
        "request_ids": {r.external_id: r.id for r in request_rows},
        "candidate_ids": {c.external_id: c.id for c in candidate_rows},
    }
    if decided is not None:  # absent otherwise, as the calibration below
        snapshot["interview_decisions"] = decided
    if calibration is not None:  # absent otherwise, so uncalibrated seasons keep their SHA-256
        snapshot["interview_calibration"] = {
            "model": calibration.model,
            "sha256": calibration.sha256,
            "scale": [calibration.low, calibration.high],
        }
    return snapshot


def _bound_by_interviews(
    session: Session, season: SeasonRow
) -> tuple[list[Any], dict[str, Any] | None]:
    """The candidates the match reads (not withdrawn, not left out by the interview round),
    and what the round's decision did to the match; None when it has not decided."""
    rows = repo.match_inputs(session, season.id)
    decisions = decisions_repo.decisions_by_candidate(session, season.id)
    if not decisions:
        return rows, None
    tiers: dict[str, int] = {}
    left_out: dict[str, list[str]] = {}
    left_out_ids: dict[str, int] = {}
    kept = []
    for row in rows:
        found = decisions.get(row.id)
        if found is None:  # not covered by the decision: ranked as if shortlisted
            kept.append(row)
            continue
        decision, alternate_position, reasons = found
        tier = match_tier(ShortlistDecision(decision), alternate_position)
        if tier is None:
            left_out[row.external_id] = reasons
            left_out_ids[row.external_id] = row.id
        else:
            tiers[row.external_id] = tier
            kept.append(row)
    decided = {"tiers": tiers, "not_selected": left_out, "not_selected_ids": left_out_ids}
    return kept, decided


def run_interview_decisions(
    snapshot: Mapping[str, Any],
) -> tuple[dict[str, int], dict[str, list[str]]] | None:
    """What the interview round's decision did to a run (from the run's snapshot): each
    decided candidate's tier and each left-out candidate's reason codes, by external id;
    None when the run was made without a decision."""
    found = snapshot.get("interview_decisions")
    if found is None:
        return None
    return dict(found["tiers"]), {k: list(v) for k, v in found["not_selected"].items()}


def _plain(record: RequestRecord | CandidateRecord) -> dict[str, Any]:
    """The record's fields as JSON values (flat records: no deep copy as `asdict` makes)."""
    out: dict[str, Any] = {}
    for field in fields(record):
        value = getattr(record, field.name)
        out[field.name] = list(value) if isinstance(value, tuple) else value
    return out


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(repo.canonical_json(snapshot).encode()).hexdigest()


def season_files(snapshot: dict[str, Any], *, label: str, text: str | None = None) -> SeasonFiles:
    """The snapshot as validated season files; `label` names the source in the summary, with
    the SHA-256 of the snapshot's canonical text (`text` when the caller has it: a 6,000-
    candidate season takes 30 ms to serialise)."""
    requests = tuple(
        RequestRecord(
            **{
                **r,
                "school_levels": tuple(r["school_levels"]),
                "min_jlpt": Jlpt(r["min_jlpt"]),
            }
        )
        for r in snapshot["requests"]
    )
    candidates = tuple(
        CandidateRecord(
            **{
                **c,
                "jlpt": Jlpt(c["jlpt"]),
                "school_experience": tuple(c["school_experience"]),
                "preferred_prefectures": tuple(c["preferred_prefectures"]),
                "preferred_school_levels": tuple(c["preferred_school_levels"]),
            }
        )
        for c in snapshot["candidates"]
    )
    couples = tuple((a, b) for a, b in snapshot["couples"])
    decided = run_interview_decisions(snapshot)
    digest = hashlib.sha256(text.encode()).hexdigest() if text else snapshot_sha256(snapshot)
    source = SourceFile("season", Path(label), digest)
    tiers = decided[0] if decided else {}
    return SeasonFiles(requests, candidates, None, None, couples, (source,), tiers)
