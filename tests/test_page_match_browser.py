"""Head-to-head on the HTML class page in a real browser (Debian's Chromium, Playwright), against
a real ``flashpoint serve --matches`` process: a turn of a match with and without JavaScript, on
a laptop (1280x800) and a phone (360x640) — one student starts a match, the other joins by
typing its code and pressing Enter, both move, each sees the turn's outcome with both moves —
and axe-core finds no WCAG 2.1 AA violation on the match's turn and waiting pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from tests.test_page_browser import LAPTOP, PHONE, axe_violations, fits, shot
from tests.test_serve_browser import browser, pytestmark

__all__ = ["browser", "pytestmark"]  # the browser fixture; skipped without Debian's chromium
CODE = re.compile(r"Match ([A-Z0-9]{4,12}), turn")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--matches", "--grace", "3", page="html")
    yield server
    server.stop()


def student(browser: Any, served: Served, name: str, js: bool, size: dict[str, int]) -> Any:
    """A new browser of a student who joined the class; it lands on the head-to-head page."""
    context = browser.new_context(viewport=size, java_script_enabled=js)
    page = context.new_page()
    page.goto(served.base + "/")
    page.get_by_label("Class code").fill(served.code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the class").click()
    page.get_by_role("heading", name=re.compile("^Head-to-head")).wait_for()
    return page


def move(page: Any) -> None:
    """Take the first choice of the turn on screen and confirm it with a reason."""
    page.get_by_role("heading", name="What do you decide?").wait_for()
    page.locator("form.choices button").first.click()
    page.get_by_role("heading", name="Confirm your move").wait_for()
    page.get_by_label("Your reason (optional, one line)").fill("a calm answer")
    page.get_by_role("button", name="Confirm this move").click()


def outcome(page: Any) -> None:
    """Wait for the turn's outcome: by the live stream with a script, else by the waiting
    page's own refresh (every 5 s)."""
    heading = page.get_by_role("heading", name=re.compile("the outcome$"))
    heading.wait_for(timeout=20_000)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1280x800", "360x640"])
def test_a_match_turn_on_the_class_page(
    browser: Any, served: Served, js: bool, size: dict[str, int]
) -> None:
    ana = student(browser, served, "Ana Lima", js, size)
    assert ana.get_by_label("Your name").count() == 0  # the class seat's name, never typed
    ana.get_by_role("button", name=re.compile("^Start a match as ")).first.click()
    ana.get_by_role("heading", name="The situation").wait_for()
    found = CODE.search(ana.locator("#presence").inner_text())
    assert found is not None
    assert fits(ana)
    ben = student(browser, served, "Ben", js, size)
    ben.get_by_label("The match code your classmate reads out").fill(found.group(1).lower())
    ben.get_by_label("The match code your classmate reads out").press("Enter")
    ben.get_by_role("heading", name="The situation").wait_for()
    assert "(Ana Lima)" in ben.locator("#presence").inner_text()
    move(ana)
    ana.get_by_role("heading", name=re.compile("^Waiting for ")).wait_for()
    assert ana.get_by_text("Your move is sealed").count() == 1
    move(ben)
    for page, other in ((ben, "Ana Lima"), (ana, "Ben")):
        outcome(page)
        assert page.get_by_text(f"({other}) moved").count() == 1
        assert page.get_by_text("You chose:").count() == 1
        assert page.get_by_text("a calm answer").count() == 1
        assert fits(page)
    ana.get_by_role("link", name="Go on to turn 2").click()
    ana.get_by_role("heading", name="What do you decide?").wait_for()
    ana.context.close()
    ben.context.close()


def test_axe_finds_no_violation_on_the_match_pages(browser: Any, served: Served) -> None:
    checked: dict[str, list[str]] = {}
    ana = student(browser, served, "Ana", True, PHONE)
    checked["match start"] = axe_violations(ana)
    ana.get_by_role("button", name=re.compile("^Start a match as ")).first.click()
    ana.get_by_role("heading", name="The situation").wait_for()
    checked["match turn, nobody joined yet"] = axe_violations(ana)
    found = CODE.search(ana.locator("#presence").inner_text())
    assert found is not None
    ben = student(browser, served, "Ben", True, PHONE)
    ben.get_by_label("The match code your classmate reads out").fill(found.group(1))
    ben.get_by_role("button", name="Join this match").click()
    ben.get_by_role("heading", name="The situation").wait_for()
    checked["match turn"] = axe_violations(ben)
    shot(ben, "match-turn")
    tree = ben.locator("main").aria_snapshot()
    assert 'heading "What do you decide?"' in tree and "- button" in tree
    move(ana)
    ana.get_by_role("heading", name=re.compile("^Waiting for ")).wait_for()
    checked["match waiting"] = axe_violations(ana)
    shot(ana, "match-waiting")
    assert ana.get_by_role("status").count() >= 1  # the live region the stream speaks in
    move(ben)
    outcome(ana)
    checked["match outcome"] = axe_violations(ana)
    assert {kind: found for kind, found in checked.items() if found} == {}
    ana.context.close()
    ben.context.close()
