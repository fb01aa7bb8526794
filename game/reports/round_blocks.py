"""The blocks every front end shows for a decision: what followed and what actually happened.

The outcome screen, the debrief (screen, Markdown, HTML, text) and plain mode all build a
decision's record from these functions, so they say the same things under the same headings.
"""

from __future__ import annotations

import datetime as dt

from game.engine.base.text import long_date
from game.engine.play.session import Step
from game.engine.scenario.model import (
    Choice,
    Citation,
    Contested,
    DecisionPoint,
    Ending,
    Event,
    Scenario,
)
from game.engine.scenario.variants import Title, Wording, invented, plain
from game.reports.document import Block, Bullets, Paragraph, Quote

YOU_CHOSE = "You chose: "
LATE_HISTORY = "No move in time — history's move was played for you: "
LATE_FALLBACK = "No move in time — the scenario's fallback move was played for you: "
YOUR_REASON = "Your reason: "
WHAT_FOLLOWED = "What followed (the game's model): "
GOVERNMENT_DID = "What the government did: "
COUNTERFACTUAL = "Not historical: "  # one label for everything invented
PLAUSIBLE = "Why your option was plausible: "
ACTUALLY_HAPPENED = "What actually happened: "
SOURCES_DISAGREE = "Sources disagree: "
EARLIER = " (every version is given at an earlier decision)."
NOT_HISTORICAL = "Not historical: "
HISTORY_LATER = "What actually happened is revealed in the debrief."
HELD_MOVE = "Historical or invented (told in the debrief): "
"""The label of the other seat's move while history is held: every such move has it, so that
it neither passes invention off as history nor tells which of the two it was."""
HISTORY_BY_TEACHER = "What actually happened will be revealed by your teacher."
INVENTED_SITUATION = (
    "this situation did not arise in the real crisis; it follows from the choices made in "
    "this round."
)
INVENTED_ENDING = "this outcome did not happen; it follows from the choices made in this round."


def held_back_text(count: int) -> str:
    """Why some background notes are not listed yet."""
    return (
        f"{count} more note{'s' if count != 1 else ''} cite{'' if count != 1 else 's'} "
        "documents published later in the crisis; they open in the debrief."
    )


def situation_blocks(point: DecisionPoint, words: Wording = plain) -> list[Paragraph]:
    """The situation a student decides in, labelled before the decision if it is invented."""
    blocks: list[Paragraph] = []
    text = words(point)
    if point.counterfactual or invented(point, text):
        blocks.append(Paragraph.of((NOT_HISTORICAL, "strong"), INVENTED_SITUATION))
    blocks.append(Paragraph.of(text))
    return blocks


def ending_label(ending: Ending) -> list[Block]:
    """The label an invented ending carries wherever it is shown (none for history's)."""
    if ending.distance == 0:
        return []
    return [Paragraph.of((NOT_HISTORICAL, "strong"), INVENTED_ENDING)]


LATER_DOCUMENT = "title and full text in the debrief"


def attribution(scenario: Scenario, source_id: str, as_of: dt.date | None = None) -> str:
    """How a source is credited under a quote. A document published on or after ``as_of``
    (the in-game date, before the debrief) is credited without its title, which may tell what
    happened later."""
    source = scenario.source_by_id[source_id]
    if as_of is not None and source.published >= as_of:
        return f"{source.publisher}, published {long_date(source.published)} ({LATER_DOCUMENT})"
    return f"{source.publisher}, “{source.title}”, {long_date(source.published)}"


def nested(quote: str) -> str:
    """A quotation as it appears inside our own quote marks: the source's double quote marks
    become single ones (‘ ’), so none is shown doubled."""
    out, opening = [], True
    for char in quote:
        if char == "“":
            char, opening = "‘", False
        elif char == "”":
            char, opening = "’", True
        elif char == '"':
            char, opening = ("‘" if opening else "’"), not opening
        out.append(char)
    return "".join(out)


def read_at(url: str, retrieved: dt.date | None) -> str:
    """Where and when a source was read, as a sentence ('' when neither is known)."""
    where = f" at {url}" if url else ""
    when = f" on {long_date(retrieved)}" if retrieved else ""
    return f" Read{where}{when}." if where or when else ""


REPORTED = "Reported: "


def quotes(
    scenario: Scenario,
    citations: tuple[Citation, ...],
    as_of: dt.date | None = None,
    numbered: bool = False,
) -> list[Block]:
    """Each citation: a quote block for the source's words, a plain paragraph (no quote
    marks) for what it reports; ``numbered``, each with the number that opens its source."""
    blocks: list[Block] = []
    for number, citation in enumerate(citations, start=1):
        credit = attribution(scenario, citation.source, as_of)
        mark = str(number) if numbered else ""
        if citation.reported:
            blocks.append(
                Paragraph.of(
                    (f"[{mark}] " if mark else "", "strong"),
                    (REPORTED, "strong"),
                    citation.reported,
                    f" — {credit}",
                )
            )
        else:
            blocks.append(Quote(nested(citation.quote), credit, mark))
    return blocks


def event_date(scenario: Scenario, event: Event) -> dt.date | None:
    """The in-game date of an event: its own, else that of the point it fires at."""
    if event.date is not None:
        return event.date
    point = scenario.point_by_id.get(event.at or "") or scenario.moved_at.get(event.id)
    return point.date if point is not None else None


def event_block(
    scenario: Scenario, event: Event, words: Wording = plain, held: bool = False
) -> Paragraph:
    """A move by the other side or the world, dated, and labelled if it never happened (while
    history is ``held``, labelled :data:`HELD_MOVE` whether it happened or not, and only
    its title given)."""
    day = event_date(scenario, event)
    stamp = f"{long_date(day)} · " if day else ""
    label = (NOT_HISTORICAL, "strong") if event.counterfactual else ""
    heading = f"{stamp}{event.actor}: {words(Title(event))}. "
    if held:  # its title only: the text may tell what the sources say of it
        return Paragraph.of((HELD_MOVE, "strong"), (heading, "strong"))
    return Paragraph.of(label, (heading, "strong"), words(event))


def contested_blocks(
    scenario: Scenario, fact: Contested, as_of: dt.date | None = None
) -> list[Block]:
    """A contested fact with every version and its source; none is picked."""
    items = tuple(
        Paragraph.of(
            (version.account, "strong"),
            " — ",
            attribution(scenario, version.source, as_of),
            ": “",
            nested(version.quote),
            "”",
        )
        for version in fact.versions
    )
    blocks: list[Block] = [Paragraph.of((SOURCES_DISAGREE, "strong"), fact.claim), Bullets(items)]
    if fact.note:
        blocks.append(Paragraph.of((fact.note, "dim")))
    return blocks


def followed_blocks(
    scenario: Scenario,
    choice: Choice,
    events: tuple[Event, ...],
    words: Wording = plain,
    as_of: dt.date | None = None,
    shown: frozenset[str] = frozenset(),
) -> list[Block]:
    """What a choice led to: its consequence and the moves that followed (a dispute in
    ``shown``, given in full earlier, is named in one line)."""
    blocks: list[Block] = [Paragraph.of((WHAT_FOLLOWED, "strong"), choice.consequence)]
    for event in events:  # with the disputes its text bears on, whatever the reveal policy
        blocks.append(event_block(scenario, event, words))
        for ident in event.contested:
            blocks.extend(dispute_blocks(scenario, ident, as_of, shown))
            shown |= {ident}
    return blocks


def disputes_of(point: DecisionPoint, events: tuple[Event, ...], reveal: bool = True) -> list[str]:
    """The contested facts a decision's record bears on, in the order shown: the moves'
    that followed (under every reveal policy), then the point's own (when revealed)."""
    ids = [ident for event in events for ident in event.contested]
    return list(dict.fromkeys([*ids, *(point.contested if reveal else ())]))


def dispute_blocks(
    scenario: Scenario, ident: str, as_of: dt.date | None, shown: frozenset[str]
) -> list[Block]:
    """A contested fact in full, or named in one line if it was given in full earlier."""
    fact = scenario.contested_by_id[ident]
    if ident in shown:
        return [Paragraph.of((SOURCES_DISAGREE, "strong"), fact.claim, EARLIER)]
    return contested_blocks(scenario, fact, as_of)


def history_blocks(
    scenario: Scenario,
    point: DecisionPoint,
    chosen: Choice | None = None,
    as_of: dt.date | None = None,
    words: Wording = plain,
    shown: frozenset[str] = frozenset(),
) -> list[Block]:
    """What actually happened at ``point``, with quotes and every version of what is contested
    (a dispute in ``shown``, given in full earlier, is named in one line).

    With ``chosen`` (a choice that differs from history), why that option was plausible too.
    """
    real = next((c for c in point.choices if c.id == point.history.choice), None)
    blocks: list[Block] = []
    if real is not None:
        blocks.append(Paragraph.of((GOVERNMENT_DID, "strong"), words(real)))
    else:
        blocks.append(
            Paragraph.of(
                (COUNTERFACTUAL, "strong"), "this situation did not arise. ", point.counterfactual
            )
        )
    if chosen is not None and chosen is not real and chosen.counterfactual:
        blocks.append(Paragraph.of((PLAUSIBLE, "strong"), chosen.counterfactual))
    blocks.append(Paragraph.of((ACTUALLY_HAPPENED, "strong"), point.history.summary))
    blocks.extend(quotes(scenario, point.history.citations, as_of))
    for ident in point.contested:
        blocks.extend(dispute_blocks(scenario, ident, as_of, shown))
    return blocks


def step_blocks(
    scenario: Scenario,
    step: Step,
    reveal: bool,
    as_of: dt.date | None = None,
    words: Wording = plain,
) -> list[Block]:
    """What a decision just taken led to, as the outcome screen and plain mode show it;
    ``as_of`` is the in-game date the round has moved to (None once it is over)."""
    return decision_blocks(
        scenario,
        step.point,
        step.choice,
        step.decision.rationale,
        step.events,
        reveal,
        as_of,
        words,
    )


def chosen_label(
    point: DecisionPoint, chosen: Choice, fallback: bool = False, reveal: bool = True
) -> str:
    """How a decision is introduced: the student's choice, or (``fallback``: a match seat
    silent past the deadline, a teacher-paced countdown run out) the automatic move, named as
    history's where it is history's and history may be shown (``reveal``)."""
    if not fallback:
        return YOU_CHOSE
    return LATE_HISTORY if reveal and chosen.id == point.history.choice else LATE_FALLBACK


def decision_blocks(
    scenario: Scenario,
    point: DecisionPoint,
    chosen: Choice,
    rationale: str,
    events: tuple[Event, ...],
    reveal: bool,
    as_of: dt.date | None = None,
    words: Wording = plain,
    fallback: bool = False,
    shown: frozenset[str] = frozenset(),
) -> list[Block]:
    """One decision in full: the choice (or the automatic move that stood for a silent
    seat, never shown as the student's), what followed, and (if revealed) what happened;
    the disputes in ``shown`` were given in full at an earlier decision."""
    label = chosen_label(point, chosen, fallback, reveal)
    blocks: list[Block] = [Paragraph.of((label, "strong"), words(chosen))]
    if rationale:
        blocks.append(Paragraph.of((YOUR_REASON, "strong"), rationale))
    blocks.extend(followed_blocks(scenario, chosen, events, words, as_of, shown))
    shown |= {ident for event in events for ident in event.contested}  # given just above
    if reveal:
        blocks.extend(history_blocks(scenario, point, chosen, as_of, words, shown))
    else:
        blocks.append(Paragraph.of((HISTORY_LATER, "dim")))
    return blocks
