"""`altmatch support ...`: routing, escalation, e-mail and metrics."""
