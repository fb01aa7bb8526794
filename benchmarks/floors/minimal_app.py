"""Floor: a Textual app with one Static widget (imports Textual only)."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Floor ready")


if __name__ == "__main__":
    Minimal().run()
