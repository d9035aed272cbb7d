"""Rules the notices app enforces, each with its source (registered with dangjian.core.rules)."""
