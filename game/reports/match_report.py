"""A match in a seat's debrief: every turn, both seats' moves beside what both governments did."""

from __future__ import annotations

from typing import Any

from game.engine.debrief import Debrief, MatchMove
from game.engine.text import short_date
from game.reports.document import Block, Bullets, Heading, Paragraph

FALLBACK = " (no move in time: the scenario's fallback stood)"
MATCH_NOTE = (
    "Each turn both seats decided at once, without seeing the other's move; a move marked "
    "as a fallback is the one the scenario sets for a seat that did not decide in time."
)


def _who(move: MatchMove) -> str:
    return f"{move.seat.name} ({move.player})" if move.player else move.seat.name


def _cell(debrief: Debrief, move: MatchMove) -> str:
    return debrief.words(move.chosen) + (FALLBACK if move.fallback else "")


def _verdict(debrief: Debrief, move: MatchMove) -> str:
    if move.historical is None:
        return "this situation did not arise in reality"
    if move.matches:
        return "as the government did"
    return f"the government's choice: {debrief.words(move.historical)}"


def match_blocks(debrief: Debrief) -> list[Block]:
    """The match section of a debrief document; nothing for a round of one student."""
    if not debrief.match:
        return []
    first = debrief.match[0].moves
    turns = len(debrief.match)
    matched = [sum(t.moves[n].matches for t in debrief.match) for n in range(len(first))]
    summary = ", ".join(
        f"{m.seat.name} {k} of {turns}" for m, k in zip(first, matched, strict=True)
    )
    blocks: list[Block] = [
        Heading("The match, turn by turn"),
        Paragraph.of(("Moves that matched history: ", "strong"), summary + "."),
        Paragraph.of((MATCH_NOTE, "dim")),
    ]
    for turn in debrief.match:
        blocks.append(Paragraph.of((f"{short_date(turn.turn.date)} · {turn.turn.title}", "strong")))
        blocks.append(
            Bullets(
                tuple(
                    Paragraph.of(
                        (f"{_who(m)}: ", "strong"),
                        _cell(debrief, m),
                        (f" — {_verdict(debrief, m)}", "dim"),
                    )
                    for m in turn.moves
                )
            )
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
                    "historical_choice": m.historical.id if m.historical else None,
                    "historical_label": debrief.words(m.historical) if m.historical else None,
                    "matches": m.matches,
                }
                for m in turn.moves
            ],
        }
        for turn in debrief.match
    ]
