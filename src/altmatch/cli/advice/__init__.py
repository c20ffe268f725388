"""`altmatch advise`: the path advisor on the command line."""
