"""The Flashpoint Textual app: shows screens for the round the engine runs.

The app holds the one :class:`~game.engine.seats.lifecycle.Round` in play; screens post messages
(:mod:`game.ui.messages`) and the app answers them. Saving, recording and the reveal policy
belong to the round, not to this module.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.engine.base.problems import FlashpointError
from game.engine.records import catalog
from game.engine.records.finished import Finished, finished_rounds
from game.engine.records.store import RoundStore, SavedRound
from game.engine.seats.lifecycle import Round, latest_saved
from game.ui import messages
from game.ui.messages import from_screen_on_top
from game.ui.pacing import PacingActions
from game.ui.reading import ReadingActions
from game.ui.start import StartRequest

if TYPE_CHECKING:
    from game.engine.play.playing import Playing
    from game.engine.play.session import Session
    from game.engine.scenario.loaded import LoadedScenario
    from game.ui.screens.dialogs import Leave

# Screens are imported where they are first shown, so start-up only pays for the first one.

STYLES = Path(__file__).parent / "styles"
IDLE_COLLECT = 0.5
"""Seconds after a new decision is shown when the screens left behind are collected: a pause
of a few milliseconds while the student reads, which keeps memory flat across a round."""
TEST_ROUND = "Test round from '{point}': nothing is saved or recorded; v shows the variables."


class FlashpointApp(PacingActions, ReadingActions, App[None]):
    """The full-screen game."""

    TITLE = "Flashpoint"
    CSS_PATH = [STYLES / "app.tcss", STYLES / "title.tcss"]
    """The first screen's styles are read with the app's: Textual parses every stylesheet again
    when a screen brings one of its own. The other screens bring theirs when first shown."""
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit_game", "Quit", show=False, priority=True),
    ]

    def __init__(self, store: RoundStore, request: StartRequest = StartRequest()) -> None:
        super().__init__()
        self.store = store
        self.request = request
        self.round: Round | None = None
        """The round in play (finished rounds stay until another starts)."""
        self.reopened: tuple[Finished, Session] | None = None
        """A finished round whose debrief the student opened again from the title screen."""
        self.notes = list(store.prepare() if request.notes is None else request.notes)
        """What preparing the data folder found, told once the game is on screen."""
        self.theme = "textual-dark"

    def get_default_screen(self) -> Screen[None]:
        """The first screen: the title screen itself when the game opens on it, since Textual
        draws the app's first screen sooner than one pushed over it (docs/performance.md).
        Otherwise an empty screen; every other screen is pushed over the first."""
        if self.request.scenario is None:
            return self._title_screen()
        return super().get_default_screen()

    # --- starting, leaving and ending ---------------------------------------------------

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal or browser, not a test
            from game.ui.hangup import end_on_hangup

            end_on_hangup(self.terminate, self.leave_round)
        request = self.request
        if request.class_folder is not None:
            self.watch_pacing()
        for note in self.notes:
            self.notify(note, markup=False)
        if request.scenario is None:  # the title screen is the first screen
            if request.resume:
                self.resume_latest(None)
            return
        from game.engine.checks import loader
        from game.ui.screens.role import RoleScreen

        loaded = request.loaded or loader.load(request.scenario)
        if request.resume:
            self.resume_latest(loaded)
        elif request.role is None:
            self.push_screen(RoleScreen(loaded, request.player))
        else:
            self.start_round(loaded, request.role, request.player)

    def resume_latest(self, loaded: LoadedScenario | None) -> None:
        """Continue the latest saved round (of ``loaded``) for ``--continue``, else say so."""
        scenario_id = loaded.scenario.id if loaded is not None else None
        saved = latest_saved(self.store, scenario_id, self.request.role, self.warn)
        if saved is None:
            self.show_title()
            title = loaded.scenario.title if loaded is not None else "any scenario"
            self.warn(f"There is no saved round of {title} to continue.")
            return
        self.resume(saved, loaded)

    def resume(self, saved: SavedRound, loaded: LoadedScenario | None = None) -> None:
        """Continue a saved round exactly where it stopped."""
        try:
            resumed = Round.resume(
                self.store,
                saved,
                loaded,
                reveal=self.request.reveal,
                warn=self.warn,
                pacing=self.pacing_reader(),
            )
        except FlashpointError as error:
            if len(self.screen_stack) == 1 and type(self.screen) is Screen:  # nothing shown yet
                self.show_title()
            self.warn(f"Cannot continue this round: {error}")
            return
        self.leave_round()
        self.round = resumed
        self.show_round()

    def terminate(self) -> None:
        """SIGHUP (the terminal closed) or SIGTERM: record the round as abandoned and exit."""
        self.leave_round()
        self.exit()

    def leave_round(self) -> None:
        """The student leaves the round in play, by any way out: it is recorded as abandoned."""
        if self.round is not None:
            self.round.leave()

    def warn(self, message: str) -> None:
        """Tell the student something went wrong with their files; play goes on."""
        self.notify(message, title="Problem", severity="error", timeout=10, markup=False)

    def show_title(self) -> None:
        """Leave any round in play and go back to the title screen."""
        self.leave_round()
        self.replace_all(self._title_screen())

    def _title_screen(self) -> Screen[None]:
        """A title screen listing what can be played now."""
        from game.ui.screens.title import TitleScreen

        saved, damaged = self.store.saved_rounds()
        skipped: list[Path] = []
        listings = catalog.listings(
            self.store.home / "cache",
            self.request.offered,
            (self.store.home / "scenarios",),
            skipped,
        )
        notices = [f"Set aside a damaged save: {warning}" for warning in damaged]
        notices += [
            f"Could not open {path}: run 'flashpoint validate {path}' to see why"
            for path in skipped
        ]
        return TitleScreen(listings, saved, notices, finished_rounds(self.store))

    def replace_all(self, screen: Screen[None]) -> None:
        """Make ``screen`` the only screen above the first one (an empty screen, or the title
        screen the game opened on)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def show_roles(self, path: Path) -> None:
        """Open the role screen for the scenario in ``path``."""
        from game.engine.checks import loader
        from game.ui.screens.role import RoleScreen

        try:
            loaded = loader.load(path)
        except FlashpointError as error:
            self.warn(f"Cannot open the scenario: {error}")
            return
        self.push_screen(RoleScreen(loaded, self.request.player))

    def start_round(self, loaded: LoadedScenario, role: str, player: str) -> None:
        """Start a new round and show its first decision."""
        self.leave_round()
        test = self.request.test if loaded is self.request.loaded else None  # --from's only
        pacing = self.pacing_reader() if test is None else None
        try:
            self.round = Round.start(
                self.store, loaded, role, player, self.request.reveal, self.warn, test, pacing
            )
        except FlashpointError as error:  # a class the teacher has ended
            self.show_title()
            self.warn(f"Cannot start a round: {error}")
            return
        if test is not None:
            self.notify(TEST_ROUND.format(point=test.point), markup=False)
        self.show_round()

    def show_round(self) -> None:
        """The round's current decision, or its debrief once it has ended."""
        from game.ui.screens.decision import DecisionScreen

        assert self.round is not None
        if self.round.is_over:
            self.show_debrief()
        else:
            self.replace_all(DecisionScreen(self.round.session))
            self.pace()

    def show_debrief(self) -> None:
        """The debrief of the round that just ended."""
        from game.engine.classroom.debrief import debrief
        from game.ui.screens.debrief import DebriefScreen

        assert self.round is not None
        if self.debrief_waits():
            return
        report = debrief(self.round.session)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        gc.collect()  # the round's screens are gone: the debrief, the largest, reuses their memory
        self.push_screen(DebriefScreen(report, self.round.result_path))
        if self.request.record_plan is not None:
            from game.engine.seats.recording import record_plan

            try:
                written = record_plan(self.request.record_plan, self.round.session)
            except FlashpointError as error:
                self.warn(str(error))
            else:
                self.notify(f"Wrote the test plan {written}", markup=False)

    # --- what screens ask ---------------------------------------------------------------

    @from_screen_on_top
    def on_scenario_picked(self, message: messages.ScenarioPicked) -> None:
        self.show_roles(message.path)

    @from_screen_on_top
    def on_role_chosen(self, message: messages.RoleChosen) -> None:
        self.start_round(message.loaded, message.role, message.player)

    @from_screen_on_top
    def on_saved_round_picked(self, message: messages.SavedRoundPicked) -> None:
        self.resume(message.saved)

    @from_screen_on_top
    def on_finished_round_picked(self, message: messages.FinishedRoundPicked) -> None:
        """Open a finished round's debrief again, from its record (to read or export)."""
        from game.engine.classroom.debrief_file import reopen
        from game.ui.screens.debrief import DebriefScreen

        try:
            session, report, note = reopen(message.finished)
        except FlashpointError as error:
            self.warn(f"Cannot open this debrief: {error}")
            return
        if self.history_held(len(session.decisions)):
            return
        self.leave_round()
        self.round, self.reopened = None, (message.finished, session)
        self.replace_all(DebriefScreen(report, message.finished.path))
        if note:
            self.notify(note, markup=False)

    @from_screen_on_top
    def on_saved_round_deleted(self, message: messages.SavedRoundDeleted) -> None:
        from game.ui.screens.dialogs import ConfirmDelete
        from game.ui.screens.title import describe

        saved = message.saved

        def answered(delete: bool | None) -> None:
            if delete:
                try:
                    self.store.delete(saved)
                except FlashpointError as error:
                    self.warn(str(error))
                self.show_title()

        self.push_screen(
            ConfirmDelete(f"{saved.scenario_title}\n{describe(saved)}"), callback=answered
        )

    @from_screen_on_top
    def on_choice_picked(self, message: messages.ChoicePicked) -> None:
        """Ask the student to confirm a choice; take it if they do and it is still open."""
        from game.ui.screens.dialogs import ConfirmChoice

        played = self.round
        if played is None:
            return
        point = played.session.point
        if point is None or point.id != message.point:
            return
        choice = next(c for c in point.choices if c.id == message.choice)

        def answered(rationale: str | None) -> None:
            still = played.session.point
            if rationale is None or still is None or still.id != message.point:
                return
            self.take_choice(played, choice.id, rationale)

        self.push_screen(ConfirmChoice(choice, played.session.words(choice)), callback=answered)

    def take_choice(self, played: Round, choice: str, rationale: str) -> None:
        """Make the decision (the round saves or records it) and show what followed."""
        self.choose_paced(played, choice, rationale)

    @from_screen_on_top
    def on_outcome_read(self, message: messages.OutcomeRead) -> None:
        """Leave the outcome for the next decision or the ending, once per outcome."""
        from game.ui.screens.outcome import OutcomeScreen

        screen = self.screen
        if not isinstance(screen, OutcomeScreen) or screen.step is not message.step:
            return  # an outcome already left
        if self.round is None or self.round.is_over:
            self.show_debrief()
            return
        from game.ui.screens.decision import DecisionScreen

        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, DecisionScreen) and below.session is self.round.session:
            self.pop_screen()  # back to the round's decision screen, which shows the next point
            below.refresh_view()
            self.pace()  # the teacher may not have opened it yet
            self.set_timer(IDLE_COLLECT, gc.collect)  # the outcome's widgets, while they read
        else:
            self.show_round()

    @from_screen_on_top
    def on_citation_opened(self, message: messages.CitationOpened) -> None:
        self.open_sources(message.citation)

    @from_screen_on_top
    def on_export_requested(self, message: messages.ExportRequested) -> None:
        self.export_debrief()

    # --- screens opened from anywhere (game.ui.reading) --------------------------------

    def reading(self) -> Playing | None:
        """The seat whose sources, notes and map are open to the student."""
        if self.round is not None:
            return self.round.session
        return self.reopened[1] if self.reopened is not None else None

    def action_title(self) -> None:
        self.show_title()

    def action_leave(self) -> None:
        """Ask where to go: stay, the title screen, or quit. The round is already saved."""
        from game.ui.screens.base import GameModal
        from game.ui.screens.dialogs import NOTHING_OPEN, LeaveDialog

        if isinstance(self.screen, GameModal):
            return

        def answered(where: Leave | None) -> None:
            if where == "title":
                self.show_title()
            elif where == "quit":
                self.leave_round()
                self.exit()

        from game.ui.screens.title import TitleScreen

        if isinstance(self.screen, TitleScreen):  # no round open here: nothing to reassure
            self.push_screen(LeaveDialog(False, NOTHING_OPEN, title_screen=False), answered)
            return
        in_round = self.round is not None and not self.round.is_over
        test = self.round is not None and self.round.session.test  # a preview, play --from
        note = "This is a test round: it is not saved or recorded." if test else ""
        self.push_screen(LeaveDialog(in_round, note), callback=answered)

    def action_quit_game(self) -> None:
        self.action_leave()

    def export_debrief(self) -> None:
        """Save the finished round's debrief as Markdown and HTML and say where."""
        from game.engine.base.text import export_name
        from game.engine.classroom.debrief import debrief
        from game.reports.debrief_report import debrief_document

        session = self.round.session if self.round is not None else None
        if session is None and self.reopened is not None:
            session = self.reopened[1]
        if session is not None:
            document = debrief_document(debrief(session))
            name = export_name(session.player, session.round_id)
            self.export(document, name, self.store.home / "exports")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Sources", "Open the sources published so far", self.action_sources)
        yield SystemCommand("Background notes", "Open the background notes", self.action_notes)
        yield SystemCommand("Map", "Open the map of the places named", self.action_map)
        yield SystemCommand("Help", "Keys and how to play", self.action_help)
        yield SystemCommand(
            "Toggle light/dark theme", "Switch the colour theme", self.action_toggle_theme
        )
        yield SystemCommand("Title screen", "Back to the list of scenarios", self.action_title)
        yield SystemCommand("Quit", "Quit Flashpoint (your round is saved)", self.action_quit_game)
