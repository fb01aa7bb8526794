"""Background notes and the map, in two tabs."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from game.engine.scenario.known import map_known_on, notes_known_on
from game.engine.scenario.model import Scenario
from game.reports.background import note_details
from game.reports.round_blocks import held_back_text
from game.ui.literal import joined, literal
from game.ui.render import renderable
from game.ui.screens.base import STYLES, GameScreen
from game.ui.widgets.footer import KeyFooter


class NotesScreen(GameScreen):
    """The scenario's background notes (with citations) and its text map."""

    CSS_PATH = [STYLES / "reference.tcss"]

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(self, scenario: Scenario, day: dt.date | None, tab: str = "notes") -> None:
        super().__init__()
        self.scenario = scenario
        self.day = day
        self.notes = notes_known_on(scenario, day)
        """The notes a student may read on ``day`` (all of them once the round is over)."""
        self.held_back = len(scenario.notes) - len(self.notes)
        self.tab = tab
        self.map = map_known_on(scenario, day)
        """The map as a student may see it on ``day``: places not yet in the news left out."""

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        with TabbedContent(initial=self.tab, id="notes-tabs"):
            with TabPane("Background notes", id="notes"), Horizontal(id="notes-body"):
                if self.notes:  # an empty list would look like a broken screen
                    yield OptionList(
                        *(Option(literal(n.title), id=n.id) for n in self.notes),
                        id="note-list",
                        markup=False,
                    )
                with VerticalScroll(id="note-view"):
                    yield Static(id="note-text")
                    if self.held_back:
                        yield Static(literal(held_back_text(self.held_back), "dim"))
            with TabPane("Map", id="map"), VerticalScroll(id="map-view"):
                yield Static(literal(self.map or "This scenario has no map."), id="map-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.show_first_note)  # the tabs mount their panes first

    def show_first_note(self) -> None:
        """Highlight and show the first note."""
        found = self.query("#note-list").results(OptionList)
        notes = next(found, None)
        if self.notes and notes is not None:
            notes.highlighted = 0
            self.show(self.notes[0].id)
            if self.tab == "notes":
                notes.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.show(event.option_id)

    def show(self, note_id: str) -> None:
        """Show one note with its citations."""
        note = next(n for n in self.notes if n.id == note_id)
        text = joined((note.title, "bold"), "\n\n", note.text, "\n\n")
        for block in note_details(self.scenario, note, self.day):
            shown = renderable(block)
            assert isinstance(shown, Text)  # quotes and paragraphs render as text
            text.append_text(shown)
            text.append("\n")
        self.query_one("#note-text", Static).update(text)
