"""The funding ledger (P4): costs per activity and side, cost-sharing arrangements, display rates."""
