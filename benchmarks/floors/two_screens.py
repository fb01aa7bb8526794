"""Floor: switching to a new trivial screen on each key (imports Textual only)."""

from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

WORDS = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India")


class Page(Screen[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text)


class Switch(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Page(WORDS[0]))

    turns = 0

    def on_key(self, event: events.Key) -> None:
        self.turns += 1
        self.switch_screen(Page(WORDS[self.turns % len(WORDS)]))


if __name__ == "__main__":
    Switch().run()
