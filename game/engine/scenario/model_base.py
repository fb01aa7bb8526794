"""What every model class shares: the kinds of text a scenario holds and where each value stood.

Kept apart from :mod:`game.engine.scenario.model` so that the head-to-head classes
(:mod:`game.engine.scenario.model_match`) can build on it without a circular import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from game.engine.base.problems import Mark
from game.engine.scenario.fields import NO_MARKS

Id = Annotated[str, "id"]
"""A name other parts of the scenario refer to: lowercase letters, digits and '_'."""
Text = Annotated[str, "text"]
"""Prose shown to players exactly as written (never read as markup)."""
Expression = Annotated[str, "expression"]
"""A condition in the scenario expression language (docs/scenario-format.md#conditions)."""
FileName = Annotated[str, "file"]
"""A relative path inside the scenario's seeds folder."""
TimeOfDay = Annotated[str, "time"]
"""A time of day, HH:MM on the 24-hour clock, in the crisis's own local time."""


@dataclass(frozen=True, kw_only=True)
class Located:
    """Base of every model class: where the object and each of its keys stood in the file."""

    def where(self, key: str | None = None) -> Mark:
        """The position of ``key``'s value, or of the object itself."""
        marks: Mapping[str, Mark] = getattr(self, "marks", NO_MARKS)
        if key is not None and key in marks:
            return marks[key]
        return getattr(self, "mark", Mark())
