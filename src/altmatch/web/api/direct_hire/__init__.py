"""Direct hire as JSON: the jobs board, postings and applications."""
