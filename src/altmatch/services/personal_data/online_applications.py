"""The online applications in a person's export and erasure (issue 19): their answers, statement,
office, receipt, documents, references (the referees' names, addresses and letters) and the
screening decisions about them.

Export: one section, and every uploaded file (documents and received references) under
applications/ in the archive. Erasure: all of it is deleted with the account; the season's
application it created (a SeasonCandidate) follows the rules for season applications.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from altmatch.db import recruitment as repo
from altmatch.db.models import (
    RecruitingOffice,
    SeasonRow,
)


@dataclass(frozen=True)
class ApplicationFile:
    """An uploaded file in the archive: where it goes and which row holds its bytes."""

    file: str
    table: str  # application_documents or application_references
    row_id: int


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).lstrip("._") or "file"


def online_application_records(
    session: Session, user_id: int
) -> tuple[list[dict[str, Any]], list[ApplicationFile]]:
    rows = repo.applications_of_user(session, user_id)
    records: list[dict[str, Any]] = []
    files: list[ApplicationFile] = []
    for row in rows:
        season = session.get(SeasonRow, row.season_id)
        office = session.get(RecruitingOffice, row.office_id) if row.office_id else None
        documents = repo.documents_of(session, row.id)
        references = repo.references_of(session, row.id)
        decisions = repo.screening_decisions_of(session, row.id)
        doc_files = {
            d.id: ApplicationFile(
                f"applications/{row.id}/{d.kind}-{_safe(d.filename)}", "application_documents", d.id
            )
            for d in documents
        }
        ref_files = {
            r.id: ApplicationFile(
                f"applications/{row.id}/reference-{r.slot}-{_safe(r.filename or 'letter')}",
                "application_references",
                r.id,
            )
            for r in references
            if r.received_at is not None
        }
        files += [*doc_files.values(), *ref_files.values()]
        records.append(
            {
                "application_id": row.id,
                "season": season.name if season else None,
                "status": row.status,
                "office": office.code if office else None,
                "answers": row.answers,
                "statement": row.statement,
                "reference_number": row.reference_number,
                "submitted_at": _iso(row.submitted_at),
                "season_application_id": row.candidate_id,
                "created_at": _iso(row.created_at),
                "updated_at": _iso(row.updated_at),
                "documents": [
                    {
                        "kind": d.kind,
                        "filename": d.filename,
                        "content_type": d.content_type,
                        "size": d.size,
                        "sha256": d.sha256,
                        "uploaded_at": _iso(d.uploaded_at),
                        "file": doc_files[d.id].file,
                    }
                    for d in documents
                ],
                "references": [
                    {
                        "slot": r.slot,
                        "referee_name": r.referee_name,
                        "referee_email": r.referee_email,
                        "requested_at": _iso(r.requested_at),
                        "requests_sent": r.requests_sent,
                        "received_at": _iso(r.received_at),
                        "filename": r.filename,
                        "file": ref_files[r.id].file if r.id in ref_files else None,
                    }
                    for r in references
                ],
                "screening_decisions": [
                    {
                        "decision": d.decision,
                        "reason_code": d.reason_code,
                        "note": d.note,
                        "at": _iso(d.at),
                    }
                    for d in decisions
                ],
            }
        )
    return records, files


def application_file_bytes(
    session: Session, files: list[ApplicationFile]
) -> Iterator[tuple[ApplicationFile, bytes]]:
    """Each file with its bytes, read one at a time."""
    for f in files:
        yield f, repo.file_data(session, f.table, f.row_id)
        session.expire_all()


def delete_online_applications(session: Session, user_id: int) -> int:
    """Delete the person's online applications with their files, references and decisions."""
    return repo.delete_online_applications(session, user_id)
