"""matchmaking context."""
