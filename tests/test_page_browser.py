"""The HTML class page in a real browser: Debian's Chromium, driven by Playwright.

A whole round with and without JavaScript, on a laptop (1280x800) and a phone (360x640); axe-core
(bundled by axe-playwright-python: nothing is downloaded) finds no WCAG 2.1 AA violation on any
page type, light or dark; a whole round is played by reading and pressing only what the
accessibility tree exposes, and another by the keyboard alone; text at 200% loses nothing.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from game.engine.play import pacing
from game.engine.records.pacing_file import update
from tests.test_serve_browser import browser, pytestmark

__all__ = ["browser", "pytestmark"]  # the browser fixture; skipped without Debian's chromium
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 640}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLE = "Play Pakistan's caretaker government"
SHOTS = os.environ.get("FLASHPOINT_SCREENSHOTS", "")
"""A folder to keep the pages' screenshots in (for the docs), if set."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", "--grace", "3", page="html")
    yield server
    server.stop()


def student(
    browser: Any,
    served: Served,
    name: str,
    js: bool = True,
    size: dict[str, int] = LAPTOP,
    **options: Any,
) -> tuple[Any, list[str]]:
    """A new browser of a student who joined the class; its page and every URL it asked for."""
    context = browser.new_context(
        viewport=size, java_script_enabled=js, accept_downloads=True, **options
    )
    page = context.new_page()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page.goto(served.base + "/")
    page.get_by_label("Class code").fill(served.code.lower())
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the class").click()
    page.wait_for_url(served.base + "/play")
    return page, asked


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def fits(page: Any) -> bool:
    """Whether nothing sticks out sideways (no horizontal scrolling)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def play_round(page: Any, reason: str = "we keep calm") -> int:
    """Click through a whole round from the home page; the decisions made."""
    page.get_by_role("button", name=ROLE).click()
    decisions = 0
    while True:
        page.get_by_role("heading", name="What do you decide?").wait_for()
        page.locator("form.choices button").first.click()
        page.get_by_role("heading", name="Confirm your decision").wait_for()
        page.get_by_label("Your reason (optional, one line)").fill(reason)
        page.get_by_role("button", name="Confirm this decision").click()
        page.get_by_role("heading", name="What followed").wait_for()
        decisions += 1
        assert page.get_by_text("Verdict:").count() == 1
        debrief = page.get_by_role("link", name="See your debrief")
        if debrief.count():
            debrief.click()
            page.get_by_role("heading", name=re.compile("^Debrief: ")).wait_for()
            return decisions
        page.get_by_role("link", name="Continue to the next decision").click()
        assert decisions < 20


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1280x800", "360x640"])
def test_a_whole_round_on_the_class_page(
    browser: Any, served: Served, js: bool, size: dict[str, int]
) -> None:
    page, asked = student(browser, served, "Ana Lima", js=js, size=size)
    assert fits(page)
    decisions = play_round(page)
    assert decisions >= 3 and fits(page)
    assert page.get_by_text("we keep calm").count() >= 1  # the reason is in the debrief
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this debrief (HTML)").click()
    assert download.value.suggested_filename.startswith("ana-lima-")
    assert all(url.startswith(served.base) for url in asked)  # nothing from outside
    assert any("/events" in url for url in asked) == js  # live updates only with a script
    page.context.close()


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, {v['nodes'][0]['html'][:120]})"
        for v in found.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page_type(
    browser: Any, served: Served, scheme: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    checked: dict[str, list[str]] = {}

    def check(kind: str) -> None:
        checked[kind] = axe_violations(page)
        shot(page, f"{kind}-{scheme}")

    page.goto(served.base + "/")
    check("join")
    page.get_by_label("Class code").fill(served.code)
    page.get_by_label("Your name").fill("Ana")
    page.get_by_role("button", name="Join the class").click()
    check("home")
    folder = tmp_path / "class"
    update(folder, lambda c: pacing.set_pace(c, "teacher"))
    page.get_by_role("button", name=ROLE).click()
    page.get_by_role("heading", name="Waiting for your teacher").wait_for()
    check("waiting")
    update(folder, lambda c: pacing.open_decision(c, 1, 120, time.time()))
    page.reload()
    page.get_by_role("heading", name="What do you decide?").wait_for()
    check("decision")
    round_url = page.url
    for kind in ("sources", "notes", "map"):
        page.goto(f"{round_url}/{kind}")
        check(kind)
    page.goto(round_url)
    page.locator("form.choices button").first.click()
    check("confirm")
    page.get_by_role("button", name="Confirm this decision").click()
    page.get_by_role("heading", name="What followed").wait_for()
    check("outcome")
    page.get_by_role("link", name=re.compile(r"^Passage 1")).click()
    check("source")
    update(folder, lambda c: pacing.set_pace(c, "student"))
    page.goto(round_url)
    while page.get_by_role("heading", name="What do you decide?").count():
        page.locator("form.choices button").first.click()
        page.get_by_role("button", name="Confirm this decision").click()
        page.get_by_role("heading", name="What followed").wait_for()
        page.goto(round_url)
    page.get_by_role("heading", name=re.compile("^Debrief: ")).wait_for()
    check("debrief")
    context.close()
    assert {kind: found for kind, found in checked.items() if found} == {}


def tree(page: Any) -> str:
    return str(page.locator("body").aria_snapshot())


def named(role: str, snapshot: str) -> list[str]:
    """The names of every ``role`` in a snapshot (YAML strings: quotes escaped)."""
    found = re.findall(rf'- {role} "((?:[^"\\]|\\.)*)"', snapshot)
    return [name.replace('\\"', '"').replace("\\\\", "\\") for name in found]


def press(page: Any, role: str, name: str) -> None:
    """Press a control found in the accessibility tree by its role and its whole name."""
    page.get_by_role(role, name=name, exact=True).click()


def test_a_whole_round_by_the_accessibility_tree_alone(browser: Any, served: Served) -> None:
    page, _ = student(browser, served, "Bea", size=PHONE)
    seen = tree(page)
    (role,) = [name for name in named("button", seen) if name.startswith("Play Pakistan")]
    press(page, "button", role)
    decisions = 0
    while True:
        page.get_by_role("heading", name="What do you decide?").wait_for()
        seen = tree(page)
        assert 'heading "The situation"' in seen and 'heading "Indicators"' in seen
        situation = seen.split('heading "The situation"')[1].split('heading "What do you decide?"')[
            0
        ]
        assert len(situation) > 100  # the situation is text in the tree
        asked = seen.split('region "What do you decide?"')[1].split('region "Indicators"')[0]
        choices = named("button", asked)
        assert len(choices) >= 2
        press(page, "button", choices[-1] if decisions == 0 else choices[0])
        seen = tree(page)
        assert 'textbox "Your reason (optional, one line)"' in seen
        press(page, "button", "Confirm this decision")
        page.get_by_role("heading", name="What followed").wait_for()
        decisions += 1
        seen = tree(page)
        assert "Verdict:" in seen and "the game's model" in seen
        cited = [name for name in named("link", seen) if name.startswith("Passage ")]
        if cited:  # history, and the cited passage as text
            assert "What actually happened:" in seen
            press(page, "link", cited[0])
            passage = tree(page)
            assert re.search(r"- paragraph: .{80,}", passage)
            press(page, "link", "Back to the outcome")
        seen = tree(page)
        if 'link "See your debrief"' in seen:
            press(page, "link", "See your debrief")
            break
        press(page, "link", "Continue to the next decision")
        assert decisions < 20
    seen = tree(page)
    assert re.search(r'heading "Debrief: [^"]+Bea" \[level=1\]', seen)
    assert 'heading "Decision by decision"' in seen and "Not historical" in seen


def tab_to(page: Any, found: str) -> None:
    """Press Tab until ``found`` (a script of ``element``) holds for the focused element."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {found})(document.activeElement)"):
            return
    raise AssertionError(f"nothing reachable by Tab where {found}")


def focus_and_press(page: Any, name: str) -> None:
    """Tab to the control whose text starts with ``name`` and press Enter: no mouse."""
    tab_to(page, f"(element.innerText || '').trim().startsWith({name!r})")
    page.keyboard.press("Enter")


def test_a_round_played_by_the_keyboard_alone_at_200_percent_text(
    browser: Any, served: Served
) -> None:
    page, _ = student(browser, served, "Cai", size=LAPTOP)
    page.add_init_script("document.documentElement.style.fontSize = '200%'")
    page.reload()
    focus_and_press(page, ROLE)
    decisions = 0
    while True:
        page.get_by_role("heading", name="What do you decide?").wait_for()
        assert fits(page)  # text at 200%: nothing cut off sideways
        first = page.locator("form.choices button").first.inner_text()
        focus_and_press(page, first[:40])
        page.get_by_role("heading", name="Confirm your decision").wait_for()
        tab_to(page, "element.id === 'reason'")
        page.keyboard.type("typed by keyboard")
        page.keyboard.press("Enter")  # Enter in the field submits the form
        page.get_by_role("heading", name="What followed").wait_for()
        decisions += 1
        shot(page, "outcome-200-percent")
        if page.get_by_role("link", name="See your debrief").count():
            focus_and_press(page, "See your debrief")
            break
        focus_and_press(page, "Continue to the next decision")
        assert decisions < 20
    page.get_by_role("heading", name=re.compile("^Debrief: ")).wait_for()
    assert page.get_by_text("typed by keyboard").count() >= 1


def test_with_javascript_the_page_follows_the_teacher_live(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    folder = tmp_path / "class"
    update(folder, lambda c: pacing.set_pace(c, "teacher"))
    page, _ = student(browser, served, "Dara", size=PHONE)
    page.get_by_role("button", name=ROLE).click()
    page.get_by_role("heading", name="Waiting for your teacher").wait_for()
    for _ in range(4):  # a student who checks again and again keeps no stream of a page gone
        page.get_by_role("link", name="Check now").click()
        page.get_by_role("heading", name="Waiting for your teacher").wait_for()
    update(folder, lambda c: pacing.open_decision(c, 1, 8, time.time()))
    # no reload by the test: the page's script hears the teacher and loads the decision
    page.get_by_role("heading", name="What do you decide?").wait_for(timeout=30_000)
    assert page.get_by_role("timer").count() == 1
    # nobody decides: at zero the script announces it and shows history's move, labelled
    page.get_by_role("heading", name="What followed").wait_for(timeout=30_000)
    assert page.get_by_text("No move in time").count() >= 1
    assert page.get_by_text("You chose:").count() == 0
