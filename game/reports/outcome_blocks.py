"""The outcome of one decision, on one screen: the verdict first, the game's consequence, the
moves that followed in a line each, history with numbered citations, and the disputes new to
the round folded apart. The outcome screen and plain mode show these blocks; the debrief gives
the same record in full (:func:`game.reports.round_blocks.decision_blocks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from game.engine.base.text import short_date
from game.engine.play.session import Decision, Entry, Fired, Step
from game.engine.scenario.model import Choice, Citation, DecisionPoint, Event, Scenario
from game.engine.scenario.variants import Wording, plain
from game.reports.document import Block, Bullets, Paragraph
from game.reports.round_blocks import (
    ACTUALLY_HAPPENED,
    COUNTERFACTUAL,
    HISTORY_LATER,
    NOT_HISTORICAL,
    PLAUSIBLE,
    YOUR_REASON,
    chosen_label,
    contested_blocks,
    disputes_of,
    event_date,
    quotes,
)

VERDICT = "Verdict: "
MATCHED = "you matched what happened. "
DIFFERED = "you chose differently. "
REFERENCE = "History is a reference here, not the right answer."
NO_RECORD = "this situation did not arise in the real crisis: there is no record to match."
MODEL = "What followed (the game's model): "
THEN = "Then: "


@dataclass(frozen=True)
class Outcome:
    """What one decision led to, shortest first: the verdict, the game's consequence, the
    history with numbered citations; the disputes new to this round folded apart."""

    blocks: list[Block]
    disputes: list[Block]
    """Every version of each contested fact not shown earlier in the round."""
    repeated: tuple[str, ...]
    """The claims of this point's disputes already shown earlier in the round."""
    citations: tuple[Citation, ...]
    """What the numbers in :attr:`blocks` open, in order."""


def verdict_block(
    role_name: str, point: DecisionPoint, chosen: Choice, words: Wording
) -> Paragraph:
    """One line first: whether the student did what the government did, framed so that
    history is a reference, not the answer."""
    real = next((c for c in point.choices if c.id == point.history.choice), None)
    if real is None:
        return Paragraph.of((VERDICT, "strong"), (NOT_HISTORICAL, "strong"), NO_RECORD)
    if real.id == chosen.id:
        return Paragraph.of(
            (VERDICT + MATCHED, "strong"),
            f"{role_name} actually did this too. ",
            (REFERENCE, "dim"),
        )
    return Paragraph.of(
        (VERDICT + DIFFERED, "strong"),
        f"{role_name} actually did this: {words(real)} ",
        (REFERENCE, "dim"),
    )


def event_line(scenario: Scenario, event: Event) -> list[str | tuple[str, str]]:
    """A move in one line (its title; the whole text is on the next screen and in the
    debrief), labelled if it never happened."""
    day = event_date(scenario, event)
    stamp = f"{short_date(day)} · " if day else ""
    label: list[str | tuple[str, str]] = (
        [(NOT_HISTORICAL, "strong")] if event.counterfactual else []
    )
    return [*label, f"{stamp}{event.actor}: {event.title}."]


def situation_disputes(
    scenario: Scenario,
    entries: Sequence[Entry],
    point: str,
    preset: Collection[str] = frozenset(),
) -> list[str]:
    """The contested facts shown with the situation at ``point``, before the choice and under
    every reveal policy (a disagreement is not history's answer): those of the round's opening
    moves, the moves that arrived before its first decision (:attr:`Event.contested`); a
    decision at a ``preset`` point (a match's opening, played before the seat was taken) is
    none of the student's. The moves that arrive later were shown, with their disputes, in
    the outcome before, so no dispute is given twice in a round. Every front end asks this
    function, and :func:`disputes_before` counts what it gave."""
    events = {event.id: event for event in scenario.events}
    ids: list[str] = []
    for entry in entries:
        if isinstance(entry, Decision):
            if entry.point in preset:
                continue
            break
        if entry.at == point:
            ids.extend(events[entry.event].contested)
    return list(dict.fromkeys(ids))


def situation_dispute_blocks(
    scenario: Scenario,
    entries: Sequence[Entry],
    point: DecisionPoint,
    preset: Collection[str] = frozenset(),
) -> list[Block]:
    """Every version of each of :func:`situation_disputes`, as the decision shows them."""
    return [
        block
        for ident in situation_disputes(scenario, entries, point.id, preset)
        for block in contested_blocks(scenario, scenario.contested_by_id[ident], point.date)
    ]


def disputes_before(
    scenario: Scenario,
    entries: Sequence[Entry],
    reveal: bool,
    preset: Collection[str] = frozenset(),
    held: bool = False,
) -> set[str]:
    """The contested facts a round (or a match seat) showed before its last decision's
    outcome: those of the opening moves (with the first situation), of each earlier decision
    and of the moves that followed it; a ``preset`` decision (a match's opening) showed
    none."""
    decided = [
        n
        for n, entry in enumerate(entries)
        if isinstance(entry, Decision) and entry.point not in preset
    ]
    events = {event.id: event for event in scenario.events}
    # a match seat under held history (``held``) was shown the other seat's moves without
    # their disputes (match_report.reveal_blocks): the opening moves' it was shown
    first = decided[0] if decided else 0
    moved = {e.event for e in entries[first:] if isinstance(e, Fired)} if held else set()
    moved &= set(scenario.moved_at)
    shown: set[str] = set()
    for entry in entries[: decided[-1]] if decided else ():
        if isinstance(entry, Decision) and reveal and entry.point not in preset:
            shown.update(scenario.point_by_id[entry.point].contested)
        elif isinstance(entry, Fired) and not (held and entry.event in moved):
            shown.update(events[entry.event].contested)
    return shown


def outcome(
    scenario: Scenario,
    step: Step,
    reveal: bool,
    role_name: str,
    shown: set[str],
    as_of: dt.date | None = None,
    words: Wording = plain,
    later: str = HISTORY_LATER,
) -> Outcome:
    """The outcome of ``step`` as the outcome screen and plain mode show it; the disputes in
    ``shown`` were given earlier in the round (:func:`disputes_before`) and are only named.
    ``later``: when history is held back, where it will be revealed."""
    point, chosen = step.point, step.choice
    automatic = step.decision.automatic  # made for the student: never "You chose"
    blocks: list[Block] = []
    if reveal and not automatic:
        blocks.append(verdict_block(role_name, point, chosen, words))
    elif not reveal:
        blocks.append(Paragraph.of((VERDICT, "strong"), later))
    label = chosen_label(point, chosen, automatic, reveal)
    blocks.append(Paragraph.of((label, "strong"), words(chosen)))
    if step.decision.rationale:
        blocks.append(Paragraph.of((YOUR_REASON, "strong"), step.decision.rationale))
    blocks.append(Paragraph.of((MODEL, "strong"), chosen.consequence))
    if step.events:  # one line each, its label beside its title
        lines = [Paragraph.of((THEN, "strong"), *event_line(scenario, e)) for e in step.events]
        blocks.append(Bullets(tuple(lines)))
    # a dispute a move's own text bears on is no history of the student's choice: shown under
    # every reveal policy (Event.contested); the point's own disputes come with its history
    facts = disputes_of(point, step.events, reveal)
    disputes: list[Block] = []
    for ident in facts:
        if ident not in shown:
            disputes.extend(contested_blocks(scenario, scenario.contested_by_id[ident], as_of))
    repeated = tuple(scenario.contested_by_id[i].claim for i in facts if i in shown)
    if not reveal:
        return Outcome(blocks, disputes, repeated, ())
    history = point.history
    marks = "".join(f" [{n}]" for n in range(1, len(history.citations) + 1))
    blocks.append(Paragraph.of((ACTUALLY_HAPPENED, "strong"), history.summary, (marks, "strong")))
    if point.counterfactual:
        blocks.append(Paragraph.of((COUNTERFACTUAL, "strong"), point.counterfactual))
    real = history.choice
    if real and chosen.id != real and chosen.counterfactual:
        blocks.append(Paragraph.of((PLAUSIBLE, "strong"), chosen.counterfactual))
    blocks.extend(quotes(scenario, history.citations, as_of, numbered=True))
    return Outcome(blocks, disputes, repeated, history.citations)
