"""exchange context."""
