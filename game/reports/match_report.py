"""A match in a seat's debrief: every turn, both seats' moves beside what both governments did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine.base.text import short_date
from game.engine.classroom.debrief import Debrief, MatchMove
from game.engine.play.match import SeatView, TurnOutcome, as_in_match

# NO_CLASSMATE is kept beside NO_MOVE: the class report names it without importing this module
from game.engine.play.scoring import NO_CLASSMATE as NO_CLASSMATE
from game.engine.play.scoring import NO_MOVE
from game.engine.scenario.model import DecisionPoint
from game.reports.document import Block, Bullets, Heading, Paragraph
from game.reports.outcome_blocks import disputes_before
from game.reports.round_blocks import decision_blocks, dispute_blocks, event_block

if TYPE_CHECKING:
    from game.engine.seats.match_seat import MatchSeat

FALLBACK = f" ({NO_MOVE}: the scenario's fallback stood)"  # one wording: scoring.NO_MOVE
HISTORY_MOVE = " (history's move: no classmate in this seat)"
LATE_HISTORY = f" ({NO_MOVE}: history's move was played for them)"
NOT_JOINED = "no classmate has joined yet"
"""Who a free seat of a match started by code is: its clock waits for the classmate."""
MATCH_NOTE = (
    "Each turn both seats decided at once, without seeing the other's move; a move marked "
    "as a fallback is the one the scenario sets for a seat that did not decide in time."
)


def time_left(seconds: float | None, theirs: bool = False) -> str:
    """The turn's countdown in words, the same on every screen (full screen and plain): the
    student's own time, or (``theirs``) the other seat's while the student waits for it."""
    who = "them" if theirs else "you"
    if seconds is None:
        if theirs:
            return "Their time starts when they have this turn on screen."
        return "Your time starts when both of you have this turn on screen."
    if seconds <= 0:
        return f"Time is up: with no move in time, one is played for {who}."
    minutes, rest = divmod(int(seconds + 0.999), 60)
    move = "their move" if theirs else "your move"
    return f"{minutes}:{rest:02d} left for {move}; then one is played for {who} (no move in time)."


def free_seat_clock(paced: bool) -> str:
    """What a free seat (no classmate has joined yet) means for the turn's time."""
    if paced:
        return "no time runs until they join; then your teacher's countdown counts"
    return "your time starts when both of you have this turn on screen"


def seat_time_left(played: MatchSeat, seconds: float | None, theirs: bool = False) -> str:
    """:func:`time_left` for a seat, saying whose clock it is when none runs: the teacher's
    (the class is paced), a lone student's against history's moves, or the pair's."""
    if seconds is not None:
        return time_left(seconds, theirs)
    history = played.facing_history()
    if played.paced() is not None:
        if not history and not played.other_name():
            return "No time runs until a classmate joins; then your teacher's countdown counts."
        if theirs and history:
            return "History's move for that side is played when your teacher closes the decision."
        return "No time limit: your teacher closes the decision."
    if history:
        if theirs:
            return "History's move for that side is played when the turn's time is up."
        return "Your time starts when you have this turn on screen."
    return time_left(None, theirs)


def _lone(debrief: Debrief, move: MatchMove) -> bool:
    """Whether ``move`` is history's for a seat no classmate sat in, in a class's match (an
    author's test match names no player at all)."""
    real = move.historical
    return (
        not move.player
        and move.fallback
        and real is not None
        and move.chosen.id == real.id
        and any(m.player for turn in debrief.match for m in turn.moves)
    )


def _who(debrief: Debrief, move: MatchMove) -> str:
    if _lone(debrief, move):
        return f"{move.seat.name} ({NO_CLASSMATE})"
    return f"{move.seat.name} ({move.player})" if move.player else move.seat.name


def _cell(debrief: Debrief, move: MatchMove) -> str:
    if _lone(debrief, move):
        return debrief.words(move.chosen) + HISTORY_MOVE
    return debrief.words(move.chosen) + (FALLBACK if move.fallback else "")


def _verdict(debrief: Debrief, move: MatchMove) -> str:
    if _lone(debrief, move):
        return "history's move, not scored"
    if move.fallback:
        return f"{NO_MOVE}, not scored"
    if move.historical is None:
        return "this situation did not arise in reality"
    if move.matches:
        return "as the government did"
    return f"the government's choice: {debrief.words(move.historical)}"


def _seat_summary(debrief: Debrief, seat: int, name: str) -> str:
    """A seat's own moves that matched history, of its own moves; its automatic moves apart;
    a seat no classmate sat in, history's moves (nobody's: never "no move in time")."""
    moves = [turn.moves[seat] for turn in debrief.match]
    if moves and all(_lone(debrief, m) for m in moves):
        return f"{name}: {NO_CLASSMATE}, not scored"
    late = sum(m.fallback for m in moves)
    matched = sum(m.matches for m in moves)
    apart = f" ({late} {NO_MOVE})" if late else ""
    return f"{name} {matched} of {len(moves) - late}{apart}"


def match_blocks(debrief: Debrief) -> list[Block]:
    """The match section of a debrief document; nothing for a round of one student."""
    if not debrief.match:
        return []
    first = debrief.match[0].moves
    summary = ", ".join(_seat_summary(debrief, n, m.seat.name) for n, m in enumerate(first))
    blocks: list[Block] = [
        Heading("The match, turn by turn"),
        Paragraph.of(("Moves that matched history: ", "strong"), summary + "."),
        Paragraph.of((MATCH_NOTE, "dim")),
    ]
    for turn in debrief.match:
        invented = any(m.point.counterfactual for m in turn.moves)
        label = " (not historical)" if invented else ""
        day = short_date(turn.turn.date)
        blocks.append(Paragraph.of((f"{day} · {turn.turn.title}{label}", "strong")))
        blocks.append(
            Bullets(
                tuple(
                    Paragraph.of(
                        (f"{_who(debrief, m)}: ", "strong"),
                        _cell(debrief, m),
                        (f" — {_verdict(debrief, m)}", "dim"),
                    )
                    for m in turn.moves
                )
            )
        )
    return blocks


def briefing_blocks(view: SeatView, code: str, history: bool = False) -> list[Block]:
    """Before the first turn: what the match covers, the seat's briefing and objectives;
    ``history``: the other seat is history's moves (nobody joins it)."""
    scenario = view.loaded.scenario
    mode = view.match.mode
    role = scenario.role_by_id[view.role]
    briefing = mode.briefings.get(view.role) or role.briefing
    blocks: list[Block] = [
        Paragraph.of(mode.summary),
        *(Paragraph.of(p.strip()) for p in briefing.split("\n\n") if p.strip()),
    ]
    if role.objectives:
        blocks.append(Paragraph.of(("Your objectives", "strong")))
        blocks.append(Bullets(tuple(Paragraph.of(o) for o in role.objectives)))
    blocks.append(
        Paragraph.of(
            ("Match code: ", "strong"),
            code,
            (
                " — history's moves play the other side; you rejoin with it and your name."
                if history
                else " — the other student joins with it; you rejoin with it and your name.",
                "dim",
            ),
        )
    )
    return blocks


def reveal_blocks(
    view: SeatView, point: DecisionPoint, reveal: TurnOutcome, classmates: bool = False
) -> list[Block]:
    """A revealed turn as ``view``'s seat sees it: the other seat's move (labelled if it was
    a fallback or is invented), then the seat's own decision, what followed and, if the
    policy allows, what actually happened. ``point`` is the seat's point of that turn;
    ``view`` is the match right after it. A dispute is given in full once a match (the turn
    it first bears on: with the seat's first situation, a move's or its history), later
    named in one line, under every reveal policy (:func:`disputes_before`). In a match
    between ``classmates`` (a class's, not an author's test match), a seat no classmate sits
    in is history's moves, and each of its moves is labelled history's."""
    scenario = view.loaded.scenario
    other = view.match.mode.other(view.role)
    moves = reveal.played.moves
    mine = moves[view.role]
    chosen = next(c for c in point.choices if c.id == mine.choice)
    blocks: list[Block] = []
    name = view.match.players.get(other) or "not joined"
    theirs = scenario.point_by_id[reveal.played.turn.points[other]]
    late = FALLBACK if moves[other].fallback else ""
    if late and view.reveals_history and moves[other].choice == theirs.history.choice:
        late = LATE_HISTORY  # as the silent seat's own screen words it (chosen_label)
    if classmates and not view.match.players.get(other):
        name = "no classmate"
        if moves[other].fallback and moves[other].choice == theirs.history.choice:
            name, late = NO_CLASSMATE, HISTORY_MOVE
    blocks.append(
        Paragraph.of((f"{scenario.role_by_id[other].name} ({name}) moved{late}:", "strong"))
    )
    arrived = reveal.shown[view.role]
    as_of = view.point.date if view.point is not None else None
    held = not view.reveals_history  # the other's move, neither labelled nor quoted as history
    before = disputes_before(scenario, view.entries, not held, view.preset, held=held)
    given = frozenset(before)
    for event in (e for e in arrived if e.id in scenario.moved_at):  # the other seat's move
        blocks.append(event_block(scenario, event, view.words, held=held))
        for ident in () if held else event.contested:  # what its text bears on (its sources)
            blocks += dispute_blocks(scenario, ident, as_of, given)
            given |= {ident}
    world = tuple(e for e in arrived if e.id not in scenario.moved_at)
    blocks += decision_blocks(
        scenario,
        point,
        as_in_match(chosen),
        mine.rationale,
        world,
        view.reveals_history,
        as_of,
        view.words,
        fallback=mine.fallback,
        shown=given,  # given in full earlier in the match: named in one line
    )
    return blocks


def match_data(debrief: Debrief) -> list[dict[str, Any]]:
    """The match's turns as JSON-ready data (empty for a round of one student)."""
    return [
        {
            "turn": turn.turn.id,
            "date": turn.turn.date.isoformat(),
            "title": turn.turn.title,
            "moves": [
                {
                    "seat": m.seat.id,
                    "seat_name": m.seat.name,
                    "player": m.player,
                    "point": m.point.id,
                    "choice": m.chosen.id,
                    "label": debrief.words(m.chosen),
                    "fallback": m.fallback,
                    "no_classmate": _lone(debrief, m),
                    "historical_choice": m.historical.id if m.historical else None,
                    "historical_label": debrief.words(m.historical) if m.historical else None,
                    "matches": m.matches,
                }
                for m in turn.moves
            ],
        }
        for turn in debrief.match
    ]
