"""Accounts as JSON: signing in and up, one's own account, administration and a BoE's schools."""
