"""agreement context."""
