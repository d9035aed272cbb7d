"""Chinese labels for audit actions on mobility, standing, transfers, households and dues."""

LABELS: dict[str, str] = {}
