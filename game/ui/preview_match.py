"""``flashpoint preview FILE --match``: the scenario's head-to-head match, both seats played by
the author one after the other, reloaded on every save.

Each turn the first seat decides, then the second (each on its own decision screen, as its
student would see it); then the turn is revealed to each seat in turn. When the scenario file
or one of its sources changes, it is validated again: its problems are listed over the game
until they are fixed; else the match is replayed on the new version, turn by turn, as far as
the new version allows. Nothing is saved or recorded.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game.engine.checks import loader
from game.engine.classroom.match_debrief import match_debrief
from game.engine.play.match import Match, Move, SeatView, TurnOutcome
from game.engine.play.roundfile import RoundError
from game.engine.play.session import Step
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import DecisionPoint
from game.ui import messages
from game.ui.messages import from_screen_on_top
from game.ui.preview import INTERVAL, ProblemsScreen, file_stamps
from game.ui.reading import ReadingActions
from game.ui.screens.base import STYLES

NOT_SAVED = "This match is a test: it is not saved or recorded."


class PreviewMatchApp(ReadingActions, App[None]):
    """Both seats of a match in one terminal, following the scenario file's changes."""

    TITLE = "Flashpoint — preview of the head-to-head match"
    CSS_PATH = [STYLES / "app.tcss"]
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+q", "quit_game", "Quit", show=False, priority=True),
    ]

    def __init__(
        self, path: Path, loaded: LoadedScenario, match: Match | None = None, only: str = ""
    ) -> None:
        """``match`` and ``only``: a test match (``play FILE --from POINT``), standing at the
        point's turn, in which the author plays seat ``only`` and the other seat's fallback
        stands each turn; the file is not followed then."""
        super().__init__()
        self.path = path
        self.match = match or Match(loaded, {}, 0.0)
        self.only = only
        self.turns: list[tuple[str, dict[str, Move]]] = []
        """The turns played so far (turn id, moves), replayed on a new version."""
        self.moves: dict[str, Move] = {}
        """This turn's moves so far."""
        self.seat = self.match.mode.seats[0]
        """The seat deciding, or reading its outcome, now."""
        self.outcome: TurnOutcome | None = None
        self.points: dict[str, DecisionPoint | None] = {}
        """Each seat's point of the turn being revealed."""
        self.stamps: dict[Path, float] = {}
        self.theme = "textual-dark"

    def on_mount(self) -> None:
        if not self.only:
            self.stamps = file_stamps(self.path)
            self.set_interval(INTERVAL, self.look)
        self.notify(NOT_SAVED, markup=False)
        self.show_turn()

    @property
    def view(self) -> SeatView:
        return SeatView(self.match, self.seat)

    # --- the turn ------------------------------------------------------------------------

    def show_turn(self) -> None:
        """The next seat's decision, or the debrief once the match is over."""
        from game.ui.screens.decision import DecisionScreen

        if self.match.turn is None:
            from game.ui.screens.debrief import DebriefScreen

            seat = self.only or self.match.mode.seats[0]
            self.seat = seat
            self.replace_all(DebriefScreen(match_debrief(SeatView(self.match, seat)), None))
            return
        seats = self.match.mode.seats
        self.seat = self.only or next(s for s in seats if s not in self.moves)
        other = self.match.loaded.scenario.role_by_id[self.match.mode.other(self.seat)].name
        then = f"then {other}" if self.seat == seats[0] else f"after {other}"
        if self.only:
            then = f"{other}'s fallback move stands"
        kind = "Test match" if self.only else "Preview"
        note = f"{kind} · turn {self.match.number} · {self.role_name()} decides ({then})"
        self.replace_all(DecisionScreen(self.view, note))

    def role_name(self) -> str:
        return self.match.loaded.scenario.role_by_id[self.seat].name

    @from_screen_on_top
    def on_choice_picked(self, message: messages.ChoicePicked) -> None:
        from game.ui.screens.dialogs import ConfirmChoice

        point = self.view.point
        if point is None or point.id != message.point:
            return
        choice = next(c for c in point.choices if c.id == message.choice)
        seat = self.seat

        def answered(rationale: str | None) -> None:
            if rationale is None or self.seat != seat or self.match.turn is None:
                return
            self.moves[seat] = Move(choice.id, rationale)
            if self.only:  # the other seat's fallback stands, marked as such
                other = self.match.mode.other(seat)
                self.moves[other] = Move(self.match.fallbacks()[other], fallback=True)
            if len(self.moves) < len(self.match.mode.seats):
                self.show_turn()
                return
            turn = self.match.turn
            self.turns.append((turn.id, dict(self.moves)))
            points = {s: self.match.point(s) for s in self.match.mode.seats}
            self.outcome = self.match.play(self.moves)
            self.moves = {}
            self.points = points
            self.show_outcome(self.only or self.match.mode.seats[0])

        self.push_screen(ConfirmChoice(choice, self.view.words(choice)), callback=answered)

    def show_outcome(self, seat: str) -> None:
        """The revealed turn as ``seat`` sees it."""
        from game.reports.match_report import reveal_blocks
        from game.ui.screens.outcome import OutcomeScreen

        outcome, point = self.outcome, self.points[seat]
        assert outcome is not None and point is not None
        self.seat = seat
        view = self.view
        decision = view.decisions[-1]
        chosen = next(c for c in point.choices if c.id == decision.choice)
        step = Step(decision, chosen, point, outcome.shown[seat], outcome.ending)
        self.replace_all(OutcomeScreen(view, step, reveal_blocks(view, point, outcome)))

    @from_screen_on_top
    def on_outcome_read(self, message: messages.OutcomeRead) -> None:
        seats = self.match.mode.seats
        if self.outcome is not None and self.seat == seats[0] and not self.only:
            self.show_outcome(seats[1])
            return
        self.outcome = None
        self.show_turn()

    # --- following the file --------------------------------------------------------------

    def look(self) -> None:
        """Validate again if a file changed; show the problems, or replay the match."""
        stamps = file_stamps(self.path)
        if stamps == self.stamps:
            return
        self.stamps = stamps
        loaded, problems = loader.check(self.path)
        shown = next((s for s in self.screen_stack if isinstance(s, ProblemsScreen)), None)
        if shown is not None:
            shown.answer(None)
        if loaded is None:
            self.push_screen(ProblemsScreen(list(problems)))
            return
        self.reload(loaded)

    def reload(self, loaded: LoadedScenario) -> None:
        """The match replayed on the new version, turn by turn, as far as it allows."""
        if loaded.scenario.head_to_head is None:
            self.notify("The scenario has no head_to_head section any more.", markup=False)
            return
        match, kept = Match(loaded, {}, 0.0), 0
        for turn_id, moves in self.turns:
            if match.node != turn_id:
                break
            try:
                match.play(moves)
            except RoundError:
                break
            kept += 1
        lost = len(self.turns) - kept
        self.match, self.turns, self.moves, self.outcome = match, self.turns[:kept], {}, None
        note = f"; {lost} later turn(s) no longer apply" if lost else ""
        self.notify(f"Reloaded: the match replays {kept} turn(s){note}.", markup=False)
        self.show_turn()

    # --- the rest ------------------------------------------------------------------------

    def reading(self) -> SeatView:
        return self.view

    def replace_all(self, screen: Screen[None]) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    @from_screen_on_top
    def on_citation_opened(self, message: messages.CitationOpened) -> None:
        self.open_sources(message.citation)

    def action_leave(self) -> None:
        """Leave the preview (nothing to keep)."""
        from game.ui.screens.base import GameModal
        from game.ui.screens.dialogs import LeaveDialog

        if isinstance(self.screen, GameModal):
            return

        def answered(where: str | None) -> None:
            if where == "quit":
                self.exit()

        playing = self.match.turn is not None
        self.push_screen(LeaveDialog(playing, NOT_SAVED, title_screen=False), callback=answered)

    def action_quit_game(self) -> None:
        self.action_leave()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A preview has no title screen, and nothing to export."""
        return action not in ("title", "export")

    def action_title(self) -> None:
        self.action_leave()
