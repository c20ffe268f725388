"""Row classes, one module per area; importing this package registers every table."""

from altmatch.db.models.accounts import AuditEntry, LoginAttempt, Organisation, User, UserSession
from altmatch.db.models.advice import SavedAdvice
from altmatch.db.models.jobs import Job
from altmatch.db.models.schools import School
from altmatch.db.models.season import (
    ApplicationStageChange,
    EmploymentContract,
    ImmutableRunError,
    MatchRun,
    RunPlacement,
    SeasonCandidate,
    SeasonCouple,
    SeasonRequest,
    SeasonRow,
)

__all__ = [
    "ApplicationStageChange",
    "AuditEntry",
    "EmploymentContract",
    "ImmutableRunError",
    "Job",
    "LoginAttempt",
    "MatchRun",
    "Organisation",
    "RunPlacement",
    "SavedAdvice",
    "School",
    "SeasonCandidate",
    "SeasonCouple",
    "SeasonRequest",
    "SeasonRow",
    "User",
    "UserSession",
]
