"""History held by the teacher in a match (reveal policy ``teacher``), paced by the teacher or
not: no turn's outcome shows what actually happened, and the match's debrief waits until the
teacher has revealed every turn played, in the engine and on the class page. (Before, a
student-paced class ignored the held history in a match, and a match's debrief never waited.)"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records import pacing_file
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchStore
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from game.reports.round_blocks import ACTUALLY_HAPPENED
from tests.page_client import folder
from tests.test_match_pacing import Teacher, first
from tests.test_matches import Clock, clock, store
from tests.test_page_matches import follow, move, servers, start, student

__all__ = ["clock", "folder", "servers", "store"]  # fixtures

HELD = "Your debrief is on its way"


def test_a_match_under_held_history_shows_none_and_its_debrief_waits(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    teacher = Teacher(clock)
    teacher.control = ClassControl(pace="student", reveal="teacher")
    ali = MatchSeat.enter(
        store, RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan", reveal="immediate",
        pacing=teacher,
    )  # fmt: skip
    bea = MatchSeat.enter(
        store.reopen(), RoundStore(tmp_path / "bea"), None, "Bea", code=ali.code, pacing=teacher
    )
    try:
        assert not ali.view.reveals_history and not bea.view.reveals_history
        turns = 0
        while not ali.is_over:
            ali.showing()
            bea.showing()
            assert ali.choose(first(ali)) and bea.choose(first(bea))
            assert ali.poll() is not None and bea.poll() is not None
            turns += 1
            assert turns < 20
        assert ali.debrief_held() and bea.debrief_held()
        for number in range(1, turns):
            teacher.control = pacing.reveal(teacher.control, number)
        assert ali.debrief_held()  # one turn is still held
        teacher.control = pacing.reveal(teacher.control, turns)
        assert not ali.debrief_held() and not bea.debrief_held()
    finally:
        ali.close()
        bea.close()


def test_outside_a_class_or_with_history_shown_the_debrief_does_not_wait(
    store: MatchStore, flagship: LoadedScenario, tmp_path: Path, clock: Clock
) -> None:
    shown = Teacher(clock)
    shown.control = ClassControl(pace="student", reveal="round")
    for reader in (None, shown):
        ali = MatchSeat.enter(
            store, RoundStore(tmp_path / "a"), flagship, "Ali", "pakistan", reveal="immediate",
            pacing=reader,
        )  # fmt: skip
        try:
            assert ali.view.reveals_history and not ali.debrief_held()
        finally:
            ali.leave()


async def test_the_class_page_holds_a_match_s_history_and_debrief_for_the_teacher(
    servers: list[Any], folder: ClassFolder
) -> None:
    pacing_file.update(folder.path, lambda c: pacing.set_reveal(c, "teacher"))
    ana = await student(servers[0], folder, "Ana")
    ben = await student(servers[1], folder, "Ben")
    code = await start(ana)
    assert (await ben.post("/match/join", code=code)).status == 303
    turns = 0
    while True:
        number = await move(ana)
        assert await move(ben) == number
        where, outcome = await follow(ana, f"/match/turn?n={number}")
        assert where == f"/match/outcome/{number}"
        assert ACTUALLY_HAPPENED not in outcome  # held for the room
        turns += 1
        if "/match/debrief" in outcome:
            break
        assert turns < 20
    _, held = await follow(ana, "/match/debrief")
    assert HELD in held and "The match, turn by turn" not in held
    exported = await ana.client.get("/match/debrief.md", allow_redirects=False)
    assert exported.status == 303  # not before the teacher's reveal either
    for n in range(1, turns + 1):
        pacing_file.update(folder.path, functools.partial(pacing.reveal, number=n))
    _, debrief = await follow(ana, "/match/debrief")
    assert HELD not in debrief and "The match, turn by turn" in debrief
