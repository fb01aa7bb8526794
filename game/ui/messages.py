"""What screens tell the app. Screens post these and never call the app's methods: attributes
down, messages up. The app owns the round and decides what is shown next."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from game.engine.loader import LoadedScenario
from game.engine.model import Citation
from game.engine.session import Step
from game.engine.store import SavedRound


class ScenarioPicked(Message):
    """The student picked a scenario to start a new round of."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class SavedRoundPicked(Message):
    """The student picked a saved round to continue."""

    def __init__(self, saved: SavedRound) -> None:
        super().__init__()
        self.saved = saved


class SavedRoundDeleted(Message):
    """The student asked to delete a saved round (the app asks them to confirm)."""

    def __init__(self, saved: SavedRound) -> None:
        super().__init__()
        self.saved = saved


class RoleChosen(Message):
    """The student chose a role (and perhaps typed a name) for a new round."""

    def __init__(self, loaded: LoadedScenario, role: str, player: str) -> None:
        super().__init__()
        self.loaded = loaded
        self.role = role
        self.player = player


class ChoicePicked(Message):
    """The student picked a choice at a decision point; the app asks them to confirm it."""

    def __init__(self, point: str, choice: str) -> None:
        super().__init__()
        self.point = point
        self.choice = choice


class OutcomeRead(Message):
    """The student is done with the outcome of ``step`` and wants to go on."""

    def __init__(self, step: Step) -> None:
        super().__init__()
        self.step = step


class CitationOpened(Message):
    """The student wants to read a cited source at the quoted passage."""

    def __init__(self, citation: Citation) -> None:
        super().__init__()
        self.citation = citation


class ExportRequested(Message):
    """The student wants their debrief as files."""
