"""After a decision: the consequences, the other side's reaction, and what actually happened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from game.engine.model import Citation
from game.engine.playing import Playing
from game.engine.session import Step
from game.engine.text import long_date
from game.engine.variants import Title
from game.reports.document import Block
from game.reports.round_blocks import attribution, step_blocks
from game.ui.literal import joined
from game.ui.messages import CitationOpened, OutcomeRead
from game.ui.render import block_widgets
from game.ui.screens.base import LEAVING_KEYS, STYLES, GameScreen
from game.ui.widgets.footer import KeyFooter

CITATION_KEYS = [
    Binding(str(n), f"open_citation({n - 1})", f"Source {n}", show=False) for n in range(1, 10)
]
SCROLL_KEYS = [
    Binding(key, f"scroll('{how}')", how, show=False, priority=True)
    for key, how in (
        ("up", "up"),
        ("down", "down"),
        ("pageup", "page_up"),
        ("pagedown", "page_down"),
        ("home", "home"),
        ("end", "end"),
    )
]


class OutcomeScreen(GameScreen):
    """Shows what a decision led to; Enter always continues, number keys open a cited source."""

    CSS_PATH = [STYLES / "record.tcss"]

    AUTO_FOCUS = "#outcome"
    BINDINGS = [
        Binding("enter", "continue", "Continue", priority=True),
        *SCROLL_KEYS,
        *CITATION_KEYS,
        Binding("s", "app.sources", "Sources"),
        *LEAVING_KEYS,
    ]

    def __init__(self, session: Playing, step: Step, blocks: list[Block] | None = None) -> None:
        super().__init__()
        self.session = session
        self.step = step
        self.blocks = blocks
        """What to show instead of the step's own blocks (a match's turn: both moves)."""
        self.citations: tuple[Citation, ...] = (
            step.point.history.citations if session.reveals_history else ()
        )

    def compose(self) -> ComposeResult:
        scenario = self.session.loaded.scenario
        step = self.step
        yield from self.compose_notice()
        yield Static(
            joined(
                (f" {long_date(step.point.date)} · ", "bold"),
                self.session.words(Title(step.point)),
                " · outcome",
            ),
            id="heading",
        )
        with VerticalScroll(id="outcome"):
            as_of = self.session.point.date if self.session.point is not None else None
            yield from block_widgets(
                self.blocks
                or step_blocks(
                    scenario, step, self.session.reveals_history, as_of, self.session.words
                )
            )
            if self.citations:
                listing = joined(("Read a source at the quoted passage:", "bold"))
                for number, citation in enumerate(self.citations, start=1):
                    listing.append_text(joined("\n", (f"  {number} ", "bold reverse"), " "))
                    listing.append_text(joined(attribution(scenario, citation.source, as_of)))
                yield Static(listing, classes="block", id="citations")
        label = "See the ending (Enter)" if self.session.is_over else "Continue (Enter)"
        button = Button(label, variant="primary", id="continue")
        button.can_focus = False  # Enter continues whatever has focus; the text scrolls
        with Horizontal(id="outcome-actions"):
            yield button
        yield KeyFooter()

    def action_continue(self) -> None:
        """Go on to the next decision or the ending."""
        self.post_message(OutcomeRead(self, self.step))

    def on_button_pressed(self) -> None:
        self.action_continue()

    def action_scroll(self, how: str) -> None:
        """Scroll the outcome, whatever has focus."""
        outcome = self.query_one("#outcome", VerticalScroll)
        getattr(outcome, f"scroll_{how}")(animate=False)

    def action_open_citation(self, index: int) -> None:
        """Open the source of citation ``index`` at the quoted passage."""
        if 0 <= index < len(self.citations):
            self.post_message(CitationOpened(self, self.citations[index]))
