"""Account pages: sign-in and sign-up, one's own account, a BoE's schools."""
