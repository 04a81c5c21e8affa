"""Shared value types every context may use: errors, clock, actor and roles, audit records."""
