"""The ending and the debrief: the same document as ``flashpoint debrief``, on screen."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from game.engine.classroom.debrief import Debrief
from game.reports.debrief_report import debrief_document
from game.ui.literal import joined, literal
from game.ui.messages import ExportRequested
from game.ui.render import block_widgets
from game.ui.screens.base import LEAVING_KEYS, STYLES, GameScreen
from game.ui.widgets.footer import KeyFooter

SCROLL_KEYS = [
    Binding(key, f"scroll('{how}')", how, show=False, priority=True)
    for key, how in (("pageup", "page_up"), ("pagedown", "page_down"))
]


class DebriefScreen(GameScreen):
    """The end of a round: the ending's assessment and the decision-by-decision comparison."""

    CSS_PATH = [STYLES / "record.tcss"]

    AUTO_FOCUS = "#debrief"
    BINDINGS = [
        Binding("e", "export", "Export"),
        *SCROLL_KEYS,
        Binding("s", "app.sources_all", "All sources"),
        Binding("n", "app.notes", "Notes"),
        Binding("t", "app.title", "Title screen"),
        *LEAVING_KEYS,
    ]

    def __init__(self, debrief: Debrief, result: Path | None) -> None:
        super().__init__()
        self.debrief = debrief
        self.result = result

    def compose(self) -> ComposeResult:
        debrief = self.debrief
        ending = debrief.ending
        title = ending.title if ending else "Round not finished"
        if ending is not None and ending.distance > 0:
            title += " (not historical)"
        yield from self.compose_notice()
        yield Static(
            joined((" Debrief: ", "bold"), (title, "bold"), (f"   ({debrief.role.name})", "dim")),
            id="heading",
        )
        with VerticalScroll(id="debrief"):
            yield from block_widgets(debrief_document(debrief).blocks)
            if self.result is not None:
                saved = f"{self.result.parent.name}/{self.result.name}"
                yield Static(
                    literal(f"Your result was saved in the data folder as {saved}.", "dim"),
                    classes="block",
                )
        yield KeyFooter()

    def action_scroll(self, how: str) -> None:
        """Scroll the debrief, whatever has focus."""
        getattr(self.query_one("#debrief", VerticalScroll), f"scroll_{how}")(animate=False)

    def action_export(self) -> None:
        """Ask for the debrief as Markdown and HTML files."""
        self.post_message(ExportRequested(self))
