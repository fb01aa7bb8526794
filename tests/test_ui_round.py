"""The full-screen round at the smallest size, every way out of it, and one wording everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from game.engine.checks import loader
from game.reports.debrief_report import debrief_document
from game.reports.writers import to_markdown
from game.ui.app import FlashpointApp
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.outcome import OutcomeScreen
from game.ui.screens.title import TitleScreen
from tests.conftest import FLAGSHIP, run_flashpoint
from tests.ui_helpers import decide, make_app, screen_lines, session_of, squeezed


def records(home: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((home / "results").glob("*.json"))]


def all_points(role: str) -> list[str]:
    loaded = loader.load(FLAGSHIP)
    return sorted(loaded.graph.reachable(loaded.scenario.role_by_id[role].start))


@pytest.mark.parametrize("role", ["iran", "pakistan"])
async def test_every_choice_is_fully_visible_when_highlighted_at_80x24(
    home: Path, role: str
) -> None:
    """Walk every point of the role (by the machine, through keys) and, at each, arrow down
    through the choices, reading the rendered screen each time. One app walks each path that
    no other path extends, checking every point on its way."""
    loaded = loader.load(FLAGSHIP)
    scenario = loaded.scenario
    reachable = [p for p in all_points(role) if p in scenario.point_by_id]
    paths = {target: _path_to(loaded, role, target) for target in reachable}
    longest = [
        target
        for target, path in paths.items()
        if not any(
            len(other) > len(path) and other[: len(path)] == path for other in paths.values()
        )
    ]
    seen: set[str] = set()
    for target in longest:
        app = make_app(home, FLAGSHIP, role)
        async with app.run_test(size=(80, 24)) as pilot:
            for step, choice in enumerate([*paths[target], None]):
                point = session_of(app).point
                assert point is not None
                if paths.get(point.id) == paths[target][:step] and point.id not in seen:
                    await _every_choice_visible(pilot, app, point.id)
                    seen.add(point.id)
                if choice is not None:
                    await decide(pilot, [c.id for c in point.choices].index(choice) + 1)
            assert session_of(app).node == target
    assert seen == set(reachable)


async def _every_choice_visible(pilot: Pilot[None], app: FlashpointApp, target: str) -> None:
    """Arrow down through the choices of the point on screen, just arrived at: each is whole."""
    point = session_of(app).point
    assert point is not None and point.id == target
    for index, option in enumerate(point.choices):
        if index:
            await pilot.press("down")
            await pilot.pause()
        shown = squeezed(" ".join(screen_lines(app)))
        label = squeezed(f"{index + 1}. {session_of(app).words(option)}")
        assert label in shown, f"{target}.{option.id} is not fully visible at 80x24"


def _path_to(loaded: loader.LoadedScenario, role: str, target: str) -> list[str]:
    """Choices that lead from the role's start to ``target`` (breadth first, conditions kept)."""
    from game.engine.play.session import Session

    start = Session.start(loaded, role)
    queue: list[list[str]] = [[]]
    while queue:
        path = queue.pop(0)
        session = Session.start(loaded, role)
        for choice in path:
            session.choose(choice)
        if session.node == target:
            return path
        if session.point is not None:
            queue.extend([*path, c.id] for c in session.point.choices)
    raise AssertionError(f"{target} cannot be reached from {start.node}")


async def test_the_title_screen_way_out_records_the_round_as_abandoned(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await decide(pilot, 2)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert len(app.screen.saved) == 1
    assert [r["status"] for r in records(home)] == ["abandoned"]


async def test_the_quit_key_records_the_round_as_abandoned(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await decide(pilot, 2)
        await pilot.press("q", "y")
        await pilot.pause()
    assert [r["status"] for r in records(home)] == ["abandoned"]


async def test_the_reveal_policy_survives_a_resume_in_the_full_screen_game(home: Path) -> None:
    first = make_app(home, FLAGSHIP, "pakistan", reveal="debrief")
    async with first.run_test(size=(100, 30)) as pilot:
        await decide(pilot, 2)
        await pilot.press("q", "y")
        await pilot.pause()
    second = make_app(home)  # no --reveal this time
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(second.screen, DecisionScreen)
        assert session_of(second).reveal == "debrief"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(second.screen, OutcomeScreen)
        shown = squeezed(" ".join(screen_lines(second)))
        assert "What actually happened is revealed in the debrief." in shown
        assert "What the government did" not in shown


def test_the_reveal_policy_survives_a_resume_in_plain_mode(home: Path) -> None:
    first = run_flashpoint(
        "play",
        "iran_pakistan_2024",
        "--plain",
        "--role",
        "pakistan",
        "--reveal",
        "debrief",
        home=home,
        stdin="2\n\n",
    )
    assert first.returncode == 0, first.stderr
    second = run_flashpoint(
        "play", "iran_pakistan_2024", "--plain", "--continue", home=home, stdin="3\n\n"
    )
    assert second.returncode == 0, second.stderr
    outcome = second.stdout.split("What followed", 1)[1]
    assert "What actually happened is revealed in the debrief." in outcome
    assert "What the government did" not in outcome


SECTIONS = re.compile(
    r"(Verdict|You chose|Your reason|What followed|What the government did|Counterfactual"
    r"|Why your option was plausible|What actually happened|Sources disagree):"
)


def labels(text: str) -> list[str]:
    return SECTIONS.findall(text)


async def test_outcome_debrief_plain_and_markdown_use_the_same_sections(home: Path) -> None:
    """One round (Pakistan: recall, then the last choice each time), shown four ways, alike."""
    app = make_app(home, FLAGSHIP, "pakistan")
    outcome_labels: list[list[str]] = []
    plain_keys: list[str] = []
    async with app.run_test(size=(120, 200)) as pilot:
        while isinstance(app.screen, DecisionScreen):
            point = session_of(app).point
            assert point is not None
            number = 2 if not session_of(app).decisions else len(point.choices)
            plain_keys.append(f"{number} why\n\n")
            await pilot.press(str(number))
            await pilot.pause()
            await pilot.press(*"why", "enter")
            await pilot.pause()
            assert isinstance(app.screen, OutcomeScreen)
            outcome_labels.append(labels(" ".join(screen_lines(app))))
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        document = debrief_document(app.screen.debrief)
        debrief_shown = " ".join(
            str(w.render())
            for w in app.screen.query(".block")  # every block, scrolled or not
        )
    plain = run_flashpoint(
        "play",
        str(FLAGSHIP),
        "--plain",
        "--role",
        "pakistan",
        home=home / "plain",
        stdin="".join(plain_keys),
    )
    assert plain.returncode == 0, plain.stderr
    plain_outcomes = [
        labels(part.split("Debrief:")[0].split("Sources disagree on")[0])
        for part in plain.stdout.split("What followed\n")[1:]
    ]
    markdown = to_markdown(document).replace("\\", "").replace("*", "")
    by_decision = markdown.split("## Decision by decision")[1].split("\n## ")[0]
    decisions_md = [labels(part) for part in by_decision.split("### ")[1:]]
    decisions_screen = [
        labels(part) for part in re.split(r"\d\. \d+ January 2024 — ", debrief_shown)[1:]
    ]
    # The outcome (screen and plain mode alike) leads with the verdict and folds the disputes;
    # the debrief (screen and Markdown alike) gives the record in full, each dispute once.
    assert outcome_labels and outcome_labels == plain_outcomes
    assert all(found[0] == "Verdict" for found in outcome_labels)
    assert decisions_md == decisions_screen
    assert "What the government did" in decisions_md[0]
    assert "Sources disagree" in decisions_md[0]
    assert len(decisions_md) == len(outcome_labels)


def detached_widgets() -> int:
    """Widgets still in memory but no longer on any screen."""
    import gc

    from textual.widget import Widget

    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Widget) and not o.is_attached)


async def test_widgets_do_not_pile_up_across_the_decisions_of_a_round(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    counts = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(3):
            await decide(pilot, 1)
            await pilot.pause()
            assert isinstance(app.screen, DecisionScreen)
            counts.append(detached_widgets())
    assert counts[0] == counts[1] == counts[2], counts
