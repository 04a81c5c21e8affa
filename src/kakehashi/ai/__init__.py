"""ai context."""
