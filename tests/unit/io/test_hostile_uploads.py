"""Uploads: a handler holds at most max_bytes + 1 of a file, and BodyLimit answers 413 to a
request body over the limit before it is spooled anywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, File, UploadFile
from fastapi.testclient import TestClient

from altmatch.config import Settings
from altmatch.io.limits import ImportLimits
from altmatch.web.uploads import FORM_OVERHEAD, BodyLimit, body_limit, read_upload

LIMITS = ImportLimits(max_bytes=1024)


def app_with_limit(max_body: int) -> FastAPI:
    app = FastAPI()
    app.state.settings = Settings()  # the 413 answers in the reader's language

    @app.post("/upload")
    async def upload(file: Annotated[UploadFile, File()]) -> dict[str, int]:
        return {"read": len(await read_upload(file, LIMITS))}

    app.add_middleware(BodyLimit, max_bytes=max_body)
    return app


def test_a_handler_reads_one_byte_past_the_limit_and_no_more() -> None:
    client = TestClient(app_with_limit(10 * 1024 * 1024))
    answer = client.post("/upload", files={"file": ("r.csv", b"x" * 100_000)})
    assert answer.status_code == 200
    assert answer.json() == {"read": 1025}


def test_a_declared_body_over_the_limit_is_413_before_the_handler() -> None:
    client = TestClient(app_with_limit(4096))
    answer = client.post("/upload", files={"file": ("r.csv", b"x" * 100_000)})
    assert answer.status_code == 413
    assert answer.text == "This request is too large, so it was refused."


def test_a_streamed_body_without_a_length_is_counted() -> None:
    client = TestClient(app_with_limit(4096))

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"y" * 1000

    answer = client.post(
        "/upload",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert answer.status_code == 413


def test_small_bodies_pass_untouched() -> None:
    client = TestClient(app_with_limit(4096))
    answer = client.post("/upload", files={"file": ("r.csv", b"id\n1\n")})
    assert answer.json() == {"read": 5}


def test_the_body_limit_follows_the_import_setting() -> None:
    settings = Settings(database_url="", import_max_bytes=2048)
    assert body_limit(settings) == 2048 + FORM_OVERHEAD
