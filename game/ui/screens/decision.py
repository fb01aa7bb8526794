"""The decision screen: the situation, the indicators and ladder, the timeline and the choices."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.base.text import long_date
from game.engine.play.playing import Playing
from game.engine.play.session import Fired
from game.engine.scenario.variants import Title
from game.reports.document import Bullets
from game.reports.outcome_blocks import situation_dispute_blocks
from game.reports.round_blocks import event_block, situation_blocks
from game.ui.literal import joined
from game.ui.messages import ChoicePicked
from game.ui.pacing import PaceLine
from game.ui.render import block_widgets, ends_kept, paragraph_text
from game.ui.screens.base import LEAVING_KEYS, READING_KEYS, STYLES, GameScreen, scroll_page
from game.ui.widgets.footer import KeyFooter
from game.ui.widgets.panels import IndicatorPanel, LadderPanel, StatusLine, TimelinePanel

NUMBER_KEYS = [Binding(str(n), f"pick({n - 1})", f"Choice {n}", show=False) for n in range(1, 10)]
NARROW = 100
"""Below this width the side panel gives way to a one-line status (``i`` shows it)."""
WIDE = 150
"""From this width the side panel widens and the situation keeps a reading column."""


class DecisionScreen(GameScreen):
    """Shows the current decision point of a session and tells the app the student's pick."""

    CSS_PATH = [STYLES / "decision.tcss", STYLES / "record.tcss"]

    BINDINGS = [
        *NUMBER_KEYS,
        Binding("pageup", "scroll_situation(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_situation(1)", "Scroll down", show=False, priority=True),
        Binding("i", "toggle_side", "Indicators"),
        Binding("d", "disputes", "Disputes"),
        Binding("v", "toggle_variables", "Variables"),
        *READING_KEYS,
        *LEAVING_KEYS,
    ]

    def __init__(self, session: Playing, note: str = "") -> None:
        super().__init__()
        self.session = session
        self.note = note
        """A line under the heading (a match's turn, code and opponent)."""
        self.unfolds = False
        """Whether the situation carries disputes for d to unfold."""

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        yield Static(id="heading")
        if self.note:
            yield Static(self.note, id="match-note", markup=False)
        yield StatusLine(id="status")
        yield PaceLine(id="pace")
        with Horizontal(id="decision-body"):
            with Vertical(id="main"):
                with VerticalScroll(id="situation"):
                    yield Static(id="developments", classes="reaction")
                    yield Static(id="narrative")
                    yield Vertical(id="disputes")
                choices = OptionList(id="choices", markup=False)
                choices.border_title = "What do you decide?"  # on the rule: one row, not two
                yield choices
            with VerticalScroll(id="side"):
                yield Static(id="variables", markup=False)
                yield Static("Indicators", classes="section", markup=False)
                yield IndicatorPanel(id="indicators")
                yield Static("Escalation ladder", classes="section", markup=False)
                yield LadderPanel(id="ladder")
                yield Static("Timeline", classes="section", markup=False)
                yield TimelinePanel(id="timeline")
        yield KeyFooter()

    def populate(self) -> None:
        self.refresh_view()

    def check_size(self) -> None:
        super().check_size()
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.set_class(self.app.size.width >= WIDE, "-wide")

    def refresh_view(self) -> None:
        """Render the session's current point (after a decision, or on resume)."""
        point = self.session.point
        if point is None:
            return
        scenario = self.session.loaded.scenario
        phase = scenario.phase_by_id[point.phase].name
        role = scenario.role_by_id[self.session.role].name
        self.query_one("#heading", Static).update(
            ends_kept(
                joined(
                    (f" {long_date(point.date)} · ", "bold"),
                    (self.session.words(Title(point)), "bold"),
                    f" · {phase}",  # last: cut first on a narrow terminal
                ),
                joined((f"  {role} ", "dim")),
            )
        )
        self.show_developments(self.show_disputes())
        self.query_one("#narrative", Static).update(
            Text("\n\n").join(
                paragraph_text(block) for block in situation_blocks(point, self.session.words)
            )
        )
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(
            Option(joined((f"{n}. ", "bold"), self.session.words(choice)), id=choice.id)
            for n, choice in enumerate(point.choices, start=1)
        )
        choices.highlighted = 0
        choices.focus(scroll_visible=False)
        self.query_one("#situation", VerticalScroll).scroll_home(animate=False)
        self.query_one(StatusLine).show(self.session)
        self.query_one(IndicatorPanel).show(self.session)
        self.query_one(LadderPanel).show(self.session)
        self.query_one(TimelinePanel).show(self.session)
        self.show_variables()

    def show_variables(self) -> None:
        """For an author's test round, everything conditions can read, when asked for."""
        box = self.query_one("#variables", Static)
        box.display = self.session.test and self.has_class("-variables")
        if not box.display:
            return
        facts = self.session.facts_so_far()
        values = ", ".join(f"{k} {v}" for k, v in self.session.indicators.items())
        box.update(
            "\n".join(
                [
                    "Test round: nothing is saved",
                    f"Indicators: {values}",
                    f"Rung: {self.session.rung}",
                    *(
                        f"{name.capitalize()}: {', '.join(found) or '-'}"
                        for name, found in facts.items()
                    ),
                ]
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the variables view only in an author's test round, d only where the
        situation carries disputes."""
        if action == "disputes":
            return self.unfolds
        return self.session.test if action == "toggle_variables" else True

    def action_toggle_variables(self) -> None:
        """Show or hide what conditions can read (test rounds only)."""
        self.toggle_class("-variables")
        self.show_variables()

    def show_developments(self, disputed: int = 0) -> None:
        """The other side's and the world's moves on arrival at this point, with a word on
        the ``disputed`` facts they bear on (folded behind d)."""
        scenario = self.session.loaded.scenario
        events = {e.id: e for e in scenario.events}
        arrived = [
            events[e.event]
            for e in self.session.entries
            if isinstance(e, Fired) and e.at == self.session.node
        ]
        box = self.query_one("#developments", Static)
        box.display = bool(arrived)
        words = self.session.words
        text = Text("\n").join(paragraph_text(event_block(scenario, e, words)) for e in arrived)
        if disputed:
            text.append(
                f" Sources disagree on {disputed} point{'s' * (disputed != 1)} (d).", "bold"
            )
        box.update(text)

    def show_disputes(self) -> int:
        """The disputes the situation carries (the opening moves'), folded behind d; how
        many."""
        point = self.session.point
        scenario = self.session.loaded.scenario
        found = (
            []
            if point is None
            else situation_dispute_blocks(
                scenario, self.session.entries, point, self.session.preset
            )
        )
        box = self.query_one("#disputes", Vertical)
        box.display = False
        box.remove_children()
        if found:
            box.mount(*block_widgets(found))
        self.unfolds = bool(found)
        self.refresh_bindings()
        return sum(isinstance(block, Bullets) for block in found)

    def action_disputes(self) -> None:
        """Unfold (or fold) the situation's disputes, and show them."""
        box = self.query_one("#disputes", Vertical)
        if self.unfolds:
            box.display = not box.display
            if box.display:
                self.call_after_refresh(box.scroll_visible, top=True, animate=False)

    def action_pick(self, index: int) -> None:
        """Highlight choice ``index`` and ask the app to confirm it."""
        point = self.session.point
        if point is not None and 0 <= index < len(point.choices):
            self.query_one("#choices", OptionList).highlighted = index
            self.post_message(ChoicePicked(self, point.id, point.choices[index].id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)

    def action_scroll_situation(self, pages: int) -> None:
        """Scroll the situation by a page, whatever has focus."""
        scroll_page(self.query_one("#situation", VerticalScroll), pages)

    def action_toggle_side(self) -> None:
        """On a narrow terminal, switch between the situation and the indicators panel."""
        self.toggle_class("-show-side")
        if self.has_class("-show-side"):
            self.query_one("#side", VerticalScroll).focus()
        else:
            self.query_one("#choices", OptionList).focus()
