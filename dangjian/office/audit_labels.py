"""Chinese labels for the office app's audit actions."""

LABELS: dict[str, str] = {}
