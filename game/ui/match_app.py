"""The full-screen head-to-head game: one seat of a match, turn by turn.

The engine's :class:`~game.engine.seats.match_seat.MatchSeat` owns the seat's life (create or join,
sealed moves, heartbeats, deadlines, records, leaving); this app only shows screens: the start
screen (new match or join by code), the decision screen of the seat's point, a waiting screen
while the other seat decides, the revealed turn, and the debrief. It asks the seat for the turn
when another process has written to the match file (``PRAGMA data_version``, checked every
20 ms) and at least once a second. Every way out (quit, a closed terminal or tab, SIGHUP or
SIGTERM) leaves the seat, which records it as abandoned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from game.engine.base.problems import FlashpointError
from game.engine.classroom.match_debrief import match_debrief
from game.engine.play.match import SeatView
from game.engine.play.session import Step
from game.engine.records.matches import MatchStore
from game.engine.records.pacing_file import ControlReader
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.lifecycle import PacingClosed
from game.engine.seats.match_round import match_round_id
from game.engine.seats.match_seat import LOOK_SECONDS, MatchSeat, Watch
from game.ui import messages
from game.ui.match_clock import MatchClock
from game.ui.messages import from_screen_on_top
from game.ui.reading import ReadingActions
from game.ui.screens.base import STYLES

if TYPE_CHECKING:
    from game.engine.play.match import TurnOutcome
    from game.engine.scenario.model import DecisionPoint
    from game.engine.scenario.model import Reveal as Policy


@dataclass(frozen=True)
class MatchRequest:
    """What the command line asked for: a new match in ``seat``, or joining ``code``."""

    loaded: LoadedScenario
    name: str = ""
    class_seat: bool = False
    """``name`` is the student's seat in a served class: shown, never typed on the start screen."""
    seat: str | None = None
    code: str | None = None
    deadline: float = 300.0
    reveal: Policy | None = None
    class_folder: Path | None = None
    """The class the seat plays in: it follows the teacher's pacing there."""
    notes: tuple[str, ...] = ()
    """What preparing the data folder found (e.g. a write a killed game left), to show."""


class MatchApp(MatchClock, ReadingActions, App[None]):
    """One seat of a head-to-head match, full screen."""

    TITLE = "Flashpoint — head-to-head"
    CSS_PATH = [STYLES / "app.tcss"]
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit_game", "Quit", show=False, priority=True),
    ]

    def __init__(self, store: MatchStore, rounds: RoundStore, request: MatchRequest) -> None:
        super().__init__()
        self.store = store
        self.rounds = rounds
        self.request = request
        self.played: MatchSeat | None = None
        """The seat in play, once created or joined."""
        self.looks = Watch(store)
        self.theme = "textual-dark"

    @property
    def view(self) -> SeatView | None:
        return self.played.view if self.played is not None else None

    @property
    def code(self) -> str:
        return self.played.code if self.played is not None else ""

    @property
    def seat(self) -> str:
        return self.played.seat if self.played is not None else ""

    # --- joining and leaving ---------------------------------------------------------

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal or browser, not a test
            from game.ui.hangup import end_on_hangup

            end_on_hangup(self.terminate, self.leave_match)
        request = self.request
        for note in request.notes:
            self.notify(note, markup=False)
        found = None
        if request.class_seat and request.name and not request.code:  # back in the class
            found = MatchSeat.find(self.store, request.name)
        if found is not None:
            self.enter(request.name, found[1], found[0])
        elif request.name and (request.code or request.seat):
            self.enter(request.name, request.seat, request.code)
        else:
            self.show_start()

    def show_start(self) -> None:
        from game.ui.screens.match import MatchStartScreen

        scenario = self.request.loaded.scenario
        mode = scenario.head_to_head
        seats = [(s, scenario.role_by_id[s].name) for s in mode.seats] if mode else []
        request = self.request
        fixed = request.class_seat and bool(request.name)
        self.replace_all(MatchStartScreen(scenario.title, seats, request.name, fixed))

    @from_screen_on_top
    def on_match_start_requested(self, message: messages.MatchStartRequested) -> None:
        self.enter(message.name, message.seat, message.code)

    def enter(self, name: str, seat: str | None, code: str | None) -> None:
        """Create or join the match (the engine's seat does), and show the turn; a second
        request (a key pressed again before the screen changed) is ignored."""
        if self.played is not None:
            return
        request = self.request
        try:
            self.played = MatchSeat.enter(
                self.store,
                self.rounds,
                request.loaded,
                name,
                seat,
                code,
                request.deadline,
                request.reveal,
                self.warn,
                None if request.class_folder is None else ControlReader(request.class_folder),
            )
        except FlashpointError as error:
            from game.ui.screens.match import MatchStartScreen

            if not isinstance(self.screen, MatchStartScreen):
                self.show_start()
                self.warn(str(error))
            else:  # keep what the student typed, and say what is wrong beside it
                self.screen.show_problem(str(error))
            return
        self.polling = self.set_interval(LOOK_SECONDS, self.poll)
        if self.played.number == 1 and self.played.sealed() is None:
            self.show_briefing()
        else:
            self.show_turn()

    def terminate(self) -> None:
        """SIGHUP (the terminal or tab closed) or SIGTERM: leave the seat, and exit."""
        self.leave_match()
        self.exit()

    def leave_match(self) -> None:
        """The student leaves the seat by any way out: it is recorded as abandoned."""
        if self.played is not None:
            self.played.leave()

    def on_unmount(self) -> None:
        self.leave_match()

    def show_briefing(self) -> None:
        from game.reports.match_report import briefing_blocks
        from game.ui.screens.match import BriefingScreen

        view = self.view
        assert view is not None
        role = view.loaded.scenario.role_by_id[self.seat].name
        title = f"{role} · match {self.code}"
        self.replace_all(BriefingScreen(title, briefing_blocks(view, self.code)))

    @from_screen_on_top
    def on_briefing_read(self, message: messages.BriefingRead) -> None:
        self.show_turn()

    # --- turns -----------------------------------------------------------------------

    def show_turn(self) -> None:
        """The seat's decision, the waiting screen if its move is sealed, or the debrief."""
        from game.ui.screens.decision import DecisionScreen

        view, played = self.view, self.played
        assert view is not None and played is not None
        if view.is_over:
            self.show_debrief()
            return
        if self.held_by_teacher():
            return
        sealed = played.sealed()
        if sealed is None:
            self.replace_all(DecisionScreen(view, self.turn_note()))
            played.showing()  # on screen: the turn's clock runs once both seats have it
        else:
            self.show_waiting(sealed)

    def show_waiting(self, choice: str, mine: bool = True) -> None:
        """The waiting screen over the sealed move: the seat's own, or (``mine`` false) the
        fallback that stood for it, labelled as such."""
        from game.reports.round_blocks import chosen_label
        from game.ui.screens.match import WaitingScreen

        view = self.view
        assert view is not None and view.point is not None and view.match.turn is not None
        found = next(c for c in view.point.choices if c.id == choice)
        label = view.words(found)
        if not mine:
            label = chosen_label(view.point, found, fallback=True) + label
        turn = view.match.turn
        points = view.loaded.scenario.point_by_id
        invented = any(points[p].counterfactual for p in turn.points.values())
        title = turn.title + (" (not historical)" if invented else "")
        sealed = "Your move is sealed:" if mine else "The deadline passed before your move:"
        if mine and self.played is not None and self.played.unsaved is not None:
            sealed = "Your move, not saved yet (the match file is busy; trying again):"
        self.replace_all(WaitingScreen(title, turn.date, label, self.code, sealed))
        self.poll()

    @from_screen_on_top
    def on_choice_picked(self, message: messages.ChoicePicked) -> None:
        from game.ui.screens.dialogs import ConfirmChoice

        view = self.view
        if view is None or view.point is None or view.point.id != message.point:
            return
        point, number = view.point, view.match.number
        choice = next(c for c in point.choices if c.id == message.choice)
        shown = time.time()

        def answered(rationale: str | None) -> None:
            played = self.played
            if rationale is None or played is None or played.view is not view:
                return
            if view.match.number != number:
                return
            try:
                if not played.choose(choice.id, rationale, round(time.time() - shown, 3)):
                    self.warn("Too late: the deadline passed and the scenario's fallback stood.")
            except PacingClosed as error:  # the teacher paused the class meanwhile
                self.warn(f"Your answer was not taken: {error}.")
                return
            sealed = played.sealed() or choice.id
            self.show_waiting(sealed, mine=sealed == choice.id)

        self.push_screen(ConfirmChoice(choice, view.words(choice)), callback=answered)

    def poll(self) -> None:
        """Reveal the turn once both moves are in (or the deadline has passed), and keep the
        waiting screen's news of the other seat current. A match file that cannot be used, or
        a move the scenario does not have, stops the match with the reason."""
        if not self.screen_stack:  # the app is closing: a last tick has no screen to show
            return
        try:
            self._poll()
        except FlashpointError as error:
            from game.ui.screens.match import WaitingScreen

            self.polling.stop()
            message = f"The match cannot go on: {error}"
            self.warn(message)
            if isinstance(self.screen, WaitingScreen):
                self.screen.show_status(message)

    def _poll(self) -> None:
        from game.ui.pacing import WaitingScreen as TeacherWaiting
        from game.ui.screens.match import WaitingScreen
        from game.ui.screens.outcome import OutcomeScreen

        played = self.played
        waiting = self.screen
        if played is not None and isinstance(waiting, TeacherWaiting) and waiting.debrief:
            if self.looks.due():
                self.show_debrief()  # once the teacher has revealed every turn
            return
        if played is None or played.is_over or isinstance(self.screen, OutcomeScreen):
            return
        if not self.looks.due() or self.held_by_teacher(looking=True):
            return
        point, unsaved = played.view.point, played.unsaved
        reveal = played.poll()
        if reveal is None:
            if unsaved and played.unsaved is None:  # saved now (or the fallback stood)
                stood = played.sealed() or unsaved[0]
                self.show_waiting(stood, mine=stood == unsaved[0])
            elif isinstance(self.screen, WaitingScreen):
                self.screen.show_status(self.waiting_text())
            else:  # the decision screen's countdown
                for note in self.screen.query("#match-note").results(Static):
                    note.update(self.turn_note())
            return
        assert point is not None
        self.show_reveal(played.view, point, reveal)

    def show_reveal(self, view: SeatView, point: DecisionPoint, reveal: TurnOutcome) -> None:
        from game.reports.match_report import reveal_blocks
        from game.ui.screens.outcome import OutcomeScreen

        decision = view.decisions[-1]
        chosen = next(c for c in point.choices if c.id == decision.choice)
        step = Step(decision, chosen, point, reveal.shown[self.seat], reveal.ending)
        self.replace_all(
            OutcomeScreen(view, step, reveal_blocks(view, point, reveal, classmates=True))
        )

    @from_screen_on_top
    def on_outcome_read(self, message: messages.OutcomeRead) -> None:
        self.show_turn()

    def show_debrief(self) -> None:
        from game.ui.screens.debrief import DebriefScreen

        played = self.played
        assert played is not None
        if self.debrief_waits():  # the teacher has not revealed every turn yet
            return
        self.replace_all(DebriefScreen(match_debrief(played.view), played.record_path))

    # --- the rest ----------------------------------------------------------------------

    def reading(self) -> SeatView | None:
        return self.view

    def replace_all(self, screen: Screen[None]) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def warn(self, message: str) -> None:
        self.notify(message, title="Problem", severity="error", timeout=10, markup=False)

    @from_screen_on_top
    def on_citation_opened(self, message: messages.CitationOpened) -> None:
        self.open_sources(message.citation)

    @from_screen_on_top
    def on_export_requested(self, message: messages.ExportRequested) -> None:
        from game.engine.base.text import export_name
        from game.reports.debrief_report import debrief_document

        if self.view is not None and self.view.is_over:
            round_id = match_round_id(self.view.loaded.scenario.id, self.code, self.seat)
            name = export_name(self.view.player, round_id)
            self.export(
                debrief_document(match_debrief(self.view)), name, self.rounds.home / "exports"
            )

    def action_leave(self) -> None:
        """Leave the match (it can be rejoined with its code and the same name)."""
        from game.ui.screens.base import GameModal
        from game.ui.screens.dialogs import LeaveDialog

        if isinstance(self.screen, GameModal):
            return

        def answered(where: str | None) -> None:
            if where in ("title", "quit"):
                self.leave_match()
                self.exit()

        playing = self.view is not None and not self.view.is_over
        note = (
            f"Your moves are kept in the match. Rejoin match {self.code} with your name."
            if playing
            else "Your result is saved."
        )
        self.push_screen(LeaveDialog(playing, note, title_screen=False), callback=answered)

    def action_quit_game(self) -> None:
        self.action_leave()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A match has no title screen: the debrief's "Title screen" key is not offered."""
        return action != "title"

    def action_title(self) -> None:
        self.action_leave()
