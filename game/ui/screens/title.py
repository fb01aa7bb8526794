"""The title screen: scenarios to start and saved rounds to continue or delete."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.base.text import long_date, short_date
from game.engine.records.catalog import Listing
from game.engine.records.finished import Finished
from game.engine.records.store import SavedRound
from game.ui.literal import joined, literal
from game.ui.messages import (
    FinishedRoundPicked,
    SavedRoundDeleted,
    SavedRoundPicked,
    ScenarioPicked,
)
from game.ui.screens.base import GameScreen
from game.ui.widgets.footer import KeyFooter

LOGO = "F L A S H P O I N T"
TAGLINE = "Play a real crisis, decision by decision, then see what actually happened."
ENTER_HINT = "Arrows choose a line; Enter starts or continues it."


def describe(saved: SavedRound) -> str:
    """A saved round in one line: who, where in the crisis, how far, when it was saved."""
    who = f" · {saved.player}" if saved.player else ""
    made = f"{saved.decisions} decision{'s' if saved.decisions != 1 else ''} made"
    at = ""
    if saved.date:
        try:
            at = f" · at {long_date(dt.date.fromisoformat(saved.date))}"
        except ValueError:
            at = ""
    stamp = dt.datetime.fromtimestamp(saved.updated)
    when = f"{short_date(stamp)} {stamp:%H:%M}"
    return f"as {saved.role_name}{who}{at} · {made} · saved {when}"


class TitleScreen(GameScreen):
    """Lists what can be played; tells the app what the student picks."""

    AUTO_FOCUS = "#menu"
    BINDINGS = [
        Binding("d", "delete", "Delete round"),
        Binding("delete", "delete", "Delete round", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(
        self,
        listings: list[Listing],
        saved: list[SavedRound],
        warnings: list[str],
        finished: list[Finished] | None = None,
    ) -> None:
        super().__init__()
        self.listings = listings
        self.saved = saved
        self.warnings = warnings
        self.finished = finished or []
        """Rounds the student finished: their debriefs can be read (and exported) again."""

    def compose(self) -> ComposeResult:
        yield from self.compose_notice()
        with Vertical(id="title-box"):
            yield Static(LOGO, id="logo", markup=False)
            yield Static(TAGLINE, id="tagline", markup=False)
            yield OptionList(*self._options(), id="menu", markup=False)
            yield Static(ENTER_HINT, id="enter-hint", markup=False)
            for warning in self.warnings:
                yield Static(literal(warning, "yellow"), classes="warning")
        yield KeyFooter()

    def populate(self) -> None:
        """Focus the menu: as the app's first screen, this screen is resumed before it is
        composed, so Textual's ``AUTO_FOCUS`` finds nothing to focus yet."""
        self.query_one("#menu").focus()

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
            prompt = joined(
                ("Continue: ", "bold"), saved.scenario_title, (f"\n  {describe(saved)}", "dim")
            )
            options.append(Option(prompt, id=f"continue:{number}"))
        if self.finished:
            options.append(None)
        for number, done in enumerate(self.finished):
            stamp = dt.datetime.fromtimestamp(done.finished)
            who = f" · {done.player}" if done.player else ""
            when = f"finished {short_date(stamp)} {stamp:%H:%M}"
            prompt = joined(
                ("Debrief: ", "bold"),
                done.scenario_title,
                (f"\n  as {done.role_name}{who} · {when}", "dim"),
            )
            options.append(Option(prompt, id=f"debrief:{number}"))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, number = (event.option_id or "").partition(":")
        if kind == "new":
            self.post_message(ScenarioPicked(self, self.listings[int(number)].path))
        elif kind == "continue":
            self.post_message(SavedRoundPicked(self, self.saved[int(number)]))
        elif kind == "debrief":
            self.post_message(FinishedRoundPicked(self, self.finished[int(number)]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Delete round" only when there is a saved round to delete."""
        return bool(self.saved) if action == "delete" else True

    def action_delete(self) -> None:
        """Delete the highlighted saved round (the app asks first)."""
        menu = self.query_one(OptionList)
        if menu.highlighted is None:
            return
        kind, _, number = (menu.get_option_at_index(menu.highlighted).id or "").partition(":")
        if kind == "continue":
            self.post_message(SavedRoundDeleted(self, self.saved[int(number)]))
        else:
            self.notify("Highlight a saved round to delete it.", markup=False)
