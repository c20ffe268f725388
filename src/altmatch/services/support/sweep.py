"""The support sweep: escalate overdue cases and e-mail pending notices, on a timer.

`altmatch serve` runs it in a background thread every `support_sweep_minutes`, so breached cases
climb their route even when nobody opens them; `altmatch support escalate` and
`altmatch support send-emails` do the same on demand (for cron, or when several processes serve
one database and only one of them should sweep), and `altmatch sweep` runs all of it once. The
same thread first runs the other periodic work `serve` hands it (`also`, cli/sweep.py): the
privacy purge, request-deadline notices and transfers taking effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.services.kernel.periodic import Periodic
from altmatch.services.support.email import send_pending_emails
from altmatch.services.support.escalation import escalate_overdue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepOut:
    escalated: int
    emailed: int


def sweep_support(
    sessions: Sessions, settings: Settings, *, now: datetime | None = None
) -> SweepOut:
    """One sweep: every overdue case escalated (idempotent), then every pending notice sent."""
    escalated = len(escalate_overdue(sessions, now).escalated)
    emailed = send_pending_emails(sessions, settings, now=now).sent
    return SweepOut(escalated, emailed)


class SupportSweeper(Periodic):
    """Runs `sweep_support`, then each of `also` (name, task), every `minutes` in a daemon
    thread until `stop()`. A failing sweep or task is logged and retried at the next tick; it
    never stops the server, nor the other tasks."""

    def __init__(
        self,
        sessions: Sessions,
        settings: Settings,
        minutes: float,
        also: Sequence[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        super().__init__("support sweep", minutes * 60, self._sweep)
        self._sessions, self._settings = sessions, settings
        self._also = tuple(also)

    @property
    def sweeps(self) -> int:
        return self.runs

    def _sweep(self) -> None:
        # The other tasks first: the notices they write (a deadline passed, a transfer took
        # effect) are then e-mailed by this same tick.
        for name, task in self._also:
            try:
                task()
            except Exception:  # the sweep still runs; the next tick tries again
                log.exception("%s failed", name)
        try:
            found = sweep_support(self._sessions, self._settings)
            if found.escalated or found.emailed:
                log.info("support sweep: %s escalated, %s e-mailed", *found.__dict__.values())
        except Exception:
            log.exception("support sweep failed")
