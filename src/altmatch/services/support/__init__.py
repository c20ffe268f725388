"""Support cases: routing to the responsible employer, escalation, notifications, e-mail and
the anonymised quality metrics."""
