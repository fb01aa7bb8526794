"""The console's head-to-head commands against a real class server with --matches: pair and
re-pair students, a lone student against history, remove a match, through the API and by
keys (Pilot)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from benchmarks.class_load import Served, Student, loopback
from game.ui.console import ConsoleApp
from game.ui.console_client import ConsoleClient, ConsoleError
from tests.test_console import token_of, until
from tests.ui_helpers import screen_lines


def test_the_console_pairs_students_seats_one_with_history_and_removes_matches(
    tmp_path: Path,
) -> None:
    """With --matches: pair Ana and Ben (their seats kept for them), re-pair Ana with Chloé
    (the old match goes, Ben is unpaired), seat Dara alone against history, remove a match;
    the match file and pairs.json say the same as the console's answers."""
    from game.engine.records.matches import MatchStore

    folder = tmp_path / "class"
    served = Served(folder, "--matches", "--page", "terminal", "--grace", "2")

    async def lesson() -> None:
        students = [
            Student(served.base, name, address=loopback(n))
            for n, name in enumerate(("Ana", "Ben", "Chloé", "Dara"))
        ]
        client = ConsoleClient(served.base, token_of(served))
        try:
            for student in students:
                assert await student.join(served.code) == 303
            ident = {s["name"]: s["id"] for s in (await client.status())["students"]}
            first = await client.send("pair", {"students": [ident["Ana"], ident["Ben"]]})
            assert sorted(first["seats"].values()) == ["Ana", "Ben"]
            second = await client.send("pair", {"students": [ident["Ana"], ident["Chloé"]]})
            alone = await client.send("solo", {"student": ident["Dara"]})
            assert list(alone["seats"].values()) == ["Dara"]
            pairs = json.loads((folder / "pairs.json").read_text())
            assert {k: v[0] for k, v in pairs.items()} == {
                ident["Ana"]: second["match"],
                ident["Chloé"]: second["match"],
                ident["Dara"]: alone["match"],
            }
            store = MatchStore(folder / "matches.sqlite")
            try:
                codes = {m.code for m in store.summaries()}
            finally:
                store.close()
            assert codes == {second["match"], alone["match"]}  # Ana and Ben's went
            removed = await client.send("remove-match", {"match": alone["match"]})
            assert removed["unpaired"] == [ident["Dara"]]
            with pytest.raises(ConsoleError, match="two different students"):
                await client.send("pair", {"students": [ident["Ana"], ident["Ana"]]})
            status = await client.status()
            assert [m["code"] for m in status["matches"]] == [second["match"]]
        finally:
            await client.close()
            for student in students:
                await student.close()

    try:
        asyncio.run(lesson())
    finally:
        served.stop()


async def test_pairing_and_removing_a_match_by_keys(tmp_path: Path) -> None:
    served = Served(tmp_path / "class", "--matches", "--page", "terminal", "--grace", "2")
    students = [Student(served.base, n, address=loopback(i)) for i, n in enumerate(("Ana", "Ben"))]
    try:
        for student in students:
            assert await student.join(served.code) == 303
        app = ConsoleApp(ConsoleClient(served.base, token_of(served)))
        async with app.run_test(size=(80, 24)) as pilot:

            def shown() -> str:
                return "\n".join(screen_lines(app))

            assert await until(lambda: "Ben" in shown(), app.refresh)
            await pilot.press("m")  # pair the selected student (Ana) with...
            await pilot.pause()
            assert "Pair Ana with:" in shown()
            await pilot.press("enter")  # ... the one offered: Ben
            assert await until(lambda: bool(app.lesson.status.get("matches")), app.refresh)
            assert await until(lambda: "Ana" in shown() and "waiting" in shown(), app.refresh)
            await pilot.press("d", "y")  # remove the selected match
            assert await until(lambda: not app.lesson.status.get("matches"), app.refresh)
            await pilot.press("q")
    finally:
        for student in students:
            await student.close()
        served.stop()
