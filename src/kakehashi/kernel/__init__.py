"""kernel context."""
