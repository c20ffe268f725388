"""`altmatch postings ...`: direct-hire postings and applications."""
