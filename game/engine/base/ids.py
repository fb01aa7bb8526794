"""The form of every id in scenarios, saves and records (kept apart so that reading a save
does not load the scenario model)."""

ID_PATTERN = r"^[a-z][a-z0-9_]{0,47}$"
"""Lower-case letters, digits and underscores, starting with a letter, at most 48 long."""
