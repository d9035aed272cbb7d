"""Findings on member development (registered with dangjian.core.findings)."""
