"""A class-page match under the teacher's pacing in a real browser (Debian's Chromium) against a
real ``flashpoint serve --matches``: the turn waits for the teacher, the page (with JavaScript)
opens the turn by itself when the teacher opens it and shows the countdown, goes to the pause
page when the teacher pauses, and axe-core finds no violation on the match's waiting page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from game.engine.play import pacing
from game.engine.play.pacing import ClassControl
from game.engine.records import pacing_file
from tests.test_page_browser import PHONE, axe_violations
from tests.test_page_match_browser import CODE, student
from tests.test_serve_browser import browser, pytestmark

__all__ = ["browser", "pytestmark"]  # the browser fixture; skipped without Debian's chromium


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--matches", "--grace", "3", page="html")
    yield server
    server.stop()


def teach(served: Served, change: Callable[[ClassControl, float], ClassControl]) -> None:
    """The teacher's console changes the class's control (as the server writes it)."""
    pacing_file.update(served.folder, lambda control: change(control, time.time()))


def paced_pair(browser: Any, served: Served) -> tuple[Any, Any, str]:
    """Ana and Ben on phones in a teacher-paced class: Ana starts a match, Ben joins it by the
    code on her waiting page; both wait for the teacher. Their pages and the match's code."""
    teach(served, lambda c, now: pacing.set_pace(c, "teacher"))
    ana = student(browser, served, "Ana", True, PHONE)
    ana.get_by_role("button", name=re.compile("^Start a match as ")).first.click()
    ana.get_by_role("heading", name="Waiting for your teacher").wait_for()
    found = CODE.search(ana.locator("#presence").inner_text())
    assert found is not None  # the code to read out, on the waiting page too
    ben = student(browser, served, "Ben", True, PHONE)
    ben.get_by_label("The match code your classmate reads out").fill(found.group(1))
    ben.get_by_role("button", name="Join this match").click()
    ben.get_by_role("heading", name="Waiting for your teacher").wait_for()
    return ana, ben, found.group(1)


def test_a_match_page_follows_the_teacher(browser: Any, served: Served) -> None:
    ana, ben, _ = paced_pair(browser, served)
    assert axe_violations(ben) == []
    teach(served, lambda c, now: pacing.open_decision(c, 1, 120, now))
    for page in (ana, ben):  # no reload by hand: the live stream says the turn is open
        page.get_by_role("heading", name="What do you decide?").wait_for(timeout=20_000)
        assert page.locator("#countdown").count() == 1
    teach(served, pacing.pause)
    ana.get_by_role("heading", name="The class is paused").wait_for(timeout=20_000)
    ana.context.close()
    ben.context.close()
