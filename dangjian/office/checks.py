"""Findings of the office app (registered with dangjian.core.findings)."""
