"""`altmatch users` and `altmatch orgs`."""
