"""Accounts: users and organisations, sign-in with passwords and second factors, one's own
account and consent, and a BoE's schools. Every other context may build on it."""
