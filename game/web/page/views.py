"""What each page of a round shows, built from the engine and the reports' blocks.

Every function here takes a round (or a finished session) and returns a template's context:
the words come from :mod:`game.reports` (one renderer per document, the same blocks as the
full-screen game and plain mode), written as HTML by :func:`game.reports.writers.html_blocks`.
Nothing here decides anything about the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from game.engine.base.text import long_date, sources_heading
from game.engine.classroom.debrief import debrief
from game.engine.play.match import SeatView
from game.engine.play.session import Decision, Fired, Session, Step
from game.engine.scenario.known import (
    layout_known_at,
    map_known_at,
    notes_known_at,
    sources_known_at,
)
from game.engine.scenario.map_text import map_names
from game.engine.scenario.model import DecisionPoint, Event, Source
from game.engine.scenario.sources import find_quote
from game.engine.scenario.variants import Title
from game.engine.seats.lifecycle import Round
from game.plain_outcome import cited_passage, disagreement, map_lines, outcome_of
from game.reports.background import notes_blocks, source_prompt
from game.reports.curves import CURVE_STYLE, CURVE_STYLE_DARK
from game.reports.debrief_report import debrief_document
from game.reports.document import Block
from game.reports.outcome_blocks import situation_dispute_blocks
from game.reports.pacing_words import revealed_blocks
from game.reports.round_blocks import HISTORY_LATER, event_block, situation_blocks
from game.reports.source_text import readable
from game.reports.writers import html_blocks
from game.web.page import map_svg

Context = dict[str, Any]
CURVE_PAGE_STYLE = (
    f"{CURVE_STYLE}\n@media (prefers-color-scheme:dark){{{CURVE_STYLE_DARK}}}"
    f"\n@media print{{{CURVE_STYLE}}}"
)


def blocks(found: Sequence[Block], cite: str = "") -> Markup:
    """Report blocks as HTML; a quote's citation number links to ``cite`` + number."""
    link = (lambda mark: f"{cite}{mark}") if cite else None
    return Markup(html_blocks(list(found), link))  # noqa: S704 - html_blocks escapes every text


def paragraphs(text: str) -> list[str]:
    """A document's text as paragraphs (blank lines apart), each on one line."""
    return [" ".join(part.split()) for part in readable(text).split("\n\n") if part.strip()]


def round_context(session: Session) -> Context:
    """What every page of a round in progress names: scenario, role, date, decisions."""
    scenario = session.loaded.scenario
    point = session.point
    return {
        "round_id": session.round_id,
        "scenario": scenario.title,
        "role": scenario.role_by_id[session.role].name,
        "date": long_date(point.date) if point is not None else "",
        "count": len(session.decisions),
        "reveal": session.reveal,
    }


def decision(session: Session) -> Context:
    """The decision page: the situation, what arrived, the choices, the indicators."""
    scenario = session.loaded.scenario
    point = session.point
    assert point is not None
    words = session.words
    role = scenario.role_by_id[session.role]
    events = {e.id: e for e in scenario.events}
    arrived = [
        events[e.event] for e in session.entries if isinstance(e, Fired) and e.at == point.id
    ]
    offered = set(session.offered())
    known_sources = sources_known_at(scenario, point)
    disputes = situation_dispute_blocks(scenario, session.entries, point, session.preset)
    return {
        **round_context(session),
        "heading": words(Title(point)),
        "phase": scenario.phase_by_id[point.phase].name,
        "arrived": blocks([event_block(scenario, event, words) for event in arrived]),
        "disputes": blocks(disputes) if disputes else "",
        "dispute_count": sum(1 for block in disputes if disagreement(block)),
        "situation": blocks(situation_blocks(point, words)),
        "briefing": role.briefing,
        "objectives": role.objectives,
        "choices": [(c.id, words(c)) for c in point.choices if c.id in offered],
        "indicators": indicators(session),
        "sources": len(known_sources),
        "notes": len(notes_known_at(scenario, point)),
        "has_map": bool(scenario.map.strip()),
    }


def gate(played: Round) -> Context:
    """Where the class's pacing leaves the round's current decision, for the page."""
    found = played.gate()
    remaining = None if found.remaining is None else max(0, int(found.remaining + 0.999))
    return {
        "gate": found.state,
        "number": played.number,
        "remaining": remaining,
        "clock": "" if remaining is None else f"{remaining // 60}:{remaining % 60:02d}",
    }


def revealed(played: Round) -> Markup:
    """What actually happened at each of the student's decisions that the teacher revealed
    to the room (reveal policy ``teacher``; empty otherwise)."""
    found = [b for n, d in played.revealed() for b in revealed_blocks(played, n, d)]
    return blocks(found, "") if found else Markup("")


def indicators(session: Session) -> list[Context]:
    scenario = session.loaded.scenario
    found: list[Context] = [
        {
            "name": i.name,
            "value": session.indicators[i.id],
            "min": i.min,
            "max": i.max,
            "text": f"{session.indicators[i.id]} (of {i.min}–{i.max})",
        }
        for i in scenario.indicators
    ]
    found.append(
        {
            "name": "Escalation",
            "value": session.rung_position + 1,
            "min": 1,
            "max": len(scenario.ladder),
            "text": f"{session.current_rung.name} (rung {session.rung_position + 1} of "
            f"{len(scenario.ladder)})",
        }
    )
    return found


def chosen(session: Session, choice_id: str) -> str | None:
    """The words of ``choice_id`` if it is offered now, else None."""
    point = session.point
    if point is None or choice_id not in session.offered():
        return None
    choice = next((c for c in point.choices if c.id == choice_id), None)
    return session.words(choice) if choice is not None else None


def last_step(session: Session) -> Step | None:
    """The last decision of the round and what it led to, read from the round's entries."""
    entries = session.entries
    last = next((n for n in range(len(entries) - 1, -1, -1) if entries[n].kind == "decision"), None)
    if last is None:
        return None
    made = entries[last]
    assert isinstance(made, Decision)
    scenario = session.loaded.scenario
    point = scenario.point_by_id[made.point]
    choice = next(c for c in point.choices if c.id == made.choice)
    by_id: dict[str, Event] = {e.id: e for e in scenario.events}
    events = tuple(by_id[e.event] for e in entries[last + 1 :] if isinstance(e, Fired))
    return Step(made, choice, point, events, session.ending)


def outcome(session: Session, held: str = HISTORY_LATER, number: int = 0) -> Context | None:
    """The outcome of the round's last decision, as every front end words it (``held``:
    where history held back is revealed; ``number``: the decision the round stands at)."""
    step = last_step(session)
    if step is None:
        return None
    found = outcome_of(session, step, held)
    base = f"/round/{session.round_id}/cited/"
    sources = session.loaded.scenario.source_by_id
    return {
        **round_context(session),
        "blocks": blocks(found.blocks, base),
        "disputes": blocks(found.disputes) if found.disputes else "",
        "dispute_count": sum(1 for block in found.disputes if disagreement(block)),
        "repeated": found.repeated,
        "citations": [
            (number, sources[c.source].publisher)
            for number, c in enumerate(found.citations, start=1)
        ],
        "over": session.is_over,
        "number": number,
    }


def cited(session: Session, number: int, whole: bool) -> Context | None:
    """Citation ``number`` of the last outcome, as the student may read it now."""
    step = last_step(session)
    if step is None or not session.reveals_history:
        return None
    citations = step.point.history.citations
    if not 1 <= number <= len(citations):
        return None
    found = cited_passage(session, citations[number - 1], whole)
    quote = citations[number - 1].quote
    return {
        **round_context(session),
        "number": number,
        "heading": found.heading,
        "paragraphs": [marked(paragraph, quote) for paragraph in paragraphs(found.text)],
        "kind": found.kind,
    }


def marked(paragraph: str, quote: str) -> tuple[str, str, str]:
    """A paragraph as (before, the quoted words, after), the quote found as the game finds it
    ('' for none): the page marks the quoted words."""
    span = find_quote(paragraph, quote) if quote else None
    if span is None:
        return paragraph, "", ""
    return paragraph[: span[0]], paragraph[span[0] : span[1]], paragraph[span[1] :]


def known_sources(session: Session) -> list[Source]:
    return list(sources_known_at(session.loaded.scenario, session.point))


def sources(session: Session) -> Context:
    point = session.point
    assert point is not None
    return {
        **round_context(session),
        "heading": sources_heading(point.date),
        "sources": [
            {
                "title": s.title,
                "publisher": s.publisher,
                "published": long_date(s.published),
                "kind": s.kind,
                "prompt": "".join(source_prompt(s, during_play=True)),
            }
            for s in known_sources(session)
        ],
    }


def source(session: Session, number: int) -> Context | None:
    known = known_sources(session)
    if not 1 <= number <= len(known):
        return None
    found = known[number - 1]
    return {
        **round_context(session),
        "heading": f"{found.title} — {found.publisher}, {long_date(found.published)}",
        "paragraphs": paragraphs(session.loaded.texts.text(found.file)),
    }


def notes(session: Session) -> Context:
    scenario = session.loaded.scenario
    point = session.point
    assert point is not None
    found = notes_known_at(scenario, point)
    return {**round_context(session), "blocks": blocks(notes_blocks(scenario, found, point.date))}


def map_page(session: Session) -> Context:
    """The map as a list of places and, with a layout, a drawing of the same places."""
    scenario = session.loaded.scenario
    known = map_known_at(scenario, session.point)
    title, *places = map_lines(known)
    layout = layout_known_at(scenario, session.point)
    found = None if layout is None else map_svg.drawing(layout)
    name = next(iter(map_names(known)), "Map")  # the map's title names the drawing
    return {
        **round_context(session),
        "title": title,
        "places": places,
        "drawing": found,
        "name": name,
    }


def debrief_page(session: Session) -> Context:
    document = debrief_document(debrief(session))
    return {
        "round_id": session.round_id,
        "title": document.title,
        "blocks": blocks(document.blocks),
        "curve_style": Markup(CURVE_PAGE_STYLE),  # noqa: S704 - the project's own style sheet
    }


def developments(view: SeatView, point: DecisionPoint) -> dict[str, Any]:
    """What arrived at the seat's point (the other side's and the world's moves) and the
    disputes its situation carries, as the full-screen match's decision screen shows them."""
    scenario = view.loaded.scenario
    events = {e.id: e for e in scenario.events}
    arrived = [
        event_block(scenario, events[e.event], view.words)
        for e in view.entries
        if isinstance(e, Fired) and e.at == view.node
    ]
    disputes = situation_dispute_blocks(scenario, view.entries, point, view.preset)
    return {
        "arrived": blocks(arrived) if arrived else "",
        "disputes": blocks(disputes) if disputes else "",
        "dispute_count": sum(1 for block in disputes if disagreement(block)),
    }
