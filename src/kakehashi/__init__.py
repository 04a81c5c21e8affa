"""Kakehashi."""
