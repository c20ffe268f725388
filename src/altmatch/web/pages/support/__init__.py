"""Support pages: cases, notifications, routing and metrics."""
