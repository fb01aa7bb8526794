"""Choosing a role: the roles on the left, the highlighted role's briefing on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.scenario.loaded import LoadedScenario
from game.ui.literal import joined, literal
from game.ui.messages import RoleChosen
from game.ui.screens.base import STYLES, GameScreen, scroll_page
from game.ui.widgets.footer import KeyFooter


class RoleScreen(GameScreen):
    """Pick a role and, optionally, type a name; Enter on a role starts the round."""

    CSS_PATH = [STYLES / "role.tcss"]

    BINDINGS = [
        Binding("pageup", "scroll_briefing(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_briefing(1)", "Scroll down", show=False, priority=True),
        Binding("enter", "start", "Start"),
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
            briefing = VerticalScroll(id="briefing-box")
            briefing.can_focus = False  # Tab goes between the roles and the name, where Enter
            with briefing:  # starts; PageUp and PageDown scroll the briefing from either
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
        text = joined((role.name, "bold"), ("   Press Enter to start.", "dim"))
        if role.objectives:  # first: on a small terminal they stay above the fold
            text.append("\n\nObjectives\n", style="bold")
            for objective in role.objectives:
                text.append_text(joined(f"• {objective}\n"))
        text.append_text(joined("\n" if role.objectives else "\n\n", role.briefing))
        self.query_one("#briefing", Static).update(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.show_briefing(event.option_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        name = self.query_one("#player", Input).value
        self.post_message(RoleChosen(self, self.loaded, event.option_id or "", name))

    def on_input_submitted(self) -> None:
        """Enter in the name field starts the round with the highlighted role."""
        roles = self.query_one("#roles", OptionList)
        roles.focus()
        roles.action_select()

    def action_start(self) -> None:
        """Enter, wherever the focus is: start with the highlighted role."""
        self.on_input_submitted()

    def action_scroll_briefing(self, pages: int) -> None:
        """Scroll the briefing by a page, whatever has focus."""
        scroll_page(self.query_one("#briefing-box", VerticalScroll), pages)
