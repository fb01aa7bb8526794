"""``flashpoint preview FILE``: the game on a scenario being written, reloaded on every save.

Rounds are authors' test rounds (never saved or recorded). Twice a second the preview looks
at the scenario file and every file of its seeds folder; when one changes it validates the
scenario again. If it has errors, they are listed over the game, where they stay until the
file is fixed; if not, the round is replayed on the new version, choice by choice, as far as
the new version allows, and the game goes on from there.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from game.engine.base.problems import FlashpointError, Problem
from game.engine.checks import loader
from game.engine.play.session import Test
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.sources import seeds_folder
from game.engine.seats.lifecycle import Round
from game.ui.app import FlashpointApp
from game.ui.screens.base import GameModal

INTERVAL = 0.5
"""Seconds between looks at the files."""


def file_stamps(scenario: Path) -> dict[Path, float]:
    """When the scenario, the files beside it (which it may include) and every file of its
    seeds folder last changed."""
    found: dict[Path, float] = {}
    folder = seeds_folder(scenario)
    parts = sorted(scenario.parent.glob("*.y*ml"))  # files it includes
    files = [scenario, *parts, *(sorted(folder.rglob("*")) if folder.is_dir() else [])]
    for path in files:
        try:
            found[path] = path.stat().st_mtime_ns
        except OSError:
            continue
    return found


class ProblemsScreen(GameModal[None]):
    """The scenario's problems, over the game, until the file is fixed."""

    ON_ESCAPE = None
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Hide")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        lines = [str(p) for p in self.problems]
        with VerticalScroll(classes="dialog wide"):
            yield Static("The scenario has problems; fix them and save.", classes="section")
            yield Static("\n".join(lines), id="problems", markup=False)
            yield Static("The game goes on when the file is fixed (Esc hides this).", markup=False)


class PreviewApp(FlashpointApp):
    """The game on one scenario file, following its changes."""

    def on_mount(self) -> None:
        # Textual also runs FlashpointApp.on_mount (handlers run for each class), so it is
        # not called here.
        self.stamps = self._stamps()
        self.set_interval(INTERVAL, self.look)

    @property
    def path(self) -> Path:
        assert self.request.scenario is not None
        return self.request.scenario

    def _stamps(self) -> dict[Path, float]:
        return file_stamps(self.path)

    def start_round(self, loaded: LoadedScenario, role: str, player: str) -> None:
        """Every round of the preview is a test round, from the role's start."""
        start = loaded.scenario.role_by_id[role].start
        self.request = dataclasses.replace(self.request, loaded=loaded, test=Test(start))
        super().start_round(loaded, role, player)

    def look(self) -> None:
        """Validate again if a file changed; show the problems, or reload."""
        stamps = self._stamps()
        if stamps == self.stamps:
            return
        self.stamps = stamps
        loaded, problems = loader.check(self.path)
        shown = next((s for s in self.screen_stack if isinstance(s, ProblemsScreen)), None)
        if loaded is None:
            if shown is not None:
                shown.answer(None)
            self.push_screen(ProblemsScreen(list(problems)))
            return
        if shown is not None:
            shown.answer(None)
        self.reload(loaded)

    def reload(self, loaded: LoadedScenario) -> None:
        """Replay the round in play on the new version, as far as it allows."""
        played = self.round
        if played is None:
            self.show_title()
            self.notify("Reloaded the scenario.", markup=False)
            return
        role, choices = played.session.role, [d.choice for d in played.session.decisions]
        self.request = dataclasses.replace(
            self.request, loaded=loaded, test=Test(loaded.scenario.role_by_id[role].start)
        )
        played.leave()
        fresh = Round.start(self.store, loaded, role, warn=self.warn, at=self.request.test)
        kept = 0
        for choice in choices:
            try:
                fresh.choose(choice)
            except FlashpointError:
                break
            kept += 1
        self.round = fresh
        self.show_round()
        lost = len(choices) - kept
        note = f"; {lost} later decision(s) no longer apply" if lost else ""
        self.notify(f"Reloaded: the round replays {kept} decision(s){note}.", markup=False)
