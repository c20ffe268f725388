"""Dispatch pages: contracts, tenders, roster, assignment, coverage and transfers."""
