"""The driver a student's game draws with in the browser (``TEXTUAL_DRIVER``, set by
:mod:`game.web.service`): textual's web driver, and the game ends when its input closes.

textual's driver stops reading when the server's pipe closes but leaves the app running: a
game whose server was killed (or crashed) went on alone, its round never recorded. Here the
end of input asks the app to exit as the server's "quit" would, so the round in progress is
recorded as left and the process ends.
"""

from __future__ import annotations

from textual import messages
from textual.drivers.web_driver import WebDriver


class ClassDriver(WebDriver):
    """textual's ``WebDriver``; the app exits when its input ends."""

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            if not self.exit_event.is_set():  # input ended, not the app: the server is gone
                self._app.post_message(messages.ExitApp())
