"""`altmatch dispatch ...`: a company's contracts, roster, assignment, coverage and transfers."""
