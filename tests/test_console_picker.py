"""The console's pairing dialog (`m`) at 80x24 with a class of thirty (trial F11): the list takes
the terminal's free rows, so a dozen names show at once, and typing filters it by name; the
arrows and Enter pick the partner, by real keys (Pilot) against a real class server."""

from __future__ import annotations

from pathlib import Path

from benchmarks.class_load import Served, Student, loopback
from game.ui.console import ConsoleApp
from game.ui.console_client import ConsoleClient
from tests.test_console import token_of, until
from tests.ui_helpers import screen_lines

NAMES = [
    "Ana", "Ben", "Cara", "Dan", "Eve", "Femi", "Gus", "Hal", "Ida", "Jon", "Kim", "Lee",
    "Max", "Nikita", "Ola", "Pip", "Quinn", "Rosa", "Sol", "Tao", "Uma", "Vic", "Wen",
    "Xan", "Yara", "Zed", "Kira", "Lia", "Mo", "Noor",
]  # fmt: skip


async def test_a_class_of_thirty_is_paired_by_typing_part_of_a_name(tmp_path: Path) -> None:
    served = Served(tmp_path / "class", "--matches", "--page", "terminal", "--grace", "2")
    students = [Student(served.base, n, address=loopback(i)) for i, n in enumerate(NAMES)]
    try:
        for student in students:  # one after another: the console lists them in this order
            assert await student.join(served.code) == 303
        app = ConsoleApp(ConsoleClient(served.base, token_of(served)))
        async with app.run_test(size=(80, 24)) as pilot:
            assert await until(
                lambda: len(app.lesson.status.get("students") or []) == 30, app.refresh
            )
            await pilot.pause()

            def listed() -> list[str]:
                """The names the dialog's list shows now (read off the screen, in its box)."""
                box = app.screen.query_one("#students-picker").region
                rows = screen_lines(app)[box.y : box.y + box.height]
                cells = [row[box.x : box.x + box.width].strip(" ▎▊").split() for row in rows]
                return [words[0] for words in cells if words and words[0] in NAMES]

            await pilot.press("m")  # pair the selected student (Ana) with...
            await pilot.pause()
            shown = "\n".join(screen_lines(app))
            assert "Pair Ana with:" in shown and "29 students" in shown
            assert listed() == NAMES[1:13]  # a dozen at once, not one or two
            await pilot.press("k", "i")
            await pilot.pause()
            assert listed() == ["Kim", "Nikita", "Kira"]
            assert "3 of 29 students" in "\n".join(screen_lines(app))
            await pilot.press("down", "down", "up")  # ... Nikita
            await pilot.press("enter")

            def paired() -> list[list[str]]:
                matches = app.lesson.status.get("matches") or []
                return [sorted((m.get("reserved") or {}).values()) for m in matches]

            assert await until(lambda: bool(paired()), app.refresh)
            assert paired() == [["Ana", "Nikita"]]
            await pilot.press("m")  # nothing typed matches: Enter picks nobody
            await pilot.press("x", "x", "x", "enter")
            await pilot.pause()
            assert "No name matches" in "\n".join(screen_lines(app))
            await pilot.press("escape", "q")
    finally:
        for student in students:
            await student.close()
        served.stop()
