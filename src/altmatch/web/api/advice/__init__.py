"""The path advisor as JSON."""
