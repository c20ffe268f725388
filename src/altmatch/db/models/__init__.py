"""Row classes, one module per area; importing this package registers every table."""

from altmatch.db.models.advice import SavedAdvice

__all__ = ["SavedAdvice"]
