"""Members services, one module per area; the only code that writes members' records."""
