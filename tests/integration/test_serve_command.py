"""`altmatch serve` as a user runs it: migrates its own SQLite database and answers on its port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_migrates_and_serves_pages_and_api(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ALTMATCH_DATA_DIR": str(tmp_path / "data")}
    env.pop("ALTMATCH_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "altmatch", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                home = httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert home.status_code == 200
        advice = httpx.post(
            base + "/api/v1/advice",
            json={"degree": "bachelor", "citizenship": "AU", "english": "native"},
        )
        assert advice.status_code == 200
        saved = httpx.post(
            base + "/api/v1/advice/saved",
            json={"degree": "bachelor", "citizenship": "AU", "english": "native"},
        )
        assert saved.status_code == 201  # the table exists: serve ran the migrations
        assert (tmp_path / "data" / "altmatch.sqlite3").is_file()
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_python_dash_m_runs_the_same_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "altmatch", "version"], capture_output=True, text=True, check=True
    )
    from altmatch import __version__

    assert out.stdout.strip() == __version__
