"""A head-to-head pair with JavaScript in a real browser (Debian's Chromium) against a real
``flashpoint serve --matches`` under the teacher's pacing (trial 2, F2): once their turn is
played both students read its outcome until the teacher opens the next decision, and the
outcome page's live stream keeps both seats present in the match file all that while (the
partner and the console never see them as gone); a closed tab is gone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from game.engine.play import pacing
from game.engine.records.matches import GONE_AFTER, MatchStore
from tests.test_page_match_browser import move, outcome
from tests.test_page_match_pacing_browser import paced_pair, teach
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
    ana, ben, code = paced_pair(browser, served)
    teach(served, lambda c, now: pacing.open_decision(c, 1, 120, now))
    for page in (ana, ben):
        move(page)
    for page in (ana, ben):
        outcome(page)
    time.sleep(2 * GONE_AFTER)  # the class discusses; nobody touches a page
    assert presence(served, code) == {"pakistan": "here", "iran": "here"}
    assert "has left the match" not in ana.content()
    ben.context.close()  # a tab closed on the outcome page: gone
    for _ in range(100):  # its heartbeat stops with its stream (20 s at most)
        if presence(served, code)["iran"] == "gone":
            break
        time.sleep(0.2)
    assert presence(served, code)["iran"] == "gone"
    ana.context.close()
