"""After a decision: the consequences, the other side's reaction, and what actually happened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from game.engine.base.text import long_date
from game.engine.play.playing import Playing
from game.engine.play.session import Step
from game.engine.scenario.model import Citation
from game.engine.scenario.variants import Title
from game.reports.document import Block, Bullets
from game.reports.outcome_blocks import Outcome, disputes_before, outcome
from game.reports.round_blocks import HISTORY_LATER, attribution
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
        Binding("d", "disputes", "Sources disagree"),
        Binding("s", "app.sources", "Sources"),
        *LEAVING_KEYS,
    ]

    def __init__(
        self,
        session: Playing,
        step: Step,
        blocks: list[Block] | None = None,
        later: str = HISTORY_LATER,
    ) -> None:
        super().__init__()
        self.session = session
        self.step = step
        self.blocks = blocks
        """What to show instead of the step's own blocks (a match's turn: both moves)."""
        self.citations: tuple[Citation, ...] = (
            step.point.history.citations if session.reveals_history else ()
        )
        self.outcome: Outcome | None = None
        if blocks is None:
            scenario = session.loaded.scenario
            shown = disputes_before(
                scenario, session.entries, session.reveals_history, session.preset
            )
            as_of = session.point.date if session.point is not None else None
            self.outcome = outcome(
                scenario,
                step,
                session.reveals_history,
                scenario.role_by_id[session.role].name,
                shown,
                as_of,
                session.words,
                later,
            )

    def compose(self) -> ComposeResult:
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
            if self.outcome is None:
                yield from self.compose_turn()
            else:
                yield from block_widgets(self.outcome.blocks)
                if self.outcome.disputes:
                    with Vertical(id="disputes"):
                        yield from block_widgets(self.outcome.disputes)
        label = "See the ending (Enter)" if self.session.is_over else "Continue (Enter)"
        button = Button(label, variant="primary", id="continue", compact=True)
        button.can_focus = False  # Enter continues whatever has focus; the text scrolls
        with Horizontal(id="outcome-actions"):
            yield button
            yield Static(self.hint(), id="outcome-hint", markup=False)
        yield KeyFooter()

    def compose_turn(self) -> ComposeResult:
        """A match's turn: both moves, as the match screens word them, and the sources."""
        scenario = self.session.loaded.scenario
        as_of = self.session.point.date if self.session.point is not None else None
        yield from block_widgets(self.blocks or [])
        if self.citations:
            listing = joined(("Read a source at the quoted passage:", "bold"))
            for number, citation in enumerate(self.citations, start=1):
                listing.append_text(joined("\n", (f"  {number} ", "bold reverse"), " "))
                listing.append_text(joined(attribution(scenario, citation.source, as_of)))
            yield Static(listing, classes="block", id="citations")

    def hint(self) -> str:
        """The keys beside the button: the citations and the folded disputes."""
        parts = []
        if self.citations:
            last = len(self.citations)
            parts.append(f"{'1' if last == 1 else f'1–{last}'}: open a source")
        found = self.outcome
        if found is not None and found.disputes:
            count = sum(isinstance(b, Bullets) for b in found.disputes)
            parts.append(f"d: sources disagree ({count})")
        elif found is not None and found.repeated:
            parts.append("disputes shown earlier; all in the debrief")
        return " · ".join(parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer d only where there are disputes to unfold."""
        if action == "disputes":
            return self.outcome is not None and bool(self.outcome.disputes)
        return True

    def action_disputes(self) -> None:
        """Unfold (or fold) the disputes new to this round, and show them."""
        found = self.query("#disputes").results(Vertical)
        disputes = next(found, None)
        if disputes is not None:
            disputes.display = not disputes.display
            if disputes.display:
                self.call_after_refresh(disputes.scroll_visible, top=True, animate=False)

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
