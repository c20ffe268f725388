"""What every context shares: the refusal family, the audit log, input bounds, import reports
and the job queue. It imports no context."""
