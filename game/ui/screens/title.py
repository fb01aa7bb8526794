"""The title screen: bundled scenarios to start and saved rounds to continue."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.catalog import Listing
from game.engine.store import SavedRound
from game.ui.literal import joined, literal
from game.ui.screens.base import GameScreen

LOGO = "F L A S H P O I N T"
TAGLINE = "Play a real crisis, decision by decision, then see what actually happened."


class TitleScreen(GameScreen):
    """Lists what can be played; the app starts or resumes what the student picks."""

    BINDINGS = [("q", "app.quit_game", "Quit"), ("question_mark", "app.help", "Help")]

    def __init__(
        self, listings: list[Listing], saved: list[SavedRound], warnings: list[str]
    ) -> None:
        super().__init__()
        self.listings = listings
        self.saved = saved
        self.warnings = warnings

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        with Vertical(id="title-box"):
            yield Static(LOGO, id="logo", markup=False)
            yield Static(TAGLINE, id="tagline", markup=False)
            yield OptionList(*self._options(), id="menu", markup=False)
            for warning in self.warnings:
                yield Static(
                    literal(f"Set aside a damaged save: {warning}", "yellow"), classes="warning"
                )
        yield Footer()

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for number, listing in enumerate(self.listings):
            roles = ", ".join(name for _, name in listing.roles)
            prompt = joined(
                ("New round: ", "bold"),
                (listing.title, "bold"),
                f"\n  {listing.summary}\n",
                (f"  Roles: {roles} · about {listing.minutes} minutes", "dim"),
            )
            options.append(Option(prompt, id=f"new:{number}"))
        if self.saved:
            options.append(None)
        for number, saved in enumerate(self.saved):
            who = f" · {saved.player}" if saved.player else ""
            prompt = joined(
                ("Continue: ", "bold"),
                saved.scenario_title,
                (f"\n  as {saved.role}{who} · {saved.decisions} decision(s) made", "dim"),
            )
            options.append(Option(prompt, id=f"continue:{number}"))
        return options

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, number = (event.option_id or "").partition(":")
        if kind == "new":
            self.app.choose_role(self.listings[int(number)].path)  # type: ignore[attr-defined]
        elif kind == "continue":
            self.app.resume_round(self.saved[int(number)])  # type: ignore[attr-defined]
