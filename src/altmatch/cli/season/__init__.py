"""`altmatch match`, `upgrade` and `chances`: a season from its files."""
