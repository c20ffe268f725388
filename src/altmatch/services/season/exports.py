"""A season's requests and applications as CSV/XLSX, beside the placements export.

Both reuse the read models and access checks of the pages they export (BoE staff get only
their own BoE's requests; applications are the coordinator's) and io.export's formula-safe
writer, so a cell someone typed as `=...` never runs as a formula.
"""

from __future__ import annotations

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.domain.access import Actor, Permission, require
from altmatch.io.export import ExportCell, Format, export_rows
from altmatch.services.season.access import access_season
from altmatch.services.season.requests import list_requests

REQUEST_HEADER = (
    "request_id",
    "boe",
    "boe_ja",
    "capacity",
    "prefecture",
    "school_levels",
    "area",
    "requires_driving_licence",
    "min_jlpt",
    "min_teaching_years",
    "weight_jlpt",
    "weight_teaching_years",
    "weight_school_levels",
    "weight_driving_licence",
)


def export_requests(
    sessions: Sessions, actor: Actor, season_id: int, fmt: Format
) -> tuple[bytes, str]:
    """The season's requests the actor may see (a BoE: its own), as CSV or XLSX."""
    require(actor, Permission.EXPORT)
    found = list_requests(sessions, actor, season_id)
    rows = [
        (
            r.request_id,
            r.boe,
            r.boe_ja,
            r.capacity,
            r.prefecture,
            " ".join(r.school_levels),
            r.area,
            r.requires_driving_licence,
            r.min_jlpt,
            r.min_teaching_years,
            r.weight_jlpt,
            r.weight_teaching_years,
            r.weight_school_levels,
            r.weight_driving_licence,
        )
        for r in found.requests
    ]
    content = export_rows(REQUEST_HEADER, rows, fmt, sheet_name="requests")
    return content, f"requests-season-{found.season.id}.{fmt}"


APPLICATION_HEADER = (
    "candidate_id",
    "name",
    "stage",
    "preferred_prefectures",
    "preferred_area",
    "preferred_school_levels",
    "accepts_anywhere",
    "placed_request_id",
    "alternate_request_id",
    "alternate_position",
)


def export_applications(
    sessions: Sessions, actor: Actor, season_id: int, fmt: Format
) -> tuple[bytes, str]:
    """Every application of the season with its stage, preferences and published outcome
    (empty until a run is published); for the season's coordinators."""
    require(actor, Permission.SEASON_MANAGE)
    require(actor, Permission.EXPORT)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        run = repo.latest_published_run(session, season.id)
        rows: list[tuple[ExportCell, ...]] = [
            (*r[:3], " ".join(r[3]), r[4], " ".join(r[5]), *r[6:])
            for r in repo.application_rows(session, season.id, run.id if run else None)
        ]
        season_key = season.id
    content = export_rows(APPLICATION_HEADER, rows, fmt, sheet_name="applications")
    return content, f"applications-season-{season_key}.{fmt}"
