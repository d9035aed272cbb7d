"""Findings about the roster: mobile members due a transfer, lost contact, transfers, dues."""

from dangjian.members.records import checks  # noqa: F401  (registers the records checks)
