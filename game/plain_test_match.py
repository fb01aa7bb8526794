"""An author's test match in plain text: ``play FILE --from POINT`` at a point only a match
faces. The author plays the seat that faces the point; the other seat's fallback move stands
each turn, labelled as such; nothing is saved or recorded."""

from __future__ import annotations

from game.engine.base.text import long_date
from game.engine.classroom.match_debrief import match_debrief
from game.engine.play.match import Match, Move, SeatView
from game.plain import EndOfInput, PlainGame, terminating_ends_input
from game.reports.debrief_report import debrief_document
from game.reports.match_report import reveal_blocks
from game.reports.writers import to_text


def play_test_match(game: PlainGame, match: Match, seat: str, point: str) -> int:
    """Play ``seat`` of ``match`` to its ending over ``game``'s streams; the exit status."""
    scenario = match.loaded.scenario
    view = SeatView(match, seat)
    other = match.mode.other(seat)
    others = scenario.role_by_id[other].name
    game.heading(f"{scenario.title} — {scenario.role_by_id[seat].name} — test match")
    game.say(
        f"Test match from '{point}', a point only a match faces: nothing is saved or recorded. "
        f"The turns before it were played with each seat's fallback where that leads there; "
        f"from here {others}'s fallback move stands each turn."
    )
    try:
        with terminating_ends_input():
            while match.turn is not None:
                turn = match.turn
                game.heading(f"Turn {match.number}: {long_date(turn.date)} — {turn.title}")
                game.present(view)
                choice, rationale = game.read_choice(view)
                faced = view.point
                assert faced is not None
                moves = {
                    seat: Move(choice, rationale),
                    other: Move(match.fallbacks()[other], fallback=True),
                }
                reveal = match.play(moves)
                game.heading("Both moves revealed")
                game.show(reveal_blocks(view, faced, reveal))
    except EndOfInput:
        game.say("You left the test match; nothing was saved.")
        return 0
    game.stdout.write("\n" + to_text(debrief_document(match_debrief(view))))
    game.say()
    game.say("This was a test match: nothing was saved or recorded.")
    return 0
