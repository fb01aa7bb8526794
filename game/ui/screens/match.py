"""The head-to-head screens: starting or joining a match, and waiting for the other seat."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.base.text import long_date
from game.reports.document import Block
from game.ui.literal import joined
from game.ui.messages import BriefingRead, MatchStartRequested
from game.ui.render import block_widgets
from game.ui.screens.base import LEAVING_KEYS, READING_KEYS, STYLES, GameScreen
from game.ui.widgets.footer import KeyFooter

JOIN = "join"


class MatchStartScreen(GameScreen):
    """Start a new match in a seat (the app then shows its code), or join one by its code."""

    CSS_PATH = [STYLES / "match.tcss"]
    AUTO_FOCUS = "#name, #code"  # in a class there is no name to type: the code first
    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),
        Binding("escape", "app.leave", "Leave", show=False),
    ]

    def __init__(
        self, title: str, seats: list[tuple[str, str]], name: str, fixed: bool = False
    ) -> None:
        super().__init__()
        self.scenario_title = title
        self.seats = seats
        self.player = name
        self.fixed = fixed
        """In a class, the name is the student's class seat: shown, not typed."""

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        with Vertical(id="match-box"):
            yield Static(joined(("Head-to-head: ", "bold"), self.scenario_title), id="match-title")
            yield Static(
                "Two students, one seat each. Each turn you both decide at once, then each "
                "sees the other's move.",
                markup=False,
            )
            if self.fixed:
                yield Static(joined("You play as ", (self.player, "bold"), " (your class seat)"))
            else:
                yield Static("Your name (it is how you rejoin the match)", classes="section")
                yield Input(self.player, placeholder="your name", id="name", max_length=80)
            yield Static("Match code (to join a match someone started)", classes="section")
            yield Input(placeholder="e.g. K7Q2MX", id="code", max_length=6)
            yield OptionList(
                *(Option(joined(("New match as ", ""), (n, "bold")), id=s) for s, n in self.seats),
                Option(joined(("Join the match with the code above", "bold")), id=JOIN),
                id="match-menu",
                markup=False,
            )
            yield Static("", id="start-problem", markup=False)
        yield KeyFooter()

    def show_problem(self, text: str) -> None:
        """Why the match could not be started or joined (the app says)."""
        self.query_one("#start-problem", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the code field joins the match it names (one join path: a typed code is
        never ignored); elsewhere it moves on to the menu."""
        event.stop()
        if event.input.id == "code" and event.value.strip():
            self.start(JOIN)
            return
        self.query_one("#match-menu", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.start(event.option_id or "")

    def start(self, option: str) -> None:
        """Join the typed code (``JOIN``) or start a new match in seat ``option``."""
        name = self.player if self.fixed else self.query_one("#name", Input).value.strip()
        code = self.query_one("#code", Input).value.strip().upper()
        if not name:
            self.notify("Type your name first.", markup=False)
            self.query_one("#name", Input).focus()
            return
        if option != JOIN and code:
            self.show_problem(
                f"You typed a match code ({code}): choose 'Join the match with the code above' "
                "to join it, or clear the code to start a new match."
            )
            self.query_one("#code", Input).focus()
            return
        if option == JOIN:
            if len(code) != 6:
                self.notify("Type the six-character match code first.", markup=False)
                self.query_one("#code", Input).focus()
                return
            self.post_message(MatchStartRequested(self, name, None, code))
        else:
            self.post_message(MatchStartRequested(self, name, option, None))


class WaitingScreen(GameScreen):
    """Your move is sealed; the other seat's status, until both moves are revealed."""

    CSS_PATH = [STYLES / "match.tcss"]
    BINDINGS = [
        *READING_KEYS,
        *LEAVING_KEYS,
    ]

    def __init__(
        self, heading: str, day: object, label: str, code: str, sealed: str = "Your move is sealed:"
    ) -> None:
        super().__init__()
        self.heading = heading
        self.day = day
        self.label = label
        self.code = code
        self.sealed = sealed
        """What the label is: the seat's own sealed move, or the fallback that stood for it."""

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        stamp = long_date(self.day) if self.day is not None else ""  # type: ignore[arg-type]
        yield Static(joined((f" {stamp} · ", "bold"), self.heading), id="heading")
        with Vertical(id="match-box"):
            yield Static(joined((f"{self.sealed}\n", "bold"), self.label), id="sealed")
            yield Static("", id="other-status", markup=False)
            yield Static(
                f"Match {self.code}. If you leave, rejoin with this code and your name.",
                classes="hint",
                markup=False,
            )
        yield KeyFooter()

    def show_status(self, text: str) -> None:
        """What the other seat is doing (the app polls the match and tells the screen)."""
        for box in self.query("#other-status").results(Static):  # none until composed
            box.update(text)


class BriefingScreen(GameScreen):
    """Before the first turn: what the match covers and the seat's briefing."""

    CSS_PATH = [STYLES / "match.tcss", STYLES / "record.tcss"]
    AUTO_FOCUS = "#briefing"
    BINDINGS = [
        Binding("enter", "begin", "Begin", priority=True),
        Binding("n", "app.notes", "Notes"),
        Binding("m", "app.map", "Map"),
        Binding("question_mark", "app.help", "Help"),
        Binding("escape", "app.leave", "Leave", show=False),
    ]

    def __init__(self, title: str, blocks: list[Block]) -> None:
        super().__init__()
        self.heading = title
        self.blocks = blocks

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        yield Static(joined((f" {self.heading}", "bold")), id="heading")
        with VerticalScroll(id="briefing"):
            yield from block_widgets(self.blocks)
        yield Static(" Press Enter to begin the first turn.", classes="hint", markup=False)
        yield KeyFooter()

    def action_begin(self) -> None:
        self.post_message(BriefingRead(self))
