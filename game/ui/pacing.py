"""The full-screen game under the teacher's pacing (#27): a waiting screen while the teacher
has not opened the decision (or has paused the class, or holds the debrief back), a live
countdown on the decision screen, and the move made at zero shown as made for the student.

The round decides (:meth:`Round.tick`, :meth:`Round.gate`); the app looks twice a second
and shows what it says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Static

from game.engine.play.session import Step
from game.engine.records.pacing_file import ControlReader
from game.engine.seats.lifecycle import PacingClosed, Round
from game.reports.document import Block
from game.reports.pacing_words import (
    DEBRIEF_HELD,
    ENDED,
    TIME_UP,
    WAITING,
    clock_face,
    gate_line,
    later,
    new_reveals,
)
from game.ui.render import block_widgets
from game.ui.screens.base import LEAVING_KEYS, STYLES, GameModal, GameScreen
from game.ui.start import StartRequest
from game.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from textual.app import App

    Base = App[Any]
else:
    Base = object

LOOK_SECONDS = 0.5
"""How often the game asks the round about the class's pacing (a stat of the control file
when nothing changed)."""


class PaceLine(Static):
    """The decision's countdown ("Time left 1:05"), or nothing outside a timed decision."""

    DEFAULT_CSS = """
    PaceLine { height: 1; padding: 0 1; text-style: bold; display: none; }
    PaceLine.-low { color: $warning; }
    """

    def show(self, text: str, low: bool = False) -> None:
        self.display = bool(text)
        self.set_class(low, "-low")
        self.update(text)


class WaitingScreen(GameScreen):
    """Waiting for the teacher: to open the next decision, to resume a paused class, or to
    reveal history before the debrief; shows the history the teacher revealed meanwhile."""

    CSS_PATH = [STYLES / "record.tcss"]
    DEFAULT_CSS = """
    #waiting { text-style: bold; padding: 1 2; background: $boost; }
    """
    AUTO_FOCUS = "#outcome"
    BINDINGS = [*LEAVING_KEYS]

    def __init__(self, line: str, debrief: bool = False) -> None:
        super().__init__()
        self.line = line
        self.debrief = debrief
        """Waiting for the debrief (the round has ended), not for a decision."""

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        yield Static(self.line, id="waiting", markup=False)
        yield VerticalScroll(id="outcome")
        yield KeyFooter()

    def say(self, line: str) -> None:
        """Change what the student is waiting for (a pause, the class ended)."""
        if line != self.line:
            self.line = line
            self.query_one("#waiting", Static).update(line)

    def add(self, blocks: list[Block]) -> None:
        """History the teacher has just revealed."""
        if blocks:
            self.query_one("#outcome", VerticalScroll).mount(*block_widgets(blocks))


class PacingActions(Base):
    """What the app does for the class's pacing (mixed into the full-screen game)."""

    round: Round | None
    request: StartRequest
    revealed_seen: set[int]

    def pacing_reader(self) -> ControlReader | None:
        """The class's control, for a game played in a class."""
        folder = self.request.class_folder
        return None if folder is None else ControlReader(folder)

    def show_debrief(self) -> None:
        raise NotImplementedError

    def watch_pacing(self) -> None:
        """Look at the class's pacing twice a second for as long as the game runs."""
        self.revealed_seen = set()
        self.set_interval(LOOK_SECONDS, self.pace)

    def deciding(self) -> bool:
        """Whether the round's decision is on screen (perhaps under a dialog)."""
        from game.ui.screens.decision import DecisionScreen

        for screen in reversed(self.screen_stack):
            if not isinstance(screen, GameModal):
                return isinstance(screen, DecisionScreen)
        return False

    def close_dialogs(self) -> None:
        """Close the dialogs over the screen beneath (a choice being confirmed, help)."""
        while len(self.screen_stack) > 1 and isinstance(self.screen, GameModal):
            self.pop_screen()

    def pace(self) -> None:
        """Show what the class's pacing says now: the move made at zero, waiting, paused,
        ended, the time left, history revealed."""
        played = self.round
        if not self.screen_stack:  # the app is closing: a last tick has no screen to show
            return
        if played is None or played.pacing is None:
            return
        waiting = self.screen if isinstance(self.screen, WaitingScreen) else None
        if played.is_over or played.session.status != "playing":
            self.pace_ended(played, waiting)
            return
        step = played.tick()
        if step is not None:
            self.show_automatic(played, step)
            return
        gate = played.gate()
        if gate.state in ("waiting", "paused", "ended"):
            line = gate_line(gate) or WAITING
            if waiting is None and self.deciding():
                self.close_dialogs()
                waiting = WaitingScreen(line)
                self.push_screen(waiting)
            if waiting is not None:
                waiting.say(line)
        elif waiting is not None and not waiting.debrief:
            self.pop_screen()
            waiting = None
        if waiting is not None and waiting.is_mounted:
            waiting.add(new_reveals(played, self.revealed_seen))
        self.show_countdown(gate.remaining if gate.state == "open" else None)

    def pace_ended(self, played: Round, waiting: WaitingScreen | None) -> None:
        """A round the end of the class left, or a finished round's debrief held for the
        teacher's reveal."""
        if played.session.status == "abandoned":
            if waiting is None:
                self.close_dialogs()
                self.push_screen(WaitingScreen(ENDED))
            else:
                waiting.say(ENDED)
            return
        if waiting is not None and waiting.debrief:
            if waiting.is_mounted:
                waiting.add(new_reveals(played, self.revealed_seen))
            if not played.debrief_held():
                self.show_debrief()

    def debrief_waits(self) -> bool:
        """Whether the debrief of the round that ended waits for the teacher (shown so)."""
        played = self.round
        if played is None or played.pacing is None or not played.debrief_held():
            return False
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(WaitingScreen(DEBRIEF_HELD, debrief=True))
        return True

    def history_held(self, decisions: int) -> bool:
        """Whether a finished round's debrief (of ``decisions`` decisions) waits for the
        teacher to reveal them all; the student is told so."""
        reader = self.pacing_reader()
        if reader is None or reader.read().all_revealed(decisions):
            return False
        self.notify(DEBRIEF_HELD, severity="warning", markup=False)
        return True

    def show_automatic(self, played: Round, step: Step) -> None:
        """The move made for the student at zero, as its outcome, labelled."""
        from game.ui.screens.outcome import OutcomeScreen

        self.close_dialogs()
        if isinstance(self.screen, WaitingScreen):
            self.pop_screen()
        self.notify(TIME_UP, title="No move in time", severity="warning", markup=False)
        self.push_screen(OutcomeScreen(played.session, step, later=later(played)))

    def show_countdown(self, remaining: float | None) -> None:
        """The time left on the decision screen, live."""
        from game.ui.screens.decision import DecisionScreen

        screen = self.screen
        if not isinstance(screen, DecisionScreen):
            return
        try:
            line = screen.query_one(PaceLine)
        except NoMatches:
            return
        if remaining is None:
            line.show("")
        else:
            line.show(f"Time left {clock_face(remaining)}", low=remaining <= 10)

    def choose_paced(self, played: Round, choice: str, rationale: str) -> None:
        """Take the decision; the class's pacing may refuse it (paused, closed) or have
        played the fallback already (the time ran out)."""
        from game.ui.screens.outcome import OutcomeScreen

        try:
            step = played.choose(choice, rationale)
        except PacingClosed as error:
            self.notify(f"Your answer was not taken: {error}.", severity="warning", markup=False)
            self.pace()
            return
        if step.decision.automatic:
            self.show_automatic(played, step)
            return
        self.push_screen(OutcomeScreen(played.session, step, later=later(played)))
