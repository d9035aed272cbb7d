"""Compliance findings of this app (set-based)."""
