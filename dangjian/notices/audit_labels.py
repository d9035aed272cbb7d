"""Chinese labels for the notices app's audit actions."""

LABELS: dict[str, str] = {}
