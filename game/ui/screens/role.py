"""Choosing a role: the roles on the left, the highlighted role's briefing on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.loader import LoadedScenario
from game.ui.literal import joined, literal
from game.ui.messages import RoleChosen
from game.ui.screens.base import STYLES, GameScreen
from game.ui.widgets.footer import KeyFooter


class RoleScreen(GameScreen):
    """Pick a role and, optionally, type a name; Enter on a role starts the round."""

    CSS_PATH = [STYLES / "role.tcss"]

    BINDINGS = [
        ("escape", "app.title", "Back"),
        ("question_mark", "app.help", "Help"),
        ("ctrl+q", "app.quit_game", "Quit"),
    ]

    def __init__(self, loaded: LoadedScenario, name: str = "") -> None:
        super().__init__()
        self.loaded = loaded
        self.player = name

    def compose(self) -> ComposeResult:
        scenario = self.loaded.scenario
        yield from self.compose_notice()
        yield Static(literal(scenario.title, "bold"), id="screen-title")
        with Horizontal(id="role-body"):
            with Vertical(id="role-list"):
                yield Static("Choose your role", classes="section", markup=False)
                yield OptionList(
                    *(Option(literal(r.name), id=r.id) for r in scenario.roles),
                    id="roles",
                    markup=False,
                )
                yield Static("Your name (optional)", classes="section", markup=False)
                yield Input(
                    value=self.player, placeholder="for the debrief", id="player", max_length=80
                )
            with VerticalScroll(id="briefing-box"):
                yield Static(id="briefing")
        yield KeyFooter()

    def populate(self) -> None:
        roles = self.query_one("#roles", OptionList)
        roles.highlighted = 0
        roles.focus()
        self.show_briefing(self.loaded.scenario.roles[0].id)

    def show_briefing(self, role_id: str) -> None:
        """Show the briefing and objectives of ``role_id``."""
        role = self.loaded.scenario.role_by_id[role_id]
        text = joined(
            (role.name, "bold"), ("   Press Enter to start.", "dim"), "\n\n", role.briefing
        )
        if role.objectives:
            text.append("\n\nObjectives\n", style="bold")
            for objective in role.objectives:
                text.append_text(joined(f"• {objective}\n"))
        self.query_one("#briefing", Static).update(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.show_briefing(event.option_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        name = self.query_one("#player", Input).value
        self.post_message(RoleChosen(self, self.loaded, event.option_id or "", name))

    def on_input_submitted(self) -> None:
        self.query_one("#roles", OptionList).focus()
