"""Findings of the stations app (registered with dangjian.core.findings)."""
