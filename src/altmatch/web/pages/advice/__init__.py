"""The path advisor page and its chart."""
