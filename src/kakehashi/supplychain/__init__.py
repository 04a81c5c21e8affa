"""supplychain context."""
