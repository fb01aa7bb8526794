"""What a student may see, and when: nothing is known before its time.

Before the debrief a student deciding on an in-game day sees only documents published
strictly before that day (a document of the same day may report the decision's outcome), and
only background notes whose every source was published before it. A citation of a later
document shows the quoted passage alone (:func:`game.engine.sources.passage`). Once the round
is over (``day`` is None) everything is open.
"""

from __future__ import annotations

import datetime as dt

from game.engine.model import Citation, Note, Scenario, Source


def sources_known_on(scenario: Scenario, day: dt.date | None) -> tuple[Source, ...]:
    """The sources a student may open when deciding on ``day`` (all once the round is over)."""
    return tuple(s for s in scenario.sources if day is None or s.published < day)


def shown_from(scenario: Scenario, citations: tuple[Citation, ...]) -> dt.date | None:
    """The first in-game day on which an item citing ``citations`` may be shown before the
    debrief: the day after its latest source was published (None if it cites nothing)."""
    dates = [
        scenario.source_by_id[c.source].published
        for c in citations
        if c.source in scenario.source_by_id
    ]
    return max(dates) + dt.timedelta(days=1) if dates else None


def notes_known_on(scenario: Scenario, day: dt.date | None) -> tuple[Note, ...]:
    """The background notes a student may read when deciding on ``day`` (all once the round
    is over)."""
    return tuple(
        note
        for note in scenario.notes
        if day is None or (shown_from(scenario, note.citations) or day) <= day
    )
