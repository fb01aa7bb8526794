"""The teacher's console (``flashpoint teach URL --token TOKEN``): the class live, and the
controls of a lesson.

It grows from the live view (``flashpoint class --live``, which reads the class folder on the
teacher's computer) into a console that talks to the running class server with the teacher
token ``flashpoint serve`` printed: pacing (teacher- or student-paced, a decision opened with
a countdown, pause, advance the slowest, reveal to the room, end the class), seats (remove,
reset, a student's resume PIN) and pairs (pair, remove a match, a lone student against
history). It asks the server every second; a server that stops answering is shown as such
within ``TIMEOUT`` seconds and every status it last gave is marked unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from game.ui.console_client import ConsoleClient, ConsoleError, ServerGone
from game.ui.console_dialogs import Told
from game.ui.console_screen import CONTROLS, Command, ConsoleScreen, ReadNow

ASK_EVERY = 1.0


class ConsoleApp(App[Any]):
    """Asks the server for the class every second and sends the teacher's commands."""

    TITLE = "Flashpoint · teacher's console"
    CSS = """
    #pacing, #summary { padding: 0 1; height: auto; }
    #students { height: auto; max-height: 50%; }
    .-students-only #students { max-height: 100%; height: 1fr; }
    .-students-only #below { display: none; }
    #matches { height: auto; max-height: 6; }
    .heading { text-style: bold; padding: 1 1 0 1; }
    #choices { padding: 0 1; height: auto; }
    .dialog { width: 64; max-width: 100%; height: auto; border: thick $accent;
              background: $surface; padding: 1 2; }
    .section { text-style: bold; }
    .buttons { height: auto; margin-top: 1; }
    .buttons Button { margin-right: 2; }
    ModalScreen { align: center middle; }
    #students-picker { height: auto; max-height: 12; }
    """

    def __init__(self, client: ConsoleClient) -> None:
        super().__init__()
        self.client = client
        self.lesson = ConsoleScreen()
        self.last: dict[str, Any] = {}
        self.gone = ""
        """Why the server's last status is old (it stopped answering), or ''."""
        self.asking = False

    def on_mount(self) -> None:
        self.sub_title = self.client.base
        self.push_screen(self.lesson)
        self.ask()
        self.set_interval(ASK_EVERY, self.tick)

    async def on_unmount(self) -> None:
        await self.client.close()

    def tick(self) -> None:
        """Every second: ask again, unless the last question is still waiting for its answer
        (a busy server's answer is never cancelled by the next question)."""
        if not self.asking:
            self.ask()

    @work(group="status")
    async def ask(self) -> None:
        """Ask the server for the class and show it (or show that it is not answering)."""
        self.asking = True
        try:
            self.last = await self.client.status()
            self.gone = ""
        except ServerGone as error:
            if not self.gone.startswith("Server not answering"):
                self.gone = f"Server not answering: {error} since {dt.datetime.now():%H:%M:%S}"
        except ConsoleError as error:
            self.gone = f"The server refused the console: {error}"
        finally:
            self.asking = False
        self.lesson.show(self.last, self.gone)

    def on_read_now(self, message: ReadNow) -> None:
        self.ask()

    def on_command(self, message: Command) -> None:
        self.run_command(message)

    @work(group="commands")
    async def run_command(self, command: Command) -> None:
        """Send one command; say what happened; show the class as it now stands."""
        try:
            answer = await self.client.send(command.name, command.body)
        except ConsoleError as error:
            self.notify(str(error), title="Not done", severity="error", markup=False)
            return
        if "pin" in answer:
            self.push_screen(
                Told(
                    f"{answer.get('name', 'The student')}'s resume PIN",
                    f"{answer.get('pin', '')}\n\nThey type it with their name to take their "
                    "seat in another browser. It changes once used.",
                )
            )
        elif command.done:
            self.notify(command.done, markup=False)
        self.ask()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if screen is self.lesson:
            for control in CONTROLS:
                action = getattr(self.lesson, f"action_{control.action}")
                yield SystemCommand(f"{control.help} ({control.key})", control.title, action)
            yield SystemCommand(
                "Projector address",
                "Where to open the projector view (it asks for the token once)",
                self.tell_projector,
            )
        yield from super().get_system_commands(screen)

    def tell_projector(self) -> None:
        self.push_screen(
            Told(
                "Projector view",
                f"Open {self.client.base}/teacher/projector in the browser the projector "
                "shows, and type the teacher token there once (not on the projected screen's "
                "address bar). It shows pseudonyms only.",
            )
        )

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, with the game's guards (game.ui.widgets.palette)."""
        from textual.command import CommandPalette

        from game.ui.widgets.palette import SafePalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(SafePalette(id="--command-palette"))
