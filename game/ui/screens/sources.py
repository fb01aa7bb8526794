"""The source viewer: the scenario's documents, opened at the quoted passage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from game.engine.base.text import long_date, printable, short_date
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Citation, Source
from game.engine.scenario.sources import find_quote, passage
from game.reports.background import source_prompt
from game.reports.round_blocks import read_at
from game.reports.source_text import readable
from game.ui.literal import joined, literal
from game.ui.screens.base import STYLES, GameScreen
from game.ui.widgets.footer import KeyFooter

NONE_YET = (
    "None of the scenario's documents had been published before this date. They open as the "
    "crisis goes on, and all of them in the debrief."
)
PASSAGE_ONLY = (
    "Published later in the crisis: only the words cited are shown; the whole document "
    "opens in the debrief."
)


def location(text: str, index: int) -> tuple[int, int]:
    """The (row, column) of character ``index`` in ``text``."""
    row = text.count("\n", 0, index)
    return row, index - (text.rfind("\n", 0, index) + 1)


class SourceViewer(GameScreen):
    """Lists sources on the left and shows the chosen one, with a quote highlighted."""

    CSS_PATH = [STYLES / "reference.tcss"]

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(
        self,
        loaded: LoadedScenario,
        sources: list[Source],
        heading: str,
        citation: Citation | None = None,
        excerpt: Source | None = None,
        during_play: bool = False,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.excerpt = excerpt
        self.during_play = during_play
        """Before the debrief a source shows its question, not its reliability note."""
        """A source published after the in-game date: only the cited passage is shown."""
        self.sources = sources if excerpt is None else [*sources, excerpt]
        self.heading = heading
        self.citation = citation

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        yield Static(joined((f" {self.heading}", "bold")), id="heading")
        if not self.sources:
            yield Static(literal(NONE_YET), id="sources-none", classes="block")
            yield KeyFooter()
            return
        with Horizontal(id="sources-body"):
            with Vertical(id="source-list"):
                yield OptionList(
                    *(
                        Option(
                            joined(
                                (s.title if s is not self.excerpt else "A later document", "bold"),
                                (f"\n{s.publisher} · {short_date(s.published)}", "dim"),
                            ),
                            id=s.id,
                        )
                        for s in self.sources
                    ),
                    id="source-options",
                    markup=False,
                )
            with Vertical(id="source-view"):
                yield Static(id="source-about")
                yield TextArea(
                    read_only=True, soft_wrap=True, id="source-text", show_line_numbers=False
                )
        yield KeyFooter()

    def populate(self) -> None:
        if not self.sources:
            return
        wanted = self.citation.source if self.citation else self.sources[0].id
        options = self.query_one("#source-options", OptionList)
        options.highlighted = next(n for n, s in enumerate(self.sources) if s.id == wanted)
        self.show(wanted, self.citation.quote if self.citation else None)
        if self.citation:
            self.query_one(TextArea).focus()
        else:
            options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            quote = (
                self.citation.quote
                if self.citation and (self.citation.source == event.option_id)
                else None
            )
            self.show(event.option_id, quote)

    def show(self, source_id: str, quote: str | None) -> None:
        """Show source ``source_id``, selecting and scrolling to ``quote`` if given."""
        source = self.loaded.scenario.source_by_id[source_id]
        about = joined(
            (source.title, "bold"),
            "\n",
            (
                f"{source.publisher} · {source.kind} · published {long_date(source.published)}",
                "dim",
            ),
            "\n",
            (source_prompt(source, self.during_play)[0], "bold"),
            source_prompt(source, self.during_play)[1],
        )
        if source.date_note:
            about.append_text(joined("\n", ("Date: ", "bold"), source.date_note))
        if source.url or source.retrieved:
            about.append_text(joined("\n", read_at(source.url, source.retrieved).strip()))
        self.query_one("#source-about", Static).update(about)
        text = readable(printable(self.loaded.texts.text(source.file)))
        if self.excerpt is not None and source.id == self.excerpt.id:
            text = passage(text, quote)  # title and reliability note may tell what came later
            about = joined(
                (
                    f"{source.publisher} · {source.kind} · published {long_date(source.published)}",
                    "dim",
                ),
                "\n",
                (PASSAGE_ONLY, "bold yellow"),
            )
            self.query_one("#source-about", Static).update(about)
        area = self.query_one(TextArea)
        area.load_text(text)
        span = find_quote(text, quote) if quote else None
        if span is None:
            area.move_cursor((0, 0))
            return
        area.selection = Selection(location(text, span[0]), location(text, span[1]))
        area.scroll_cursor_visible(center=True)

    def action_scroll_text(self, pages: int) -> None:
        """Scroll the document by a page, whatever has focus."""
        for area in self.query(TextArea):  # none when nothing is published yet
            if pages < 0:
                area.scroll_page_up(animate=False)
            else:
                area.scroll_page_down(animate=False)
