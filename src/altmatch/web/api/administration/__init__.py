"""The administrator's screens as JSON: users, organisations and the audit log."""
