"""The Flashpoint Textual app: wires screens to the engine. Game logic lives in the engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.engine import catalog
from game.engine.problems import FlashpointError
from game.engine.store import RoundStore, SavedRound, atomic_write

if TYPE_CHECKING:
    from game.engine.debrief import Debrief
    from game.engine.loader import LoadedScenario
    from game.engine.model import Choice, Citation
    from game.engine.session import Session

# Screens are imported where they are first shown, so start-up only pays for the first one.

STYLES = Path(__file__).parent / "styles"


@dataclass(frozen=True)
class StartRequest:
    """What the command line asked for: a scenario and role to go straight into, or nothing."""

    scenario: Path | None = None
    role: str | None = None
    player: str = ""
    reveal: str | None = None
    """Overrides the scenario's reveal policy: 'immediate' or 'debrief'."""


class FlashpointApp(App[None]):
    """The full-screen game."""

    TITLE = "Flashpoint"
    CSS_PATH = [STYLES / "app.tcss", STYLES / "screens.tcss"]
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit_game", "Quit", show=False, priority=True),
    ]

    def __init__(self, store: RoundStore, request: StartRequest = StartRequest()) -> None:
        super().__init__()
        self.store = store
        self.request = request
        self.theme = "textual-dark"

    # --- starting and resuming --------------------------------------------------------

    def on_mount(self) -> None:
        for note in self.store.prepare():
            self.notify(note)
        request = self.request
        if request.scenario is None:
            self.show_title()
        elif request.role is None:
            self.choose_role(request.scenario)
        else:
            from game.engine import loader

            self.start_round(loader.load(request.scenario), request.role, request.player)

    def title_screen(self) -> Screen[None]:
        """The title screen with the bundled scenarios and the saved rounds."""
        from game.ui.screens.title import TitleScreen

        saved, warnings = self.store.saved_rounds()
        listings = catalog.bundled(cache=self.store.home / "cache")
        return TitleScreen(listings, saved, warnings)

    def show_title(self) -> None:
        """Go back to the title screen."""
        self.replace_all(self.title_screen())

    def replace_all(self, screen: Screen[None]) -> None:
        """Make ``screen`` the only screen above the (empty) default one."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def action_back(self) -> None:
        """Leave the current screen: to the one beneath, or to the title screen."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.show_title()

    def choose_role(self, path: Path) -> None:
        """Open the role screen for the scenario in ``path``."""
        from game.engine import loader
        from game.ui.screens.role import RoleScreen

        try:
            loaded = loader.load(path)
        except FlashpointError as error:
            self.notify(str(error), title="Cannot open the scenario", severity="error")
            return
        self.push_screen(RoleScreen(loaded, self.request.player))

    def round_screen(self, loaded: LoadedScenario, role: str, player: str) -> Screen[None]:
        """Start a new round, save it, and return the screen of its first decision."""
        from game.engine.session import Session
        from game.ui.screens.decision import DecisionScreen

        session = Session.start(loaded, role, player)
        self.save(session)
        return DecisionScreen(session)

    def start_round(self, loaded: LoadedScenario, role: str, player: str) -> None:
        """Start a new round and show its first decision."""
        self.replace_all(self.round_screen(loaded, role, player))

    def resume_round(self, saved: SavedRound) -> None:
        """Continue a saved round exactly where it stopped."""
        from game.engine.session import Session
        from game.ui.screens.decision import DecisionScreen

        try:
            loaded = catalog.load_for(saved.scenario_id, saved.scenario_file)
            session = Session.resume(loaded, self.store.load(saved.path))
        except FlashpointError as error:
            self.notify(str(error), title="Cannot continue this round", severity="error")
            return
        if session.is_over:
            self.finish(session)
        else:
            self.replace_all(DecisionScreen(session))

    def save(self, session: Session) -> None:
        """Save ``session``; on failure, say so and keep playing from memory."""
        try:
            self.store.save(session)
        except FlashpointError as error:
            self.notify(str(error), title="Could not save", severity="error", timeout=10)

    # --- the play loop ----------------------------------------------------------------

    def confirm_choice(self, session: Session, choice: Choice) -> None:
        """Ask the student to confirm ``choice``; take it if they do."""
        from game.ui.screens.dialogs import ConfirmChoice

        def decided(rationale: object) -> None:
            if isinstance(rationale, str):
                self.take_choice(session, choice, rationale)

        self.push_screen(ConfirmChoice(choice), decided)

    def take_choice(self, session: Session, choice: Choice, rationale: str) -> None:
        """Make the decision, save it, and show what follows."""
        from game.ui.screens.outcome import OutcomeScreen

        step = session.choose(choice.id, rationale)
        self.save(session)
        self.push_screen(OutcomeScreen(session, step, self.reveals(session)))

    def reveals(self, session: Session) -> bool:
        """Whether history is shown after each decision."""
        return (self.request.reveal or session.loaded.scenario.reveal) == "immediate"

    def after_outcome(self, session: Session) -> None:
        """Leave the outcome screen for the next decision or the ending."""
        from game.ui.screens.decision import DecisionScreen

        self.pop_screen()
        if session.is_over:
            self.finish(session)
        elif isinstance(self.screen, DecisionScreen):
            self.screen.refresh_view()

    def finish(self, session: Session) -> None:
        """Record the result and show the debrief."""
        from game.engine.debrief import debrief
        from game.ui.screens.debrief import DebriefScreen

        result = None
        try:
            result = self.store.record(session)
        except FlashpointError as error:
            self.notify(str(error), title="Could not save the result", severity="error")
        self.replace_all(DebriefScreen(debrief(session), result))

    # --- screens opened from anywhere -------------------------------------------------

    def current_session(self) -> Session | None:
        """The session of the topmost screen that has one."""
        from game.engine.session import Session

        for screen in reversed(self.screen_stack):
            session = getattr(screen, "session", None)
            if isinstance(session, Session):
                return session
        return None

    def open_sources(self, session: Session, citation: Citation | None = None) -> None:
        """The sources published by the current in-game date (plus a cited one)."""
        from game.ui.screens.sources import SourceViewer

        scenario = session.loaded.scenario
        point = session.point
        if point is None:
            known = list(scenario.sources)
            heading = "All sources"
        else:
            known = list(scenario.sources_known_on(point.date))
            heading = f"Sources published by {point.date:%d %B %Y}"
        if citation is not None and citation.source not in {s.id for s in known}:
            known.append(scenario.source_by_id[citation.source])
            heading += " · and the source just cited"
        self.push_screen(SourceViewer(session.loaded, known, heading, citation))

    def action_sources(self) -> None:
        session = self.current_session()
        if session is not None:
            self.open_sources(session)

    def action_sources_all(self) -> None:
        from game.ui.screens.debrief import DebriefScreen
        from game.ui.screens.sources import SourceViewer

        screen = self.screen
        if isinstance(screen, DebriefScreen):
            loaded = screen.debrief.loaded
            self.push_screen(SourceViewer(loaded, list(loaded.scenario.sources), "All sources"))

    def _scenario_screen(self, tab: str) -> None:
        from game.ui.screens.notes import NotesScreen

        screen = self.screen
        loaded = getattr(getattr(screen, "debrief", None), "loaded", None)
        session = self.current_session()
        if session is not None:
            loaded = session.loaded
        if loaded is not None:
            self.push_screen(NotesScreen(loaded.scenario, tab))

    def action_notes(self) -> None:
        self._scenario_screen("notes")

    def action_map(self) -> None:
        self._scenario_screen("map")

    def action_help(self) -> None:
        from game.ui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_title(self) -> None:
        self.show_title()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_quit_game(self) -> None:
        """Ask, then quit; the round is already saved."""
        from game.ui.screens.dialogs import ConfirmQuit

        if isinstance(self.screen, ConfirmQuit):
            return

        def answered(quit_now: object) -> None:
            if quit_now is True:
                self.leave_round()
                self.exit()

        self.push_screen(ConfirmQuit(), answered)

    def export_debrief(self, report: Debrief, name: str) -> None:
        """Save ``report`` as Markdown and HTML in the data folder and say where."""
        from game.reports.debrief_report import debrief_document
        from game.reports.writers import to_html, to_markdown

        folder = self.store.home / "exports"
        document = debrief_document(report)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, write in (("md", to_markdown), ("html", to_html)):
                atomic_write(folder / f"{name}.{suffix}", write(document))
        except (OSError, FlashpointError) as error:
            self.notify(str(error), title="Could not export", severity="error")
            return
        self.notify(f"{folder / name}.md and .html", title="Debrief exported", timeout=8)

    def leave_round(self) -> None:
        """Record the round in progress as abandoned; its save stays, to be continued."""
        session = self.current_session()
        if session is None or session.is_over:
            return
        session.abandon()
        try:
            self.store.record(session)
            self.store.save(session)
        except FlashpointError as error:
            self.notify(str(error), title="Could not save", severity="error")

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
