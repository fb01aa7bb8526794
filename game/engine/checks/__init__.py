"""Checking a scenario: the validator's passes and historical walks, loading (read and validate),
the explorers and authors' test plans."""
