"""Chinese labels for the stations app's audit actions."""

LABELS: dict[str, str] = {}
