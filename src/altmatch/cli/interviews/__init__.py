"""`altmatch interviews ...`: recruitment interviews on the command line."""
