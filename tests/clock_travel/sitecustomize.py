"""Puts every Python process a test run starts on the run's clock (ALTMATCH_TEST_DATE).

tests/conftest.py adds this folder to PYTHONPATH and sets ALTMATCH_TEST_CLOCK_OFFSET, the
seconds between the run's clock and the real one, when the run is moved to another day. A
server, worker or command a test launches then reads the same "now" as the test itself, even
processes those start in turn (`altmatch serve --workers N`).
"""

from __future__ import annotations

import os

_OFFSET = os.environ.get("ALTMATCH_TEST_CLOCK_OFFSET")
if _OFFSET:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_OFFSET), tick=True).start()
