"""Row classes, one module per area; importing this package registers every table."""

from altmatch.db.models.accounts import (
    AuditEntry,
    EmailToken,
    LoginAttempt,
    Organisation,
    RecoveryCode,
    SignInChallenge,
    User,
    UserSession,
)
from altmatch.db.models.advice import SavedAdvice
from altmatch.db.models.direct_hire import Posting, PostingApplication, PostingStageChange
from altmatch.db.models.dispatch import (
    ContractPosition,
    DispatchContract,
    RosterAlt,
    RosterAssignment,
    Tender,
    TransferEvent,
    TransferRequest,
)
from altmatch.db.models.jobs import Job, JobFile
from altmatch.db.models.retention import RetainedRecord
from altmatch.db.models.schools import School
from altmatch.db.models.season import (
    ApplicationStageChange,
    EmploymentContract,
    ImmutableRunError,
    MatchRun,
    RunAlternateList,
    RunInputs,
    RunPlacement,
    SeasonCandidate,
    SeasonCouple,
    SeasonRequest,
    SeasonRow,
)
from altmatch.db.models.support import (
    CaseAttachment,
    CaseEvent,
    CaseMediation,
    CaseMessage,
    Notification,
    SupportCase,
    SupportCaseHandler,
    SupportRoute,
)

__all__ = [
    "ApplicationStageChange",
    "AuditEntry",
    "CaseAttachment",
    "CaseEvent",
    "CaseMediation",
    "CaseMessage",
    "ContractPosition",
    "DispatchContract",
    "EmailToken",
    "EmploymentContract",
    "ImmutableRunError",
    "Job",
    "JobFile",
    "LoginAttempt",
    "MatchRun",
    "Notification",
    "Organisation",
    "Posting",
    "PostingApplication",
    "PostingStageChange",
    "RecoveryCode",
    "RetainedRecord",
    "RosterAlt",
    "RosterAssignment",
    "RunAlternateList",
    "RunInputs",
    "RunPlacement",
    "SavedAdvice",
    "School",
    "SeasonCandidate",
    "SeasonCouple",
    "SeasonRequest",
    "SeasonRow",
    "SignInChallenge",
    "SupportCase",
    "SupportCaseHandler",
    "SupportRoute",
    "Tender",
    "TransferEvent",
    "TransferRequest",
    "User",
    "UserSession",
]
