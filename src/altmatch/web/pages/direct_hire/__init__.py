"""Direct-hire pages: the jobs board, postings and applications."""
