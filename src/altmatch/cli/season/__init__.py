"""`altmatch match`, `upgrade` and `chances`: a season from its files; `altmatch season`: a
season in the database."""
