"""The JET season: setup, imports, requests, applications, match runs, chances, publication,
results and exports, and the jobs that run them in the background."""
