"""A lesson in a real browser: Debian's Chromium, driven by Playwright (no browser download).

A student joins with the class code, plays a whole round by keys, reads a source, exports
the debrief (the download arrives in the browser), and the result lands in their own folder;
a second student, in a second browser context, sees none of the first one's rounds. The page
requests nothing outside the server.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.class_load import Served, drawn, first_marker
from game.engine.records.classfolder import ClassFolder
from tests.shared_browser import CHROMIUM, FLAGS, browser

__all__ = ["CHROMIUM", "FLAGS", "browser"]  # imported from here by the other browser tests
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("FLASHPOINT_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (README: Test)",
)


class Screen:
    """What the game drew in one page, read from the WebSocket frames the page received."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.raw = bytearray()
        page.on("websocket", self._attach)  # type: ignore[attr-defined]

    def _attach(self, socket: object) -> None:
        socket.on("framereceived", self._frame)  # type: ignore[attr-defined]

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.raw.extend(payload)

    def text(self) -> str:
        return drawn(bytes(self.raw))

    def wait_for(self, *markers: str, after: int = 0, seconds: float = 30) -> tuple[str, int]:
        deadline = time.monotonic() + seconds
        while True:
            text = self.text()
            if (found := first_marker(text, markers, after)) is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"never drew {markers!r}; last {text[-300:]!r}")
            self.page.wait_for_timeout(50)  # type: ignore[attr-defined]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--grace", "3")
    yield server
    server.stop()


def join(browser: object, served: Served, name: str) -> tuple[object, object, Screen, list[str]]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    screen = Screen(page)
    page.goto(served.base + "/")
    page.fill("#code", served.code.lower())  # codes are not case-sensitive
    page.fill("#name", name)
    page.click("#join")
    page.wait_for_url(served.base + "/play")
    return context, page, screen, requests


def test_a_student_plays_a_whole_round_in_the_browser(
    browser: object, served: Served, tmp_path: Path
) -> None:
    context, page, screen, requests = join(browser, served, "Ana Lima")
    keyboard = page.keyboard  # type: ignore[attr-defined]
    _, at = screen.wait_for("New round")
    screen.wait_for("q Quit")  # the page focuses the game: the footer shows its keys
    page.screenshot(path=str(tmp_path / "title.png"))  # type: ignore[attr-defined]
    keyboard.press("Enter")  # the terminal has focus from the start: no click needed
    _, at = screen.wait_for("Press Enter to start", after=at)
    keyboard.press("Enter")
    _, at = screen.wait_for("What do you decide?", after=at)
    keyboard.press("s")  # read a source
    _, at = screen.wait_for("Sources published before", after=at)
    page.screenshot(path=str(tmp_path / "source.png"))  # type: ignore[attr-defined]
    keyboard.press("Escape")
    _, at = screen.wait_for("What do you decide?", after=at)
    marker = ""
    decisions = 0
    while marker != "Debrief:":
        keyboard.press("1")
        _, at = screen.wait_for("your reasoning", after=at)
        keyboard.type("Keep it calm")
        keyboard.press("Enter")
        _, at = screen.wait_for("Continue (Enter)", "⏎ Continue", after=at)
        keyboard.press("Enter")
        marker, at = screen.wait_for("What do you decide?", "Debrief:", after=at)
        decisions += 1
        if decisions == 1:
            second_student_sees_none_of_anas_rounds(browser, served)
        assert decisions < 12
    page.screenshot(path=str(tmp_path / "debrief.png"))  # type: ignore[attr-defined]

    downloads: list[object] = []
    context.on("page", lambda popup: popup.on("download", lambda d: downloads.append(d)))  # type: ignore[attr-defined]
    page.on("download", lambda d: downloads.append(d))  # type: ignore[attr-defined]
    keyboard.press("e")
    deadline = time.monotonic() + 20
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
    assert downloads, "the debrief never arrived in the browser"
    saved = tmp_path / "debrief.html"
    downloads[0].save_as(saved)  # type: ignore[attr-defined]
    html = saved.read_text(encoding="utf-8")
    assert "Debrief" in html and "Ana Lima" in html and "Keep it calm" in html

    folder = ClassFolder.read(tmp_path / "class")
    students = {student.name: student for student in folder.students()}
    assert set(students) == {"Ana Lima", "Ben"}
    student = students["Ana Lima"]
    ben = [json.loads(p.read_text()) for p in students["Ben"].store.results.glob("*.json")]
    assert [(r["status"], r["player"]) for r in ben] == [("abandoned", "Ben")]  # tab closed
    records = [json.loads(p.read_text()) for p in student.store.results.glob("*.json")]
    assert [r["status"] for r in records] == ["finished"]
    assert records[0]["player"] == "Ana Lima"
    assert not (student.folder / "exports").exists()  # the export went to the browser only

    outside = [
        url
        for url in requests
        if not url.startswith((served.base, served.base.replace("http", "ws", 1)))
    ]
    assert outside == []
    assert any(url.endswith("/static/fonts/RobotoMono-VariableFont_wght.ttf") for url in requests)

    context.close()  # type: ignore[attr-defined]


def second_student_sees_none_of_anas_rounds(browser: object, served: Served) -> None:
    """Ben joins in a second browser context while Ana has a round saved in progress, starts
    a round of his own and closes his tab."""
    context, page, screen, _ = join(browser, served, "Ben")
    _, at = screen.wait_for("New round")
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    assert "Continue:" not in screen.text() and "Ana" not in screen.text()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    _, at = screen.wait_for("Press Enter to start", after=at)
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    screen.wait_for("What do you decide?", after=at)
    context.close()  # type: ignore[attr-defined]


def test_two_paired_students_play_a_turn_of_a_match_in_their_browsers(
    browser: object, tmp_path: Path
) -> None:
    """The teacher pairs Ana and Ben; each lands in their seat of the same match, decides,
    waits, and sees the other's move; a student the teacher did not pair can start a match
    of their own; the live view lists the match."""
    from game.engine.classroom.live import Reader

    pairs = tmp_path / "pairs.txt"
    pairs.write_text("# teacher's pairs\nAna, Ben\n")
    served = Served(
        tmp_path / "class", "--matches", "--page", "terminal", "--pairs", str(pairs), "--grace", "3"
    )
    try:
        ana, ana_page, ana_screen, _ = join(browser, served, "Ana")
        ben, ben_page, ben_screen, _ = join(browser, served, "Ben")
        _, a = ana_screen.wait_for("Press Enter to begin")
        _, b = ben_screen.wait_for("Press Enter to begin")
        assert "Pakistan's caretaker government · match" in ana_screen.text()
        assert "Iran's government · match" in ben_screen.text()
        for page, screen, at, number in (
            (ana_page, ana_screen, a, "2"),
            (ben_page, ben_screen, b, "3"),
        ):
            page.keyboard.press("Enter")  # type: ignore[attr-defined]
            _, at = screen.wait_for("What do you decide?", after=at)
            page.keyboard.press(number)  # type: ignore[attr-defined]
            _, at = screen.wait_for("your reasoning", after=at)
            page.keyboard.press("Enter")  # type: ignore[attr-defined]
        ana_screen.wait_for("Iran's government (Ben) moved", after=a)
        ben_screen.wait_for("Pakistan's caretaker government (Ana) moved", after=b)
        ana_page.screenshot(path=str(tmp_path / "match-turn.png"))  # type: ignore[attr-defined]
        cleo, _, cleo_screen, _ = join(browser, served, "Cleo")
        cleo_screen.wait_for("New match as")  # not paired: the start screen, name filled in
        live = Reader(ClassFolder.read(tmp_path / "class")).read()
        assert [(m.seats, m.turn) for m in live.matches] == [
            ({"pakistan": "Ana", "iran": "Ben"}, 2)
        ]
        for context in (ana, ben, cleo):
            context.close()  # type: ignore[attr-defined]
    finally:
        served.stop()
