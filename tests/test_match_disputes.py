"""A head-to-head seat reads each dispute in full once a match, at the first turn it bears
on (its first situation, a move that reaches it, a turn's history), under every reveal
policy; later turns name it in one line. Every match front end (full screen, plain, the
class page) shows :func:`game.reports.match_report.reveal_blocks`, so the match is played
here through the engine and read as a seat reads it."""

from __future__ import annotations

from collections import Counter

import pytest

from game.engine.checks import loader
from game.engine.play.match import Match, Move, SeatView
from game.reports.document import Block, Bullets, Paragraph
from game.reports.match_report import reveal_blocks
from game.reports.outcome_blocks import situation_dispute_blocks
from game.reports.round_blocks import EARLIER, SOURCES_DISAGREE
from game.reports.spoken import spoken
from tests.conftest import FLAGSHIP
from tests.test_situation_disputes import flat

LOADED = loader.load(FLAGSHIP)
SCENARIO = LOADED.scenario


def read_match(pick: int, reveal: str) -> dict[str, list[Block]]:
    """Each seat's reading of a whole match: its first situation's disputes, then every
    revealed turn; at turn n each seat takes choice (pick + n) of its point."""
    match = Match(LOADED, {}, 0.0)
    views = {seat: SeatView(match, seat, reveal) for seat in match.mode.seats}
    read: dict[str, list[Block]] = {}
    for seat, view in views.items():
        point = view.point
        assert point is not None
        read[seat] = situation_dispute_blocks(SCENARIO, view.entries, point, view.preset)
    number = 0
    while match.turn is not None:
        faced = {seat: match.point(seat) for seat in match.mode.seats}
        moves = {}
        for seat, point in faced.items():
            assert point is not None
            choices = point.choices
            moves[seat] = Move(choices[(pick + number) % len(choices)].id, time=0.0)
        outcome = match.play(moves)
        for seat, view in views.items():
            point = faced[seat]
            assert point is not None
            read[seat] += reveal_blocks(view, point, outcome)
        number += 1
    return read


def disputes(blocks: list[Block]) -> tuple[Counter[str], Counter[str]]:
    """How often each dispute is given in full (its claim, then every version), and how
    often it is named in one line, by claim."""
    full: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for block, after in zip(blocks, [*blocks[1:], None], strict=True):
        if not isinstance(block, Paragraph) or block.spans[0].text != SOURCES_DISAGREE:
            continue
        text = "".join(span.text for span in block.spans[1:])
        if text.endswith(EARLIER):
            named[text.removesuffix(EARLIER)] += 1
        else:
            assert isinstance(after, Bullets), text  # in full: every version follows
            full[text] += 1
    return full, named


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
@pytest.mark.parametrize("pick", [0, 1, 2])
def test_each_dispute_is_given_in_full_once_a_match_for_each_seat(pick: int, reveal: str) -> None:
    for seat, blocks in read_match(pick, reveal).items():
        full, named = disputes(blocks)
        assert all(count == 1 for count in full.values()), (seat, full)
        assert set(named) <= set(full), (seat, named)  # named only once given
        text = flat(" ".join(spoken(blocks)))
        sources = SCENARIO.source_by_id
        for fact in SCENARIO.contested:
            if fact.claim in full:
                for version in fact.versions:
                    account = flat(f"{version.account} — {sources[version.source].publisher}")
                    assert text.count(account) == 1, (seat, account)


def test_a_dispute_met_again_is_named_and_a_move_reaching_the_seat_brings_its_own() -> None:
    """Each seat taking its first choice at every turn meets the ambassadors' dispute at
    several turns: in full once, then named. Under the debrief policy, the Iranian seat
    whose opponent recalls its ambassador does not get it with that move: its sources would
    tell what Pakistan really did before the debrief (trial 2, F6;
    tests/test_match_held_moves.py)."""
    claim = SCENARIO.contested_by_id["ambassadors"].claim
    for seat, blocks in read_match(0, "immediate").items():
        full, named = disputes(blocks)
        assert full[claim] == 1 and named[claim] >= 1, seat
    full, named = disputes(read_match(1, "debrief")["iran"])  # Pakistan recalls its ambassador
    assert full[claim] == 0 and named[claim] == 0
