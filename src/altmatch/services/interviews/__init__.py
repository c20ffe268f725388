"""Recruitment interviews: calibrating panels' scores today (issue 19); applications, the
interview planner and shortlists come later."""
