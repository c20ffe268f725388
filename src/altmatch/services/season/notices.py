"""Telling the people a season's events concern: the outcome published (each candidate and each
BoE's staff), an upgrade published (the upgraded candidates and the BoEs whose placements
changed), and the request deadline passed (each BoE that filed requests, once per season).

Each is called inside the transaction of the change it reports, through the one notification
service, with a link to the page where the person reads the details.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import notifications as notices_repo
from altmatch.db.models import RunPlacement, SeasonCandidate, SeasonRequest, SeasonRow
from altmatch.i18n import N_, Message
from altmatch.services.notifications import notify

BOE_STAFF = "boe_staff"
# The sweep tells BoEs of deadlines that passed this recently; older ones (before the sweep ran
# at all, e.g. a restored database) are not announced late.
LOCK_WINDOW = timedelta(days=14)

PLACED = N_("The {year} season's outcome is published: you have a placement.")
ALTERNATE = N_(
    "The {year} season's outcome is published: you are not placed for now, and you are "
    "alternate number {position} on a waiting list."
)
NOT_PLACED = N_("The {year} season's outcome is published: you are not placed.")
BOE_PLACED = N_(
    "The {year} season's outcome is published. Placements with your board of education: {count}."
)
UPGRADED = N_(
    "You have been moved up from a waiting list and have a placement in the {year} season."
)
OUTCOME_CHANGED = N_(
    "Your outcome in the {year} season has changed. Open your application to see it."
)
BOE_CHANGED = N_(
    "An upgrade changed the {year} season's placements with your board of education. "
    "Placements now: {count}."
)
LOCKED = N_(
    "The {year} season's request deadline has passed: your board of education's requests can "
    "no longer be changed."
)


def application_link(season_id: int) -> str:
    return f"/seasons/{season_id}/application"


def placements_link(season_id: int) -> str:
    return f"/seasons/{season_id}/placements"


def requests_link(season_id: int) -> str:
    return f"/seasons/{season_id}/requests"


def announce_outcomes(
    session: Session,
    season: SeasonRow,
    candidates: Collection[SeasonCandidate],
    placements: Mapping[int, RunPlacement],
    before: Mapping[int, int | None] | None,
    withdrawn: Collection[int],
    requests: Mapping[int, SeasonRequest],
) -> int:
    """Notify the people a publication concerns; how many notices. A match (`before` None)
    tells every candidate with an outcome and every BoE with requests; an upgrade tells the
    candidates whose placement changed and the BoEs on either side of a change."""
    confirmed = notices_repo.confirmed_user_ids(
        session, [c.user_id for c in candidates if c.user_id is not None]
    )
    placed_per_boe = Counter(
        requests[p.request_id].boe_id for p in placements.values() if p.request_id is not None
    )
    year = season.year
    sent = 0
    touched_boes: set[int] = set()
    for candidate in candidates:
        placement = placements.get(candidate.id)
        gone = placement is None or candidate.id in withdrawn
        now_at = None if gone or placement is None else placement.request_id
        if before is not None:
            was_at = before.get(candidate.id)
            if was_at == now_at:
                continue
            touched_boes.update(requests[r].boe_id for r in (was_at, now_at) if r is not None)
        if gone or placement is None:  # the withdrawn asked to leave: nothing to tell them
            continue
        if candidate.user_id is None or candidate.user_id not in confirmed:
            continue
        kind, message = _candidate_message(year, placement, upgrade=before is not None)
        notify(
            session,
            [candidate.user_id],
            kind=kind,
            message=message,
            link=application_link(season.id),
        )
        sent += 1
    boes = set(r.boe_id for r in requests.values()) if before is None else touched_boes
    staff = notices_repo.active_user_ids(session, boes, BOE_STAFF)
    for boe_id in sorted(boes):
        count = placed_per_boe.get(boe_id, 0)
        message = Message(
            BOE_PLACED if before is None else BOE_CHANGED, {"year": year, "count": count}
        )
        made = notify(
            session,
            staff.get(boe_id, []),
            kind="placements_published" if before is None else "placements_changed",
            message=message,
            link=placements_link(season.id),
        )
        sent += len(made)
    return sent


def _candidate_message(year: int, placement: RunPlacement, *, upgrade: bool) -> tuple[str, Message]:
    if upgrade:
        if placement.request_id is not None:
            return "alternate_upgraded", Message(UPGRADED, {"year": year})
        return "outcome_changed", Message(OUTCOME_CHANGED, {"year": year})
    if placement.request_id is not None:
        return "outcome_published", Message(PLACED, {"year": year})
    if placement.alternate_position is not None:
        params = {"year": year, "position": placement.alternate_position}
        return "outcome_published", Message(ALTERNATE, params)
    return "outcome_published", Message(NOT_PLACED, {"year": year})


def lock_marker(season_id: int, boe_id: int) -> str:
    return f"requests_locked:{season_id}:{boe_id}"


def announce_locked_requests(sessions: Sessions, *, now: datetime | None = None) -> int:
    """Tell each BoE that filed requests in a season whose request deadline has just passed
    that its requests are now read-only: once per BoE and season, however often it runs (a
    stored marker, written in the same transaction as the notices, says it was done). The
    number of BoEs told."""
    at = now or utc_now()
    told = 0
    with sessions.begin() as session:
        for season in notices_repo.seasons_locked_since(session, at - LOCK_WINDOW, at):
            boes = notices_repo.boes_with_requests(session, season.id)
            done = notices_repo.existing_markers(session, [lock_marker(season.id, b) for b in boes])
            staff = notices_repo.active_user_ids(session, boes, BOE_STAFF)
            for boe_id in boes:
                key = lock_marker(season.id, boe_id)
                if key in done or not notices_repo.add_marker(session, key, at=at):
                    continue
                notify(
                    session,
                    staff.get(boe_id, []),
                    kind="requests_locked",
                    message=Message(LOCKED, {"year": season.year}),
                    link=requests_link(season.id),
                )
                told += 1
    return told
