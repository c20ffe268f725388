"""Everything altmatch holds about one person, across the contexts: the APPI export of it, its
erasure when the person deletes their account, what is kept and for how long, and the purge of
kept records once their time is up.

It reads every context (season, dispatch, direct hire, support, accounts), so it sits beside
them as a loose service package rather than inside any one of them.
"""

from altmatch.services.personal_data.erasure import ErasureOut, delete_my_account
from altmatch.services.personal_data.export import (
    ARCHIVE_NAME,
    export_my_data,
    write_export_archive,
)
from altmatch.services.personal_data.notice import DeletionNoticeOut, deletion_notice
from altmatch.services.personal_data.retention import PurgeOut, purge_expired

__all__ = [
    "ARCHIVE_NAME",
    "DeletionNoticeOut",
    "ErasureOut",
    "PurgeOut",
    "delete_my_account",
    "deletion_notice",
    "export_my_data",
    "purge_expired",
    "write_export_archive",
]
