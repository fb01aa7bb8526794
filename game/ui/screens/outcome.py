"""After a decision: the consequences, the other side's reaction, and what actually happened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.model import Citation
from game.engine.session import Session, Step
from game.ui.literal import joined, literal
from game.ui.screens.base import GameScreen
from game.ui.widgets.record import citation_text, contested_text, history_text


class OutcomeScreen(GameScreen):
    """Shows what a decision led to; Enter continues to the next decision or the ending."""

    BINDINGS = [
        Binding("enter", "continue", "Continue", priority=True),
        Binding("s", "app.sources", "Sources"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(self, session: Session, step: Step, reveal: bool) -> None:
        super().__init__()
        self.session = session
        self.step = step
        self.reveal = reveal
        self.citations: list[Citation] = []

    def compose(self) -> ComposeResult:
        scenario = self.session.loaded.scenario
        step = self.step
        yield from self.compose_notice()
        yield Static(joined((" What follows: ", "bold"), step.point.title), id="heading")
        with VerticalScroll(id="outcome"):
            yield Static(joined(("You decided: ", "bold"), step.choice.label), classes="block")
            yield Static(literal(step.choice.consequence), classes="block")
            for event in step.events:
                day = event.date or getattr(scenario.point_by_id.get(event.at), "date", None)
                stamp = f"{day:%d %B} · " if day else ""
                yield Static(
                    joined((f"{stamp}{event.actor}: {event.title}\n", "bold"), event.text),
                    classes="block reaction",
                )
            if self.reveal:
                yield Static("What actually happened", classes="section", markup=False)
                yield Static(history_text(scenario, step.point), classes="block history")
                for ident in step.point.contested:
                    yield Static(
                        contested_text(scenario, scenario.contested_by_id[ident]),
                        classes="block contested",
                    )
                self.citations = list(step.point.history.citations)
                if self.citations:
                    yield Static(
                        "Open a source at the quoted passage:", classes="section", markup=False
                    )
                    yield OptionList(
                        *(
                            Option(citation_text(scenario, c), id=str(n))
                            for n, c in enumerate(self.citations)
                        ),
                        id="citations",
                        markup=False,
                    )
            else:
                yield Static(
                    "What actually happened is revealed in the debrief.",
                    classes="block dim",
                    markup=False,
                )
        label = "See the ending (Enter)" if self.session.is_over else "Continue (Enter)"
        with Horizontal(id="outcome-actions"):
            yield Button(label, variant="primary", id="continue")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#continue", Button).focus()

    def action_continue(self) -> None:
        """Go on to the next decision or the ending."""
        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            self.open_citation(focused.highlighted)
            return
        self.app.after_outcome(self.session)  # type: ignore[attr-defined]

    def on_button_pressed(self) -> None:
        self.app.after_outcome(self.session)  # type: ignore[attr-defined]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_citation(event.option_index)

    def open_citation(self, index: int) -> None:
        """Open the source of citation ``index`` at the quoted passage."""
        citation = self.citations[index]
        self.app.open_sources(self.session, citation)  # type: ignore[attr-defined]
