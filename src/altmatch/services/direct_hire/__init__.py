"""Direct hire: a BoE's postings and the applications to them."""
