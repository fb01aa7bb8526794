"""The engine core: scenario model, loader and validator, state machine, session, debrief.

Nothing in this package imports Textual or Rich; ``tests/test_import_hygiene.py`` proves it.
"""
