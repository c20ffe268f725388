"""A piece of work repeated on a timer in a daemon thread: `altmatch serve`'s sweeps."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Periodic:
    """Runs `work` every `seconds` until `stop()`. A failing run is logged and tried again at
    the next tick; it never stops the server. `runs` counts the ticks done."""

    def __init__(self, name: str, seconds: float, work: Callable[[], None]) -> None:
        self._name, self._interval, self._work = name, seconds, work
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.runs = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                self._work()
            except Exception:  # keep serving; the next tick tries again
                log.exception("%s failed", self._name)
            self.runs += 1
