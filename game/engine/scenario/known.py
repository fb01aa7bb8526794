"""What a student may see, and when: nothing is known before its time.

Before the debrief a student deciding on an in-game day sees only documents published
strictly before that day (a document of the same day may report the decision's outcome), or
earlier the same day when both the document and the decision give a time of day. A background
note is shown once every passage it cites is known: from its source's publication, or from the
passage's own ``known_since`` (a fact public before the document that reports it); a note's
own ``known_since`` shows it from that day, and every passage must be known by then (the
validator checks it). A map place that names where the crisis happens is shown the same way,
from its ``known_since`` (before it, its labels are blanked out, and the map's drawing for the
class page leaves out whatever the list of the blanked map does not name). A citation of a later
document shows the quoted passage alone (:func:`game.engine.scenario.sources.passage`). Once
the round is over (``day`` is None) everything is open.
"""

from __future__ import annotations

import datetime as dt

from game.engine.scenario.map_text import drawn_from
from game.engine.scenario.model import Citation, DecisionPoint, MapPlace, Note, Scenario, Source
from game.engine.scenario.model_map import MapLayout

DAY = dt.timedelta(days=1)


def source_known(source: Source, day: dt.date, time: str = "") -> bool:
    """Whether ``source`` is open at a decision on ``day`` (at ``time``, if given)."""
    if source.published < day:
        return True
    return source.published == day and bool(source.time and time) and source.time < time


def sources_known_on(scenario: Scenario, day: dt.date | None, time: str = "") -> tuple[Source, ...]:
    """The sources a student may open when deciding on ``day`` (all once the round is over)."""
    return tuple(s for s in scenario.sources if day is None or source_known(s, day, time))


def sources_known_at(scenario: Scenario, point: DecisionPoint | None) -> tuple[Source, ...]:
    """The sources a student may open at ``point`` (all once the round is over)."""
    if point is None:
        return scenario.sources
    return sources_known_on(scenario, point.date, point.time)


def citation_from(scenario: Scenario, citation: Citation) -> dt.date | None:
    """The first day on which the cited passage may be shown before the debrief: its
    ``known_since``, else its source's day of publication if the source gives a time (a
    decision later that day may see it), else the day after (None for an unknown source)."""
    if citation.known_since is not None:
        return citation.known_since.date
    source = scenario.source_by_id.get(citation.source)
    if source is None:
        return None
    return source.published if source.time else source.published + DAY


def citation_known(scenario: Scenario, citation: Citation, day: dt.date, time: str = "") -> bool:
    """Whether the cited passage is known at a decision on ``day`` (at ``time``)."""
    if citation.known_since is not None:
        return citation.known_since.date <= day
    source = scenario.source_by_id.get(citation.source)
    return source is not None and source_known(source, day, time)


def shown_from(scenario: Scenario, citations: tuple[Citation, ...]) -> dt.date | None:
    """The first in-game day on which an item citing ``citations`` may be shown before the
    debrief: the day its latest passage is known (None if it cites nothing)."""
    dates = [d for c in citations if (d := citation_from(scenario, c)) is not None]
    return max(dates) if dates else None


def note_from(scenario: Scenario, note: Note) -> dt.date | None:
    """The first in-game day on which ``note`` may be read (None: from the first decision)."""
    if note.known_since is not None:
        return note.known_since.date
    return shown_from(scenario, note.citations)


def note_known(scenario: Scenario, note: Note, day: dt.date, time: str = "") -> bool:
    """Whether ``note`` may be read at a decision on ``day`` (at ``time``)."""
    if note.known_since is not None:
        return note.known_since.date <= day
    return all(citation_known(scenario, c, day, time) for c in note.citations)


def notes_known_on(scenario: Scenario, day: dt.date | None, time: str = "") -> tuple[Note, ...]:
    """The background notes a student may read when deciding on ``day`` (all once the round
    is over)."""
    return tuple(n for n in scenario.notes if day is None or note_known(scenario, n, day, time))


def notes_known_at(scenario: Scenario, point: DecisionPoint | None) -> tuple[Note, ...]:
    """The background notes a student may read at ``point`` (all once the round is over)."""
    if point is None:
        return scenario.notes
    return notes_known_on(scenario, point.date, point.time)


def place_known(place: MapPlace, day: dt.date) -> bool:
    """Whether the map may name ``place`` at a decision on ``day``."""
    return place.known_since.date <= day


def map_known_on(scenario: Scenario, day: dt.date | None) -> str:
    """The scenario's map as a student deciding on ``day`` may see it: the labels of places
    not yet known are blanked out, keeping the drawing's shape (all shown once the round is
    over)."""
    if day is None:
        return scenario.map
    drawing = scenario.map
    for place in scenario.map_places:
        if not place_known(place, day):
            for label in place.labels:
                drawing = drawing.replace(label, " " * len(label))
    if drawing == scenario.map:
        return drawing
    return "\n".join(line.rstrip() for line in drawing.split("\n"))


def map_known_at(scenario: Scenario, point: DecisionPoint | None) -> str:
    """The map a student may see at ``point`` (all of it once the round is over)."""
    return map_known_on(scenario, None if point is None else point.date)


def layout_known_at(scenario: Scenario, point: DecisionPoint | None) -> MapLayout | None:
    """The scenario's map layout as a student at ``point`` may see it: only what the list of
    the map they see names (all of it once the round is over); ``None`` without a layout."""
    if scenario.map_layout is None:
        return None
    return drawn_from(scenario.map_layout, map_known_at(scenario, point))
