"""What screens tell the app. Screens post these and never call the app's methods: attributes
down, messages up. The app owns the round and decides what is shown next."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:  # the title screen posts messages before any scenario is loaded
    from game.engine.play.session import Step
    from game.engine.records.finished import Finished
    from game.engine.records.store import SavedRound
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import Citation


class ScreenMessage(Message):
    """A request from a screen. The app acts on it only while ``origin`` is the screen on
    top: keys pressed faster than screens change can reach a screen that is going away."""

    def __init__(self, origin: Screen[Any]) -> None:
        super().__init__()
        self.origin = origin


class ScenarioPicked(ScreenMessage):
    """The student picked a scenario to start a new round of."""

    def __init__(self, origin: Screen[Any], path: Path) -> None:
        super().__init__(origin)
        self.path = path


class SavedRoundPicked(ScreenMessage):
    """The student picked a saved round to continue."""

    def __init__(self, origin: Screen[Any], saved: SavedRound) -> None:
        super().__init__(origin)
        self.saved = saved


class FinishedRoundPicked(ScreenMessage):
    """The student picked a finished round, to read its debrief again."""

    def __init__(self, origin: Screen[Any], finished: Finished) -> None:
        super().__init__(origin)
        self.finished = finished


class SavedRoundDeleted(ScreenMessage):
    """The student asked to delete a saved round (the app asks them to confirm)."""

    def __init__(self, origin: Screen[Any], saved: SavedRound) -> None:
        super().__init__(origin)
        self.saved = saved


class RoleChosen(ScreenMessage):
    """The student chose a role (and perhaps typed a name) for a new round."""

    def __init__(self, origin: Screen[Any], loaded: LoadedScenario, role: str, player: str) -> None:
        super().__init__(origin)
        self.loaded = loaded
        self.role = role
        self.player = player


class ChoicePicked(ScreenMessage):
    """The student picked a choice at a decision point; the app asks them to confirm it."""

    def __init__(self, origin: Screen[Any], point: str, choice: str) -> None:
        super().__init__(origin)
        self.point = point
        self.choice = choice


class OutcomeRead(ScreenMessage):
    """The student is done with the outcome of ``step`` and wants to go on."""

    def __init__(self, origin: Screen[Any], step: Step) -> None:
        super().__init__(origin)
        self.step = step


class CitationOpened(ScreenMessage):
    """The student wants to read a cited source at the quoted passage."""

    def __init__(self, origin: Screen[Any], citation: Citation) -> None:
        super().__init__(origin)
        self.citation = citation


class ExportRequested(ScreenMessage):
    """The student wants their debrief as files."""


class MatchStartRequested(ScreenMessage):
    """The student asked to start a match in ``seat``, or to join match ``code``."""

    def __init__(self, origin: Screen[Any], name: str, seat: str | None, code: str | None) -> None:
        super().__init__(origin)
        self.name = name
        self.seat = seat
        self.code = code


class BriefingRead(ScreenMessage):
    """The student has read the match briefing and wants the first turn."""


Request = TypeVar("Request", bound=ScreenMessage)
AnyApp = TypeVar("AnyApp", bound=App[Any])


def from_screen_on_top(
    handle: Callable[[AnyApp, Request], None],
) -> Callable[[AnyApp, Request], None]:
    """Act on a screen's request only while that screen is on top: a key that reached a
    screen on its way out must not act on the screen that replaced it."""

    @functools.wraps(handle)
    def guarded(app: AnyApp, message: Request) -> None:
        if message.origin is app.screen:
            handle(app, message)

    return guarded
