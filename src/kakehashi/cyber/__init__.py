"""cyber context."""
