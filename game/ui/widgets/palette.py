"""The command palette, safe from keys that arrive faster than it opens and closes.

Textual 8.2.8's palette has two ways to break a round when keys come in a burst (a quick
typist, a paste, a browser over a slow link):

- ``OptionList._move_page`` looks the highlighted command up in a line cache that is filled
  only once the list has a size: Ctrl+P then PageDown or PageUp at once raised ``KeyError``
  and ended the game;
- each Enter that reaches the palette's input after a command was chosen dismisses "the
  screen on top" again: Enter, Enter, Ctrl+P closed the palette and then the game screen
  beneath it, leaving a blank screen.

Until Textual guards both, this palette ignores a page key its list cannot act on yet, and
any Enter, selection or Escape that reaches it once it is no longer the screen on top.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandList, CommandPalette
from textual.widgets import Button, Input, OptionList

PAGE_ACTIONS = ("page_up", "page_down")


class SafePalette(CommandPalette):
    """The command palette, with page keys that wait for the list to be laid out and a
    choice that closes only itself."""

    def _action_command_list(self, action: str) -> None:
        if action in PAGE_ACTIONS:
            commands = self.query_one(CommandList)
            highlighted = commands.highlighted
            if not commands.option_count or (
                highlighted is not None and highlighted not in commands._index_to_line
            ):
                return  # not laid out yet: nothing on screen to page through
        super()._action_command_list(action)

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _only_while_on_top(
        self, event: Input.Submitted | Button.Pressed | OptionList.OptionSelected
    ) -> None:
        """A choice that reaches the palette once it has closed is dropped here, before
        :class:`CommandPalette`'s own handler would close the screen beneath it."""
        if self.app.screen is not self:
            event.prevent_default()
            event.stop()

    def _action_escape(self) -> None:
        if self.app.screen is self:
            super()._action_escape()
