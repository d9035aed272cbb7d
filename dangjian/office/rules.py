"""Rules the office app enforces, each with its source (registered with dangjian.core.rules)."""
