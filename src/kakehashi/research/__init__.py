"""research context."""
