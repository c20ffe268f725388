"""Support as JSON: cases and the anonymised metrics."""
