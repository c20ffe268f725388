"""Season imports (a candidates or requests file) run as background jobs.

The request stores the uploaded bytes in `job_files` next to the job row, since an
`altmatch worker` on another machine shares only the database. The runner (services.job_runner)
reads them back and runs the very import the synchronous endpoint runs, `import_candidates` or
`import_requests` with commit: every row in one transaction, or nothing. The report (ImportOut,
with each row and column at fault) is kept in `jobs.result` either way, and the file is deleted
once the job has ended.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import jobs as repo
from altmatch.db.models import JobFile
from altmatch.domain.access import Actor, NotFoundError
from altmatch.i18n import N_
from altmatch.io.limits import ImportLimits
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.season.imports import import_candidates, import_requests

ImportTarget = Literal["candidates", "requests"]

IMPORT_STAGES = ("importing",)
HAS_ERRORS = N_("The file has errors; nothing was imported.")
FILENAME_CHARS = 255  # job_files.filename; the end is kept, since the suffix picks the reader

_IMPORTERS = {"candidates": import_candidates, "requests": import_requests}


def import_params(target: ImportTarget, limits: ImportLimits, locale: str) -> dict[str, Any]:
    """What the runner needs besides the file: which import, the limits of the process that
    accepted it (a worker may be configured differently), and the reader's language."""
    return {
        "target": target,
        "locale": locale,
        "max_bytes": limits.max_bytes,
        "max_rows": limits.max_rows,
        "max_unzipped_bytes": limits.max_unzipped_bytes,
    }


def check_only(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    target: ImportTarget,
    content: bytes,
    filename: str,
    limits: ImportLimits,
    locale: str,
) -> ImportOut:
    """The import's preview (no commit), e.g. to refuse a file over the size limit in the
    request with the very report the synchronous import gives."""
    return _IMPORTERS[target](
        sessions,
        actor,
        season_id,
        content=content,
        filename=filename,
        commit=False,
        limits=limits,
        locale=locale,
    )


def store_file(session: Session, job_id: int, filename: str, content: bytes) -> None:
    """Keep the uploaded file for the job's runner."""
    session.add(JobFile(job_id=job_id, filename=filename[-FILENAME_CHARS:], content=content))


def run_import(
    sessions: Sessions, actor: Actor, job_id: int, season_id: int, params: dict[str, Any]
) -> ImportOut:
    """Run the job's import with commit; the report says whether anything was stored."""
    with sessions() as session:
        stored = repo.job_file(session, job_id)
        if stored is None:
            raise NotFoundError("file")
        filename, content = stored.filename, stored.content
    limits = ImportLimits(
        max_bytes=int(params["max_bytes"]),
        max_rows=int(params["max_rows"]),
        max_unzipped_bytes=int(params["max_unzipped_bytes"]),
    )
    importer = _IMPORTERS[str(params["target"])]
    return importer(
        sessions,
        actor,
        season_id,
        content=content,
        filename=filename,
        commit=True,
        limits=limits,
        locale=str(params.get("locale") or "en"),
    )


def delete_file(sessions: Sessions, job_id: int) -> None:
    """The job has ended: its file is no longer needed."""
    with sessions.begin() as session:
        repo.delete_job_file(session, job_id)


def delete_finished_files(session: Session) -> None:
    """Drop the files of ended jobs (e.g. one failed because its worker died mid-import)."""
    repo.delete_files_of_ended_jobs(session)
