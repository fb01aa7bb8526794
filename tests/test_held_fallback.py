"""The move made for a silent student while history is held back (#27): it gives nothing away.

Under the reveal policy ``teacher`` (history held until the teacher reveals it to the room) or
``debrief``, a student whose countdown ran out must not learn the government's real move from
the move made for them: it is the author's ``fallback:`` or the first choice offered, chosen
without looking at history (checked by swapping history's choice in the scenario: the move
stays the same), labelled "the scenario's fallback move", never history's, and counted as "no
move in time", never as the student's choice nor as matching history. Where history is shown
after each decision, it stays history's move, as before."""

from __future__ import annotations

import html
import json
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from game.engine.base.problems import FlashpointError
from game.engine.checks import loader
from game.engine.play import pacing
from game.engine.play.fallback import fallback_choice
from game.engine.play.pacing import ClassControl, ClassReveal
from game.engine.play.session import Step
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import ControlReader, update, write_control
from game.engine.records.results import read_record, summarise
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import DecisionPoint, Reveal
from game.engine.seats.lifecycle import Round
from game.plain_outcome import outcome_lines
from game.reports.round_blocks import LATE_FALLBACK, LATE_HISTORY
from tests.conftest import FLAGSHIP
from tests.page_client import CHOICE, Browser, client, folder

__all__ = ["client", "folder"]  # fixtures

T0 = 1_800_000_000.0
POLICIES = ("immediate", "debrief", "teacher")
"""The round's own reveal policies, and the teacher's (history held for the room)."""


def swapped(loaded: LoadedScenario, point_id: str) -> LoadedScenario:
    """``loaded`` with another choice named as history's at ``point_id`` (nothing else)."""
    scenario = loaded.scenario
    point = scenario.point_by_id[point_id]
    other = next(c.id for c in reversed(point.choices) if c.id != point.history.choice)
    changed = replace(point, history=replace(point.history, choice=other))
    points = tuple(changed if p.id == point_id else p for p in scenario.points)
    return replace(loaded, scenario=replace(scenario, points=points))


def silent(
    tmp_path: Path, loaded: LoadedScenario, policy: str
) -> tuple[Round, Step, tuple[str, ...]]:
    """A round whose first decision's countdown ran out under ``policy``: its automatic step,
    and the choices that were offered."""
    reveal: ClassReveal = "teacher" if policy == "teacher" else "round"
    control = pacing.set_reveal(pacing.open_decision(ClassControl(), 1, 60, T0), reveal)
    tmp_path.mkdir(parents=True, exist_ok=True)
    write_control(tmp_path, control)
    own: Reveal = "debrief" if policy == "debrief" else "immediate"  # the teacher holds it
    played = Round.start(RoundStore(tmp_path / "home"), loaded, "pakistan", "Ana", reveal=own)
    played.pacing, played.clock = ControlReader(tmp_path), lambda: T0 + 61
    offered = played.session.offered()
    step = played.tick()
    assert step is not None and step.decision.automatic
    return played, step, offered


def saves(folder: ClassFolder) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in folder.students_folder.glob("*/saves/*.json")
    ]


@pytest.mark.parametrize("policy", POLICIES)
def test_the_fallback_is_history_s_only_where_history_is_shown(tmp_path: Path, policy: str) -> None:
    loaded = loader.load(FLAGSHIP)
    first = loaded.scenario.point_by_id["pk_response"]
    played, step, offered = silent(tmp_path / "a", loaded, policy)
    again, moved, _ = silent(tmp_path / "b", swapped(loaded, first.id), policy)
    assert first.history.choice != offered[0]  # else the first choice would prove nothing
    if policy == "immediate":  # shown after the decision anyway: history's move, as before
        assert step.choice.id == first.history.choice
        assert moved.choice.id != step.choice.id  # the swap can show a dependence
    else:  # held: the first choice offered, whatever history's choice is
        assert step.choice.id == moved.choice.id == offered[0]
    for made in (played, again):
        made.leave()


def test_an_author_s_fallback_is_played_under_every_policy(tmp_path: Path) -> None:
    loaded = loader.load(FLAGSHIP)
    point = loaded.scenario.point_by_id["pk_response"]
    wanted = point.choices[2].id
    assert wanted != point.history.choice
    points = tuple(replace(p, fallback=wanted) if p is point else p for p in loaded.scenario.points)
    authored = replace(loaded, scenario=replace(loaded.scenario, points=points))
    for policy in POLICIES:
        played, step, _ = silent(tmp_path / policy, authored, policy)
        assert step.choice.id == wanted
        played.leave()


def test_the_rule_never_reads_history_while_it_is_held() -> None:
    point = loader.load(FLAGSHIP).scenario.point_by_id["pk_response"]
    offered = [c.id for c in point.choices]

    class Sealed:
        @property
        def choice(self) -> str:
            raise AssertionError("history was read while it is held")

    sealed = replace(point, history=Sealed())  # type: ignore[arg-type]
    assert fallback_choice(sealed, offered, history_shown=False) == offered[0]
    assert fallback_choice(point, offered[1:], history_shown=False) == offered[1]
    assert fallback_choice(point, offered, history_shown=True) == point.history.choice
    authored: DecisionPoint = replace(point, fallback=offered[3])
    assert fallback_choice(authored, offered, history_shown=True) == offered[3]
    assert fallback_choice(authored, offered[:3], history_shown=True) == point.history.choice


@pytest.mark.parametrize("policy", ["debrief", "teacher"])
def test_held_the_move_is_labelled_the_scenario_s_fallback_never_history_s(
    tmp_path: Path, policy: str
) -> None:
    loaded = loader.load(FLAGSHIP)
    scenario = loaded.scenario
    history = [p.history.summary[:50] for p in scenario.points]
    played, step, _ = silent(tmp_path, loaded, policy)
    later = "What actually happened will be revealed by your teacher."
    plain = " ".join(" ".join(outcome_lines(played.session, step, later)).split())
    for shown in (plain,):
        assert LATE_FALLBACK.strip() in shown and "You chose" not in shown
        assert "history's move" not in shown and LATE_HISTORY.strip() not in shown
        assert "What the government did" not in shown
        assert not any(summary in shown for summary in history)
    played.leave()
    (record,) = (tmp_path / "home" / "results").glob("*.json")
    found = read_record(record)
    assert [d.fallback for d in found.decisions] == [True]
    summary = summarise(found, scenario)
    assert summary.matches == (None,) and summary.matched == 0 and summary.decided == 0


def test_a_fallback_that_is_not_a_choice_is_refused_with_its_line(tmp_path: Path) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    marker = "  - id: pk_military\n"
    assert text.count(marker) == 1
    broken = tmp_path / FLAGSHIP.name
    broken.write_text(text.replace(marker, marker + "    fallback: hold_fir\n"))
    for source in FLAGSHIP.parent.iterdir():
        if source != FLAGSHIP and not (tmp_path / source.name).exists():
            (tmp_path / source.name).symlink_to(source)
    with pytest.raises(FlashpointError) as raised:
        loader.load(broken)
    line = text[: text.index(marker)].count("\n") + 2
    message = str(raised.value)
    assert f"{broken.name}:{line}" in message
    assert "unknown choice 'hold_fir'" in message and "hold_fire" in message


async def test_the_class_page_labels_it_the_scenario_s_fallback(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    update(folder.path, lambda c: pacing.set_reveal(c, "teacher"))
    update(folder.path, lambda c: pacing.open_decision(c, 1, 60, time.time()))
    round_url = await (ana := Browser(client, folder.code)).playing("Ana")
    _, page, _ = await ana.get(round_url)
    offered = CHOICE.findall(page)
    update(folder.path, lambda c: pacing.advance_slowest(c, 1, time.time()))
    response = await ana.post(f"{round_url}/decide", choice=offered[-1], count="0")
    assert response.headers["Location"] == f"{round_url}/outcome"  # too late: made for her
    status, outcome, _ = await ana.get(f"{round_url}/outcome")
    assert status == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", outcome)).split())
    assert LATE_FALLBACK.strip() in text and "You chose" not in text
    assert "history's move" not in text and "What the government did" not in text
    (record,) = saves(folder)
    (made,) = [e for e in record["entries"] if e["kind"] == "decision"]
    assert made["automatic"] is True and made["choice"] == offered[0]
