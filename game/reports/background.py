"""Background notes, the debrief's framing and the sources' questions, as report blocks.

Plain mode's ``n``, the debrief (screen, text, Markdown, HTML) and its JSON all read the notes
from here, so every student gets the same background, with its citations and, for a fact
public before the document that reports it, since when and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from game.engine.base.text import long_date
from game.engine.scenario.model import Citation, KnownSince, Note, Scenario, Source
from game.reports.document import Block, Heading, Paragraph
from game.reports.round_blocks import held_back_text, quotes

BACKGROUND = "Background notes"
PUBLIC_SINCE = "Public since "
FRAMING_HEADING = "How to read this debrief"
FRAMING = (
    "The game's consequences (\u201cWhat followed\u201d) and its endings other than the "
    "historical one are the game's model, not history: the authors' judgement of what each "
    "choice could plausibly have led to, moved by simple indicators. What the governments "
    "really did is shown beside your choices as a reference, not as the right answer: the "
    "historical path was one of several defensible ones, and matching it is not a score of "
    "good judgement. Ask instead whether your reasons held up against what you knew at the "
    "time, and what each choice risked."
)
QUESTION = "Question: "
ANSWER = "The authors' answer: "
RELIABILITY = "Reliability: "


def since_text(known: KnownSince) -> str:
    """When a fact was public, and why, as a sentence."""
    return f"{PUBLIC_SINCE}{long_date(known.date)}: {known.reason}"


def _citation_blocks(
    scenario: Scenario, citations: tuple[Citation, ...], as_of: dt.date | None
) -> list[Block]:
    blocks: list[Block] = []
    for citation in citations:
        blocks.extend(quotes(scenario, (citation,), as_of))
        if citation.known_since is not None:
            blocks.append(Paragraph.of((since_text(citation.known_since), "dim")))
    return blocks


def note_details(scenario: Scenario, note: Note, as_of: dt.date | None = None) -> list[Block]:
    """What follows a note's text: when it was public (if declared) and its citations; a
    document published on or after ``as_of`` is credited without its title."""
    blocks: list[Block] = []
    if note.known_since is not None:
        blocks.append(Paragraph.of((since_text(note.known_since), "dim")))
    blocks.extend(_citation_blocks(scenario, note.citations, as_of))
    return blocks


def note_blocks(
    scenario: Scenario, note: Note, as_of: dt.date | None = None, level: int = 3
) -> list[Block]:
    """One note: its title, its text and its details (:func:`note_details`)."""
    return [
        Heading(note.title, level),
        Paragraph.of(note.text),
        *note_details(scenario, note, as_of),
    ]


def notes_blocks(
    scenario: Scenario, notes: Sequence[Note], as_of: dt.date | None = None
) -> list[Block]:
    """The notes a student may read now, and how many open later."""
    blocks: list[Block] = []
    for note in notes:
        blocks.extend(note_blocks(scenario, note, as_of))
    if len(notes) < len(scenario.notes):
        blocks.append(Paragraph.of(held_back_text(len(scenario.notes) - len(notes))))
    return blocks


def background_section(scenario: Scenario) -> list[Block]:
    """The debrief's background notes, every one of them."""
    if not scenario.notes:
        return []
    blocks: list[Block] = [Heading(BACKGROUND)]
    for note in scenario.notes:
        blocks.extend(note_blocks(scenario, note))
    return blocks


def framing_blocks() -> list[Block]:
    """How the consequence model works, and why history is a reference."""
    return [Heading(FRAMING_HEADING), Paragraph.of(FRAMING)]


def source_prompt(source: Source, during_play: bool) -> tuple[str, str]:
    """The label and text shown with a source: during play its question (when it has one),
    so the reliability note does not answer the exercise; afterwards the note."""
    if during_play and source.question:
        return QUESTION, source.question
    return RELIABILITY, source.reliability


def source_answer(source: Source) -> list[str | tuple[str, str]]:
    """A source's question and the authors' answer, for the debrief's list of sources."""
    if not source.question:
        return [(RELIABILITY, "em"), source.reliability]
    return [(QUESTION, "em"), source.question + " ", (ANSWER, "em"), source.reliability]


def citation_data(citation: Citation) -> dict[str, Any]:
    """A citation as JSON-ready data."""
    data: dict[str, Any] = {"source": citation.source}
    if citation.quote:
        data["quote"] = citation.quote
    else:
        data["reported"] = citation.reported
    if citation.known_since is not None:
        data["known_since"] = known_data(citation.known_since)
    return data


def known_data(known: KnownSince) -> dict[str, str]:
    """A ``known_since`` as JSON-ready data."""
    return {"date": known.date.isoformat(), "reason": known.reason}


def note_data(note: Note) -> dict[str, Any]:
    """A background note as JSON-ready data."""
    return {
        "id": note.id,
        "title": note.title,
        "text": note.text,
        "known_since": known_data(note.known_since) if note.known_since else None,
        "citations": [citation_data(c) for c in note.citations],
    }
