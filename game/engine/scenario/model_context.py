"""The scenario's evidence: verbatim citations, the records of what happened, facts the sources
disagree on, background notes.

Part of the scenario model (:mod:`game.engine.scenario.model` re-exports these classes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from game.engine.base.problems import Mark
from game.engine.scenario.fields import key_marks, located, meta
from game.engine.scenario.model_base import Id, Located, Text


@dataclass(frozen=True, kw_only=True)
class KnownSince(Located):
    """When a fact was public, for background public before the document that reports it."""

    date: dt.date = meta(
        "The day from which the fact was public (YYYY-MM-DD); the item may be shown at "
        "decisions on that day or later, whatever its source's publication date.",
        example="2024-01-15",
    )
    reason: Text = meta(
        "Why the fact was public by then, in your own words and from the sources; shown "
        "with the note.",
        example="The strikes were announced by the IRGC on the day they were carried out.",
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Citation(Located):
    """A short verbatim quote from one of the scenario's sources."""

    source: Id = meta("The id of a source declared under `sources`.", example="cnn_2024_01_18")
    quote: Text = meta(
        "Words copied exactly from the source file (checked by the validator); give this or "
        "`reported`.",
        "",
        example="a number of militants were killed",
    )
    reported: Text = meta(
        "What the source reports, in your own words, never shown in quote marks; for a "
        "reporter's summary of what someone said. Give this or `quote`.",
        "",
        example="his office said terrorism must be met through coordinated efforts",
    )
    known_since: KnownSince | None = meta(
        "For a passage whose fact was public before the document was published: since when, "
        "and why. The passage may then support a background note from that day; it must name "
        "no later day.",
        None,
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Version(Located):
    """One source's account of a contested fact."""

    account: Text = meta("The figure or version, in a few words.", example="nine killed")
    source: Id = meta("The source that gives it.")
    quote: Text = meta("The source's own words (checked verbatim).")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Contested(Located):
    """A fact the sources disagree on; the game shows every version."""

    id: Id = meta("Name used by decision points.", example="iran_strike_deaths")
    claim: Text = meta("What is in dispute.", example="How many people were killed")
    versions: tuple[Version, ...] = meta("Each version with its source; at least two.")
    note: Text = meta("Context for reading the disagreement.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Note(Located):
    """Background a student can open from any decision."""

    id: Id = meta("Name of the note.", example="baloch_insurgency")
    title: Text = meta("Shown on the notes list.")
    text: Text = meta("The note itself: short, neutral, cited.")
    citations: tuple[Citation, ...] = meta("Quotes that support it.", ())
    known_since: KnownSince | None = meta(
        "Since when the note's content was public, and why. Without it a note is shown from "
        "the day its latest citation is known; with it, from this day, and every citation "
        "must be known by then (its source published earlier, or its own `known_since`).",
        None,
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class MapPlace(Located):
    """A place on the map that names where the crisis happens, shown from its ``known_since``."""

    name: Text = meta("The place, for messages and the documentation.", example="Koh-e-Sabz")
    labels: tuple[Text, ...] = meta(
        "The map's words that name the place, each exactly as it stands within one line of "
        "`map` (checked by the validator). Before `known_since` they are blanked out: the "
        "drawing keeps its shape and no front end names the place.",
        example=["* Koh-e-Sabz"],
    )
    known_since: KnownSince = meta(
        "From when the place may be shown, and why: the day it became news (the same rule "
        "as a note's `known_since`: shown at decisions on that day or later)."
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class PointHistory(Located):
    """What actually happened at a decision point."""

    summary: Text = meta("What happened, in the author's own words.")
    choice: Id | None = meta(
        "The id of the choice that matches what the government did; null if none does.", None
    )
    citations: tuple[Citation, ...] = meta("Quotes that document it.", ())
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Record(Located):
    """What actually happened, for an event or a background note."""

    summary: Text = meta("What happened, in the author's own words.")
    citations: tuple[Citation, ...] = meta("Quotes that document it.", ())
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()
