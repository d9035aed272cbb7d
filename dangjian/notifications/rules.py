"""The rules this app enforces, with their sources."""
