"""Notices about support cases: the one notification service lives in
`altmatch.services.notifications`; this name stays for the callers that import it from here."""

from __future__ import annotations

from altmatch.services.notifications import notify

__all__ = ["notify"]
