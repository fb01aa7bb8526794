"""Small programs the app benchmark runs in fresh interpreters: ``python -m benchmarks.probes X``.

Each probe does one thing headless and exits; the benchmark times the whole process (so both
sides pay the interpreter's start-up) or reads its peak memory.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "iran-pakistan-2024.yaml"
HOME = Path(tempfile.gettempdir()) / "flashpoint-benchmark-home"
"""One data folder for every probe: like a player's, its listing cache is warm after the
first start (the benchmark's warm-up run)."""


class Minimal(App[None]):
    """The floor: a Textual app with one Static widget."""

    def compose(self) -> ComposeResult:
        yield Static("Hello")


class Plain(Screen[None]):
    """A trivial screen for the screen-switch floor."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text)


async def first_screen(app: App[None]) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()


def game(**request: object) -> App[None]:
    from game.engine.store import RoundStore
    from game.ui.app import FlashpointApp, StartRequest

    return FlashpointApp(RoundStore(HOME), StartRequest(**request))


async def full_round() -> None:
    """A whole round of the flagship through the UI, taking the historical choices."""
    from game.ui.screens.decision import DecisionScreen

    app = game(scenario=FLAGSHIP, role="iran")
    async with app.run_test(size=(100, 30)) as pilot:
        while isinstance(app.screen, DecisionScreen):
            point = app.screen.session.point
            assert point is not None
            wanted = point.history.choice or point.choices[0].id
            number = [c.id for c in point.choices].index(wanted) + 1
            await pilot.press(str(number), "enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()


def main() -> None:
    probe = sys.argv[1]
    if probe == "minimal":
        asyncio.run(first_screen(Minimal()))
    elif probe == "title":
        asyncio.run(first_screen(game()))
    elif probe == "decision":
        asyncio.run(first_screen(game(scenario=FLAGSHIP, role="pakistan")))
    elif probe == "round":
        asyncio.run(full_round())
    elif probe == "imports":
        import transitions  # noqa: F401
        import yaml  # noqa: F401
    elif probe == "validate":
        from game.cli import main as cli

        if cli(["validate", str(FLAGSHIP)]) != 0:
            raise SystemExit("validation failed")
    else:
        raise SystemExit(f"unknown probe {probe}")
    print(f"peak_kib={peak_kib()}")


def peak_kib() -> int:
    """This process's peak resident memory since it started (VmHWM), in KiB.

    Read from /proc rather than getrusage: a forked child's ru_maxrss starts at its parent's
    size, which would hide a small program's own peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
