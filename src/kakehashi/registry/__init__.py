"""registry context."""
