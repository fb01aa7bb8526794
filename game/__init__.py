"""Flashpoint: a crisis-simulation game for teaching international relations."""

__version__ = "0.1.0"
