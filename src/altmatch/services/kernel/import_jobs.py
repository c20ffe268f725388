"""What every import run as a background job shares, whichever context's file it is (a season's
candidates or requests, a company's roster or a contract's positions).

The request refuses a file over the size limit at once (ImportRefusedError, with the very
report the synchronous import gives), else records the job with the file (kernel.job_runner
keeps it in `job_files`) and hands it on. The runner then runs the context's own importer with
commit, so the import stays all or nothing, its file parsed outside any transaction and only
the storing done in the (short) write transaction; its report (ImportOut, each row and column
at fault) is the job's `result` whether stored or not, and with any error the job fails with
HAS_ERRORS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from altmatch.db import Sessions
from altmatch.i18n import N_, Message
from altmatch.io.limits import ImportLimits
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.kernel.job_runner import STAGE_LABELS as JOB_STAGE_LABELS
from altmatch.services.kernel.job_runner import JobSpec, Outcome, Progress, read_file

IMPORT_STAGES = ("importing",)
STAGE_LABELS = {**JOB_STAGE_LABELS, "importing": N_("Checking and storing the file")}
HAS_ERRORS = N_("The file has errors; nothing was imported.")

# (content, filename, limits, locale) -> the import's report, stored with commit
Importer = Callable[[bytes, str, ImportLimits, str], ImportOut]


class ImportRefusedError(Exception):
    """The file is refused before a job is recorded (too big); `report` says why, as the
    synchronous import would."""

    def __init__(self, report: ImportOut) -> None:
        super().__init__("import refused")
        self.report = report


def import_params(limits: ImportLimits, locale: str, **what: Any) -> dict[str, Any]:
    """What the runner needs besides the file: which import (`what`, e.g. its target), the
    limits of the process that accepted it (a worker may be configured differently), and the
    reader's language."""
    return {
        **what,
        "locale": locale,
        "max_bytes": limits.max_bytes,
        "max_rows": limits.max_rows,
        "max_unzipped_bytes": limits.max_unzipped_bytes,
    }


def run_stored_import(
    sessions: Sessions, job: JobSpec, progress: Progress, importer: Importer
) -> Outcome:
    """Run `importer` on the job's stored file with the limits it was accepted under; the
    report is the job's result, and a report with errors fails the job."""
    progress("importing")
    filename, content = read_file(sessions, job.id)
    limits = ImportLimits(
        max_bytes=int(job.params["max_bytes"]),
        max_rows=int(job.params["max_rows"]),
        max_unzipped_bytes=int(job.params["max_unzipped_bytes"]),
    )
    report = importer(content, filename, limits, str(job.params.get("locale") or "en"))
    values = {"result": report.model_dump(mode="json")}
    return Outcome(values, None if report.committed else Message(HAS_ERRORS))
