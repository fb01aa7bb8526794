"""flashpoint preview: the game follows the scenario file as the author edits it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.records.store import RoundStore
from game.ui.preview import PreviewApp, ProblemsScreen
from game.ui.screens.decision import DecisionScreen
from game.ui.start import StartRequest
from tests.conftest import ROOT
from tests.ui_helpers import decide, screen_lines, until

EXAMPLE = ROOT / "docs" / "examples" / "grey-strait"


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "draft")
    return tmp_path / "draft" / "grey-strait.yaml"


def preview_app(draft: Path, home: Path) -> PreviewApp:
    loaded = loader.load(draft)
    return PreviewApp(RoundStore(home), StartRequest(scenario=draft, loaded=loaded, role="north"))


def shown(app: PreviewApp) -> str:
    return " ".join(" ".join(screen_lines(app)).split())


async def test_saving_the_file_reloads_the_game_where_it_was(draft: Path, tmp_path: Path) -> None:
    app = preview_app(draft, tmp_path / "home")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        await decide(pilot, 1)
        assert isinstance(app.screen, DecisionScreen)
        where = app.round.session.node  # type: ignore[union-attr]
        text = draft.read_text()
        point = app.round.session.point  # type: ignore[union-attr]
        assert point is not None
        assert f"title: {point.title}\n" in text
        draft.write_text(text.replace(f"title: {point.title}\n", "title: A retitled decision\n", 1))
        await until(pilot, lambda: "A retitled decision" in shown(app))
        assert app.round is not None and app.round.session.node == where
        assert len(app.round.session.decisions) == 1  # the decision made is replayed
        assert app.round.session.test  # preview rounds are never saved
    home = RoundStore(tmp_path / "home")
    assert list(home.results.glob("*")) == [] and list(home.saves.glob("*")) == []


async def test_a_broken_save_shows_its_problems_until_it_is_fixed(
    draft: Path, tmp_path: Path
) -> None:
    app = preview_app(draft, tmp_path / "home")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        good = draft.read_text()
        draft.write_text(good.replace("next: north_talks", "next: north_talk", 1))
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        problems = app.screen.problems  # type: ignore[attr-defined]
        assert any("unknown point or ending 'north_talk'" in str(p) for p in problems)
        draft.write_text(good)
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
