"""governance context."""
