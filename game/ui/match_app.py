"""The full-screen head-to-head game: one seat of a match, turn by turn.

The match file (:class:`~game.engine.matches.MatchStore`) holds the moves; the engine
(:class:`~game.engine.joint.Match`) plays them. This app only shows screens: the start screen
(new match or join by code), the decision screen of the seat's point, a waiting screen while
the other seat decides, the revealed turn, and the debrief. It looks at the match file when
another process has written to it (``PRAGMA data_version``, checked every 20 ms) and at least
once a second, and rebuilds the match from it whenever the seat (re)joins, so a closed
terminal loses at most the move being chosen.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game.engine import catalog
from game.engine.joint import Match, Move, SeatView
from game.engine.joint_record import match_debrief, match_round, match_round_id
from game.engine.loader import LoadedScenario
from game.engine.matches import LOOK_SECONDS, MatchError, MatchStore, Watch
from game.engine.problems import FlashpointError
from game.engine.session import Step
from game.engine.store import RoundStore, atomic_write
from game.ui import messages
from game.ui.messages import from_screen_on_top
from game.ui.reading import ReadingActions
from game.ui.screens.base import STYLES

HEARTBEAT_SECONDS = 2.0


@dataclass(frozen=True)
class MatchRequest:
    """What the command line asked for: a new match in ``seat``, or joining ``code``."""

    loaded: LoadedScenario
    name: str = ""
    seat: str | None = None
    code: str | None = None
    deadline: float = 300.0
    reveal: str | None = None
    notes: tuple[str, ...] = ()
    """What preparing the data folder found (e.g. a write a killed game left), to show."""


class MatchApp(ReadingActions, App[None]):
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
        self.view: SeatView | None = None
        self.code = ""
        self.seat = ""
        self.heard = 0.0
        self.looks = Watch(store)
        self.theme = "textual-dark"

    # --- joining ---------------------------------------------------------------------

    def on_mount(self) -> None:
        request = self.request
        for note in request.notes:
            self.notify(note, markup=False)
        if request.name and (request.code or request.seat):
            self.enter(request.name, request.seat, request.code)
        else:
            self.show_start()

    def show_start(self) -> None:
        from game.ui.screens.match import MatchStartScreen

        scenario = self.request.loaded.scenario
        mode = scenario.head_to_head
        seats = [(s, scenario.role_by_id[s].name) for s in mode.seats] if mode else []
        self.replace_all(MatchStartScreen(scenario.title, seats, self.request.name))

    @from_screen_on_top
    def on_match_start_requested(self, message: messages.MatchStartRequested) -> None:
        self.enter(message.name, message.seat, message.code)

    def enter(self, name: str, seat: str | None, code: str | None) -> None:
        """Create or join the match, rebuild it from the match file, and show the turn."""
        loaded = self.request.loaded
        try:
            if code:
                info = self.store.info(code)
                if info.scenario != loaded.scenario.id or info.sha256 != loaded.sha256:
                    loaded = catalog.load(info.scenario)
                if loaded.sha256 != info.sha256:
                    raise FlashpointError(
                        f"match {code} was created with another version of {info.scenario}"
                    )
                self.seat = self.store.join(code, name, seat)
                self.code = code
            else:
                mode = loaded.scenario.head_to_head
                if mode is None or seat not in mode.seats:
                    raise FlashpointError(f"{loaded.scenario.id} has no such seat")
                self.code = self.store.create(
                    loaded.scenario.id, loaded.sha256, mode.seats, self.request.deadline
                )
                self.seat = self.store.join(self.code, name, seat)
            self.view = self.rebuild(loaded)
        except FlashpointError as error:
            from game.ui.screens.match import MatchStartScreen

            if not isinstance(self.screen, MatchStartScreen):
                self.show_start()
                self.warn(str(error))
            else:  # keep what the student typed, and say what is wrong beside it
                self.screen.show_problem(str(error))
            return
        self.polling = self.set_interval(LOOK_SECONDS, self.poll)
        if self.view.match.number == 1 and self.store.sealed(self.code, self.seat, 1) is None:
            self.show_briefing()
        else:
            self.show_turn()

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

    def rebuild(self, loaded: LoadedScenario) -> SeatView:
        info = self.store.info(self.code)
        players = {seat: name or "" for seat, name in info.seats.items()}
        match = Match(loaded, players, info.created)
        for moves in self.store.revealed(self.code):
            match.play(
                {m.seat: Move(m.choice, m.rationale, m.fallback, m.seconds, m.at) for m in moves}
            )
        reveal = self.request.reveal or loaded.scenario.reveal
        return SeatView(match, self.seat, reveal)

    # --- turns -----------------------------------------------------------------------

    def show_turn(self) -> None:
        """The seat's decision, the waiting screen if its move is sealed, or the debrief."""
        from game.ui.screens.decision import DecisionScreen

        view = self.view
        assert view is not None
        if view.is_over:
            self.show_debrief()
            return
        sealed = self.store.sealed(self.code, self.seat, view.match.number)
        if sealed is None:
            note = f"Turn {view.match.number} · match {self.code} · {self.facing()}"
            self.replace_all(DecisionScreen(view, note))
        else:
            self.show_waiting(sealed)

    def facing(self) -> str:
        view = self.view
        assert view is not None
        other = view.match.mode.other(self.seat)
        name = self.store.info(self.code).seats.get(other) or "not joined yet"
        return f"facing {view.loaded.scenario.role_by_id[other].name} ({name})"

    def show_waiting(self, choice: str) -> None:
        from game.ui.screens.match import WaitingScreen

        view = self.view
        assert view is not None and view.point is not None and view.match.turn is not None
        label = next(view.words(c) for c in view.point.choices if c.id == choice)
        turn = view.match.turn
        points = view.loaded.scenario.point_by_id
        invented = any(points[p].counterfactual for p in turn.points.values())
        title = turn.title + (" (not historical)" if invented else "")
        self.replace_all(WaitingScreen(title, turn.date, label, self.code))
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
            if rationale is None or self.view is not view or view.match.number != number:
                return
            try:
                seconds = round(time.time() - shown, 3)
                self.store.move(self.code, self.seat, number, choice.id, rationale, seconds)
            except MatchError:
                self.warn("Too late: the deadline passed and the scenario's fallback stood.")
            self.show_waiting(self.store.sealed(self.code, self.seat, number) or choice.id)

        self.push_screen(ConfirmChoice(choice, view.words(choice)), callback=answered)

    def poll(self) -> None:
        """Reveal the turn once both moves are in (or the deadline has passed), and keep the
        waiting screen's news of the other seat current. A match file that cannot be used, or
        a move the scenario does not have, stops the match with the reason."""
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
        from game.ui.screens.match import WaitingScreen
        from game.ui.screens.outcome import OutcomeScreen

        view = self.view
        if view is None or view.is_over or isinstance(self.screen, OutcomeScreen):
            return
        if not self.looks.due():
            return
        now = time.time()
        if now - self.heard > HEARTBEAT_SECONDS:
            self.store.heartbeat(self.code, self.seat)
            self.heard = now
        number = view.match.number
        revealed = self.store.resolve(self.code, number, view.match.fallbacks())
        if revealed is None:
            if isinstance(self.screen, WaitingScreen):
                self.screen.show_status(self.waiting_text())
            return
        self.reveal(
            view,
            {m.seat: Move(m.choice, m.rationale, m.fallback, m.seconds, m.at) for m in revealed},
        )

    def waiting_text(self) -> str:
        status = self.store.status(self.code)
        if status == "waiting":
            return f"Waiting for the other student to join with code {self.code}."
        if status == "paused":
            return "The other seat has gone quiet; at the deadline its fallback move stands."
        return f"Waiting for the other seat's move ({self.facing()})."

    def reveal(self, view: SeatView, moves: dict[str, Move]) -> None:
        from game.reports.match_report import reveal_blocks
        from game.ui.screens.outcome import OutcomeScreen

        info = self.store.info(self.code)
        view.match.players.update({s: n for s, n in info.seats.items() if n})
        point = view.point
        assert point is not None
        reveal = view.match.play(moves)
        self.save(view)
        decision = view.decisions[-1]
        chosen = next(c for c in point.choices if c.id == decision.choice)
        step = Step(decision, chosen, point, reveal.shown[self.seat], reveal.ending)
        self.replace_all(OutcomeScreen(view, step, reveal_blocks(view, point, reveal)))

    @from_screen_on_top
    def on_outcome_read(self, message: messages.OutcomeRead) -> None:
        self.show_turn()

    def show_debrief(self) -> None:
        from game.ui.screens.debrief import DebriefScreen

        assert self.view is not None
        self.save(self.view)
        self.store.finish(self.code)
        self.replace_all(DebriefScreen(match_debrief(self.view), self.record_path()))

    # --- records and the rest --------------------------------------------------------

    def record_path(self) -> Path:
        assert self.view is not None
        name = match_round_id(self.view.loaded.scenario.id, self.code, self.seat)
        return self.rounds.results / f"{name}.json"

    def save(self, view: SeatView) -> None:
        """Write the seat's record (atomically) after every turn."""
        over = view.is_over
        data = match_round(
            view, self.code, time.time() if over else None, "finished" if over else "playing"
        )
        try:
            self.rounds.results.mkdir(parents=True, exist_ok=True)
            atomic_write(self.record_path(), json.dumps(data, ensure_ascii=False, indent=1))
        except (OSError, FlashpointError) as error:
            self.warn(f"Could not save your record: {error}")

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
        from game.reports.debrief_report import debrief_document

        if self.view is not None and self.view.is_over:
            name = match_round_id(self.view.loaded.scenario.id, self.code, self.seat)
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
