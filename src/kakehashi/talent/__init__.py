"""talent context."""
