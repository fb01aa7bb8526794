"""The decision screen: the situation, the indicators and ladder, the timeline and the choices."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.session import Fired, Session
from game.ui.literal import joined, literal
from game.ui.screens.base import GameScreen
from game.ui.widgets.panels import IndicatorPanel, LadderPanel, TimelinePanel

NUMBER_KEYS = [Binding(str(n), f"pick({n - 1})", f"Choice {n}", show=False) for n in range(1, 6)]


class DecisionScreen(GameScreen):
    """Shows the current decision point of a session and takes the student's choice."""

    BINDINGS = [
        *NUMBER_KEYS,
        Binding("s", "app.sources", "Sources"),
        Binding("n", "app.notes", "Notes"),
        Binding("m", "app.map", "Map"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        yield Static(id="heading")
        with Horizontal(id="decision-body"):
            with VerticalScroll(id="situation"):
                yield Static(id="developments", classes="reaction")
                yield Static(id="narrative")
                yield Static("What do you decide?", classes="section", markup=False)
                yield OptionList(id="choices", markup=False)
            with VerticalScroll(id="side"):
                yield Static("Indicators", classes="section", markup=False)
                yield IndicatorPanel(id="indicators")
                yield Static("Escalation ladder", classes="section", markup=False)
                yield LadderPanel(id="ladder")
                yield Static("Timeline", classes="section", markup=False)
                yield TimelinePanel(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def refresh_view(self) -> None:
        """Render the session's current point (after a decision, or on resume)."""
        point = self.session.point
        if point is None:
            return
        scenario = self.session.loaded.scenario
        phase = scenario.phase_by_id[point.phase].name
        role = scenario.role_by_id[self.session.role].name
        self.query_one("#heading", Static).update(
            joined(
                (f" {point.date:%d %B %Y}", "bold"),
                f" · {phase} · ",
                (point.title, "bold"),
                (f"   ({role})", "dim"),
            )
        )
        self.show_developments()
        self.query_one("#narrative", Static).update(literal(point.narrative))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(
            Option(joined((f"{n}. ", "bold"), choice.label), id=choice.id)
            for n, choice in enumerate(point.choices, start=1)
        )
        choices.highlighted = 0
        choices.focus(scroll_visible=False)
        self.query_one("#situation", VerticalScroll).scroll_home(animate=False)
        self.query_one(IndicatorPanel).show(self.session)
        self.query_one(LadderPanel).show(self.session)
        self.query_one(TimelinePanel).show(self.session)

    def show_developments(self) -> None:
        """The other side's and the world's moves on arrival at this point."""
        scenario = self.session.loaded.scenario
        events = {e.id: e for e in scenario.events}
        arrived = [
            events[e.event]
            for e in self.session.entries
            if isinstance(e, Fired) and e.at == self.session.node
        ]
        box = self.query_one("#developments", Static)
        box.display = bool(arrived)
        text = Text("\n").join(
            joined(
                (f"{event.date:%d %B} · " if event.date else "", "bold"),
                (f"{event.actor}: {event.title}\n", "bold"),
                event.text,
            )
            for event in arrived
        )
        box.update(text)

    def action_pick(self, index: int) -> None:
        """Highlight choice ``index`` and ask for confirmation."""
        choices = self.session.choices
        if 0 <= index < len(choices):
            self.query_one("#choices", OptionList).highlighted = index
            self.app.confirm_choice(self.session, choices[index])  # type: ignore[attr-defined]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option_index)
