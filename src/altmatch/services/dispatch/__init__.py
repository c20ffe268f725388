"""Dispatch companies: contracts and positions, tenders, the roster, assignment to schools,
coverage ahead and transfers."""
