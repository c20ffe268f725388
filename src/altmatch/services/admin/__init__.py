"""The administrator's screens: users (role changes, two-factor resets), organisations and the
audit log. Beside the contexts, like home and notifications, because they tell the people
affected through the one notification service."""
