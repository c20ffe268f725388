"""A person's data export as a download: the ZIP is written to a spooled temporary file (in
memory up to SPOOL_BYTES, on disk beyond) and streamed out in chunks, so a large archive of
attachments never sits in memory whole."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from fastapi.responses import StreamingResponse

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.services.personal_data import ARCHIVE_NAME, write_export_archive

SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
ZIP = "application/zip"


def export_download(sessions: Sessions, actor: Actor) -> StreamingResponse:
    """The signed-in person's export archive as an attachment."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by chunks)
    try:
        write_export_archive(sessions, actor, spool)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(CHUNK_BYTES):
                yield block

    headers = {
        "Content-Disposition": f'attachment; filename="{ARCHIVE_NAME}"',
        "Content-Length": str(size),
    }
    return StreamingResponse(chunks(), media_type=ZIP, headers=headers)
