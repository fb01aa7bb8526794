"""What both apps open from anywhere: sources, notes, map, help and the theme.

:class:`ReadingActions` is mixed into the full-screen game and the head-to-head app; each says
which seat is being read (:meth:`reading`): a round of one student or one seat of a match.
Sources and notes are offered only as far as the seat's in-game date allows.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.engine.base.text import sources_heading

if TYPE_CHECKING:
    from textual.app import App

    from game.engine.play.playing import Playing
    from game.engine.scenario.model import Citation
    from game.reports.document import Document

    Base = App[Any]
else:
    Base = object


class ReadingActions(Base):
    """Actions shared by the apps; :meth:`reading` names the seat they read."""

    def reading(self) -> Playing | None:
        """The seat whose sources, notes and map are open to the student."""
        raise NotImplementedError

    def open_sources(self, citation: Citation | None = None) -> None:
        """The sources published before the current in-game date (and a passage cited)."""
        from game.engine.scenario.known import sources_known_at
        from game.ui.screens.sources import SourceViewer

        seat = self.reading()
        if seat is None:
            return
        scenario = seat.loaded.scenario
        point = seat.point
        known = list(sources_known_at(scenario, point))
        heading = "All sources" if point is None else sources_heading(point.date)
        excerpt = None
        if citation is not None and citation.source not in {s.id for s in known}:
            excerpt = scenario.source_by_id[citation.source]  # later: the passage only
            heading += " · and the passage just cited"
        during_play = point is not None
        self.push_screen(SourceViewer(seat.loaded, known, heading, citation, excerpt, during_play))

    def action_sources(self) -> None:
        self.open_sources()

    def action_sources_all(self) -> None:
        self.open_sources()

    def _scenario_screen(self, tab: str) -> None:
        from game.ui.screens.notes import NotesScreen

        seat = self.reading()
        if seat is not None:
            day = seat.point.date if seat.point is not None else None
            self.push_screen(NotesScreen(seat.loaded.scenario, day, tab))

    def action_notes(self) -> None:
        self._scenario_screen("notes")

    def action_map(self) -> None:
        self._scenario_screen("map")

    def action_help(self) -> None:
        from game.ui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def export(self, document: Document, name: str, folder: Path) -> None:
        """Save a debrief as Markdown and HTML in ``folder`` and say where; in a browser, the
        student's browser downloads it instead (nothing is left on the server)."""
        from game.engine.base.problems import FlashpointError
        from game.engine.records.store import atomic_write
        from game.reports.writers import to_html, to_markdown

        if self.is_web:
            self.deliver_text(
                io.StringIO(to_html(document)),
                save_filename=f"debrief-{name}.html",
                mime_type="text/html",
            )
            self.notify("Your browser is downloading it.", title="Debrief", markup=False)
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, write in (("md", to_markdown), ("html", to_html)):
                atomic_write(folder / f"{name}.{suffix}", write(document))
        except (OSError, FlashpointError) as error:
            self.notify(
                f"Could not export: {error}", title="Problem", severity="error", markup=False
            )
            return
        self.notify(
            f"{folder / name}.md and .html", title="Debrief exported", timeout=8, markup=False
        )

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, with page keys that cannot crash the game
        (:mod:`game.ui.widgets.palette`)."""
        from textual.command import CommandPalette

        from game.ui.widgets.palette import SafePalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(SafePalette(id="--command-palette"))
