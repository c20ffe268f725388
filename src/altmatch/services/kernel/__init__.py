"""What every context shares: the refusal family, optimistic locking, the audit log, input
bounds, validation messages for forms, import reports and the job queue. It imports no context."""
