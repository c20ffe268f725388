"""The season as JSON: seasons and imports, runs and their results, background jobs."""
