"""Findings of the notices app (registered with dangjian.core.findings)."""
