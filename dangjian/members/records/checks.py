"""Findings on mobility, lost contact, transfers and dues (registered with dangjian.core.findings)."""
