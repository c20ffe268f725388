"""Dispatch as JSON: contracts, tenders and roster, assignment, coverage and transfers."""
