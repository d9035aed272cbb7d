"""Chinese labels for the meetings app's audit actions."""

LABELS: dict[str, str] = {}
