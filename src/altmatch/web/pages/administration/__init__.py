"""The administrator's screens: users, organisations and the audit log."""
