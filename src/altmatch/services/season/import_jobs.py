"""Season imports (a candidates or requests file) run as background jobs.

The request stores the uploaded bytes in `job_files` next to the job row, since an
`altmatch worker` on another machine shares only the database. The runner reads them back and
runs the very import the synchronous endpoint runs, `import_candidates` or `import_requests`
with commit: every row in one transaction, or nothing (services.kernel.import_jobs). The report
(ImportOut, with each row and column at fault) is kept in `jobs.result` either way, and the file
is deleted once the job has ended.
"""

from __future__ import annotations

from typing import Any, Literal

from altmatch.db import Sessions
from altmatch.domain.access import Actor, NotFoundError
from altmatch.io.limits import ImportLimits
from altmatch.services.kernel.import_jobs import IMPORT_STAGES, import_params, run_stored_import
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.kernel.job_runner import JobSpec, Outcome, Progress
from altmatch.services.season.imports import import_candidates, import_requests

ImportTarget = Literal["candidates", "requests"]

__all__ = ["IMPORT_STAGES", "ImportTarget", "check_only", "params", "run_import"]

_IMPORTERS = {"candidates": import_candidates, "requests": import_requests}


def params(target: ImportTarget, limits: ImportLimits, locale: str) -> dict[str, Any]:
    """The job's params: which import, with the limits and language it was accepted in."""
    return import_params(limits, locale, target=target)


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


def run_import(sessions: Sessions, actor: Actor, job: JobSpec, progress: Progress) -> Outcome:
    """The import job's work: the job's import with commit; its report says whether anything
    was stored."""
    season_id = job.season_id
    if season_id is None:
        raise NotFoundError("season")
    importer = _IMPORTERS[str(job.params["target"])]

    def run(content: bytes, filename: str, limits: ImportLimits, locale: str) -> ImportOut:
        return importer(
            sessions,
            actor,
            season_id,
            content=content,
            filename=filename,
            commit=True,
            limits=limits,
            locale=locale,
        )

    return run_stored_import(sessions, job, progress, run)
