"""A dispute about the situation is shown where the student decides: the opening moves'
disputes (Iran's strike in Balochistan: the injured, the village's name) come with the first
decision, before the choice, under every reveal policy, once per round, and again in the
debrief; in plain mode and on the class page, both asking one function of the reports."""

from __future__ import annotations

import html
import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from game.engine.checks import loader
from game.engine.play import pacing
from game.engine.play.match import Match, Move, SeatView
from game.engine.play.session import Session
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import update
from game.engine.records.store import RoundStore
from game.engine.scenario.model import Contested, Reveal, Scenario
from game.engine.seats.lifecycle import Round
from game.plain import PlainGame
from game.reports.match_report import reveal_blocks
from game.reports.outcome_blocks import disputes_before, situation_disputes
from game.reports.round_blocks import EARLIER
from game.reports.spoken import spoken
from tests.conftest import FLAGSHIP
from tests.page_client import Browser, served
from tests.test_page_matches import follow, move, seating, start, student

OPENING = {"pakistan": ["pk_strike_casualties", "strike_location"], "iran": []}
"""The flagship's opening moves' disputes, by role (Iran's opening moves, Kerman and the
strikes in Iraq and Syria, carry none)."""
SCENARIO = loader.load(FLAGSHIP).scenario


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def versions(scenario: Scenario, fact: Contested) -> list[str]:
    """What the student must read of each version: its account, its publisher, its quote."""
    sources = scenario.source_by_id
    return [flat(f"{v.account} — {sources[v.source].publisher}") for v in fact.versions] + [
        flat(v.quote) for v in fact.versions
    ]


@pytest.mark.parametrize("role", ["pakistan", "iran"])
def test_the_rule_is_the_opening_moves_disputes_and_the_outcomes_count_them(role: str) -> None:
    loaded = loader.load(FLAGSHIP)
    session = Session.start(loaded, role, clock=lambda: 0.0)
    point = session.node
    assert situation_disputes(loaded.scenario, session.entries, point) == OPENING[role]
    session.choose(session.offered()[0])
    later = session.node
    assert situation_disputes(loaded.scenario, session.entries, later) == []  # none again
    for reveal in (True, False):  # the outcome of the first decision names them, in one line
        assert set(OPENING[role]) <= disputes_before(loaded.scenario, session.entries, reveal)


def play_plain(home: Path, role: str, reveal: Reveal) -> str:
    played = Round.start(RoundStore(home), loader.load(FLAGSHIP), role, reveal=reveal)
    out = io.StringIO()
    PlainGame(io.StringIO("1\n\n" * 40), out, pauses=False).play(played)
    return out.getvalue()


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
@pytest.mark.parametrize("role", ["pakistan", "iran"])
def test_plain_mode_reads_them_before_the_first_choice_once_a_round(
    home: Path, role: str, reveal: Reveal
) -> None:
    shown = play_plain(home, role, reveal)
    playing, debrief = shown.split("Debrief:", 1)
    first, rest = (flat(part) for part in playing.split("Your decision", 1))
    for ident in OPENING[role]:
        fact = SCENARIO.contested_by_id[ident]
        assert flat(f"Sources disagree: {fact.claim}") in first
        for words in versions(SCENARIO, fact):
            assert first.count(words) == 1, words
            assert words not in rest, words  # not a second time in the round
            assert words in flat(debrief), words  # and again in the debrief
    if not OPENING[role]:
        assert "Sources disagree" not in first


@pytest.mark.parametrize("reveal", ["immediate", "debrief", "teacher"])
@pytest.mark.parametrize("role", ["pakistan", "iran"])
async def test_the_class_page_shows_them_before_the_first_choice_once_a_round(
    tmp_path: Path, role: str, reveal: str
) -> None:
    policy = None if reveal == "teacher" else reveal
    folder = ClassFolder.open_or_create(tmp_path / "class", (), policy)
    if reveal == "teacher":
        update(folder.path, lambda c: pacing.set_reveal(c, "teacher"))
        update(folder.path, lambda c: pacing.open_decision(c, 1, None, time.time()))
    client: TestClient[Any, Any] = await served(folder)
    try:
        ana = Browser(client, folder.code)
        await ana.join("Ana")
        round_url = await ana.start(role)
        status, page, _ = await ana.get(round_url)
        assert status == 200
        before_choice = flat(page.split('name="choice"', 1)[0])
        await ana.decide(round_url)
        _, outcome, _ = await ana.get(f"{round_url}/outcome")
        _, second, _ = await ana.get(round_url)
    finally:
        await client.close()
    for ident in OPENING[role]:
        fact = SCENARIO.contested_by_id[ident]
        assert flat(f"Sources disagree: {fact.claim}") in before_choice
        for words in versions(SCENARIO, fact):
            assert flat(page).count(words) == 1, words
            assert words in before_choice, words
            assert words not in flat(outcome) and words not in flat(second), words
    if not OPENING[role]:
        assert "Sources disagree" not in flat(page)


def test_at_a_terminal_plain_mode_names_them_and_d_reads_them_before_the_choice(
    home: Path,
) -> None:
    played = Round.start(RoundStore(home), loader.load(FLAGSHIP), "pakistan", reveal="debrief")
    out = io.StringIO()
    PlainGame(io.StringIO("\nd\n1\n\n"), out, pauses=True).play(played)
    before, after = out.getvalue().split("You decide", 1)
    named, read = (flat(part) for part in before.split("Your decision", 1))
    assert "Sources disagree on 2 points: type d to hear them." in named
    for ident in OPENING["pakistan"]:
        for words in versions(SCENARIO, SCENARIO.contested_by_id[ident]):
            assert words in read and words not in named and words not in flat(after), words


def test_a_match_seat_gets_them_with_its_first_turn_and_the_reveal_only_names_them() -> None:
    loaded = loader.load(FLAGSHIP)
    match = Match(loaded, {}, 0.0)
    view = SeatView(match, "pakistan")  # history revealed after each turn
    point = view.point
    assert point is not None
    assert situation_disputes(loaded.scenario, view.entries, point.id) == OPENING["pakistan"]
    moves = {}
    for seat in match.mode.seats:
        faced = match.point(seat)
        assert faced is not None
        moves[seat] = Move(faced.history.choice or faced.choices[0].id, time=0.0)
    shown = flat(" ".join(spoken(reveal_blocks(view, point, match.play(moves)))))
    for ident in OPENING["pakistan"]:
        fact = SCENARIO.contested_by_id[ident]
        assert flat(f"Sources disagree: {fact.claim}{EARLIER}") in shown
        assert not [words for words in versions(SCENARIO, fact) if words in shown]


async def test_a_match_turn_on_the_class_page_shows_them_before_the_choice_once(
    tmp_path: Path,
) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    clients = [await served(folder, matches=seating()) for _ in range(2)]  # a browser each
    try:
        ana = await student(clients[0], folder, "Ana")
        ben = await student(clients[1], folder, "Ben")
        code = await start(ana, "pakistan")
        assert (await ben.post("/match/join", code=code)).status == 303
        _, turn = await follow(ana, "/match/turn")
        before_choice = flat(turn.split('name="choice"', 1)[0])
        number = await move(ana)
        assert await move(ben) == number
        _, outcome = await follow(ana, f"/match/turn?n={number}")
    finally:
        for client in clients:
            await client.close()
    for ident in OPENING["pakistan"]:
        fact = SCENARIO.contested_by_id[ident]
        for words in versions(SCENARIO, fact):
            assert flat(turn).count(words) == 1 and words in before_choice, words
            assert words not in flat(outcome), words
        assert flat(f"Sources disagree: {fact.claim}{EARLIER}") in flat(outcome)
