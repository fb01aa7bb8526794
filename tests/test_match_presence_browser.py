"""A head-to-head pair with JavaScript in a real browser (Debian's Chromium) against a real
``flashpoint serve --matches`` under the teacher's pacing (trial 2, F2): once their turn is
played both students read its outcome until the teacher opens the next decision, and the
outcome page's live stream keeps both seats present in the match file all that while (the
partner and the console never see them as gone); a closed tab is gone."""

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
from game.engine.records.matches import GONE_AFTER, MatchStore
from tests.test_page_browser import PHONE
from tests.test_page_match_browser import CODE, move, outcome, student
from tests.test_serve_browser import browser, pytestmark

__all__ = ["browser", "pytestmark"]  # the browser fixture; skipped without Debian's chromium


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--matches", "--grace", "3", page="html")
    yield server
    server.stop()


def presence(served: Served, code: str) -> dict[str, str]:
    store = MatchStore(served.folder / "matches.sqlite")
    try:
        return store.presence(code)
    finally:
        store.close()


def test_a_pair_reading_an_outcome_stays_present(browser: Any, served: Served) -> None:
    def teach(change: Callable[[ClassControl, float], ClassControl]) -> None:
        pacing_file.update(served.folder, lambda control: change(control, time.time()))

    teach(lambda c, now: pacing.set_pace(c, "teacher"))
    ana = student(browser, served, "Ana", True, PHONE)
    ana.get_by_role("button", name=re.compile("^Start a match as ")).first.click()
    ana.get_by_role("heading", name="Waiting for your teacher").wait_for()
    found = CODE.search(ana.locator("#presence").inner_text())
    assert found is not None
    ben = student(browser, served, "Ben", True, PHONE)
    ben.get_by_label("The match code your classmate reads out").fill(found.group(1))
    ben.get_by_role("button", name="Join this match").click()
    ben.get_by_role("heading", name="Waiting for your teacher").wait_for()
    teach(lambda c, now: pacing.open_decision(c, 1, 120, now))
    for page in (ana, ben):
        move(page)
    for page in (ana, ben):
        outcome(page)
    time.sleep(2 * GONE_AFTER)  # the class discusses; nobody touches a page
    assert presence(served, found.group(1)) == {"pakistan": "here", "iran": "here"}
    assert "has left the match" not in ana.content()
    ben.context.close()  # a tab closed on the outcome page: gone
    for _ in range(100):  # its heartbeat stops with its stream (20 s at most)
        if presence(served, found.group(1))["iran"] == "gone":
            break
        time.sleep(0.2)
    assert presence(served, found.group(1))["iran"] == "gone"
    ana.context.close()
