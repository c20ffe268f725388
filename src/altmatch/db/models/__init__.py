"""Row classes, one module per area; importing this package registers every table."""

from altmatch.db.models.accounts import AuditEntry, LoginAttempt, Organisation, User, UserSession
from altmatch.db.models.advice import SavedAdvice

__all__ = ["AuditEntry", "LoginAttempt", "Organisation", "SavedAdvice", "User", "UserSession"]
