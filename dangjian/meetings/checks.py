"""Findings of the meetings app (registered with dangjian.core.findings)."""
