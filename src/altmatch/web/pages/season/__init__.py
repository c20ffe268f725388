"""Season pages: the coordinator's, a BoE's and a candidate's, and job progress."""
