"""The projector page in Debian's Chromium: behind the teacher token (a form, then a cookie
good for nothing else), pseudonyms only, the class's choices at each decision, what really
happened only once the teacher reveals it to the room, updated live by its script (and by
itself without JavaScript), large type, and no axe-core violation."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from game.engine.checks.loader import LoadedScenario
from game.engine.play.session import Session
from game.engine.records.classfolder import ClassFolder
from game.reports.class_data import pseudonym
from tests.test_console import token_of
from tests.test_serve_browser import CHROMIUM, browser

__all__ = ["browser"]  # a fixture

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium")
NAMES = ("Ana Maria Lima", "Benedikt Okafor")


@pytest.fixture
def served(flagship: LoadedScenario, tmp_path: Path) -> Iterator[Served]:
    """Ana finished a round choosing as history did; Benedikt has taken two decisions."""
    folder = ClassFolder.open_or_create(tmp_path / "class", (str(flagship.path),), None)
    for name, role, turns, where in (
        (NAMES[0], "pakistan", 99, "results"),
        (NAMES[1], "pakistan", 2, "saves"),
    ):
        session = Session.start(flagship, role, player=name)
        for _ in range(turns):
            if session.point is None:
                break
            session.choose(session.point.choices[-1].id if turns == 2 else _history(session))
        store = folder.join(name).store
        target = store.results if where == "results" else store.saves
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{session.round_id}.json").write_text(json.dumps(session.to_dict()))
    server = Served(tmp_path / "class", "--grace", "2")
    yield server
    server.stop()


def _history(session: Session) -> str:
    assert session.point is not None
    return session.point.history.choice or session.point.choices[0].id


def send(served: Served, command: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A console command, as the console sends it (Playwright's own loop runs in this thread,
    so plain urllib here)."""
    request = urllib.request.Request(
        f"{served.base}/teacher/api/{command}",
        data=json.dumps(body or {}).encode(),
        headers={"Authorization": f"Bearer {token_of(served)}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        found: dict[str, Any] = json.loads(answer.read())
    return found


def sign_in(page: Any, served: Served, token: str) -> int:
    page.goto(served.base + "/teacher/projector")
    page.fill("#token", token)
    with page.expect_navigation():
        page.click("#open")
    return int(page.evaluate("performance.getEntriesByType('navigation')[0].responseStatus"))


def violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def test_the_projector_shows_pseudonyms_and_history_only_once_revealed(
    browser: Any, served: Served
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(served.base + "/teacher/projector")
    assert page.locator("#token").count() == 1  # the token first
    assert violations(page) == []
    assert sign_in(page, served, "not-the-token") == 403
    assert "not the teacher token" in page.inner_text("main")
    assert sign_in(page, served, token_of(served)) == 200
    assert [c["name"] for c in context.cookies()] == ["flashpoint_projector"]
    assert token_of(served) not in json.dumps(context.cookies())

    text = page.inner_text("main")
    for name in NAMES:
        assert name not in text and name.split()[0] not in text
        assert pseudonym(name, "") in text
    assert "not revealed yet" in text and "what happened" not in text
    assert "Answering the strike" in text and "Whether to use force" in text  # decisions 1, 2
    assert "Repairing the relationship" not in text  # Ana's later ones: Benedikt is not there
    assert float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")) >= 24
    assert violations(page) == []

    send(served, "open", {"seconds": 600, "number": 1})
    send(served, "reveal")  # decision 1, to the whole room (whatever the rounds' own policy)
    deadline = time.monotonic() + 10
    while "what happened" not in page.inner_text("main") and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # the page's script fetches it again every 2 s
    text = page.inner_text("main")
    assert "what happened" in text
    assert text.count("what happened") == 1  # decision 1, the one opened and revealed
    assert "Whether to use force" not in text  # decision 2 is not open yet
    assert re.search(r"Decision open: (9|10):\d\d left", text)
    assert violations(page) == []
    context.close()


def test_without_javascript_the_projector_refreshes_itself(browser: Any, served: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    assert sign_in(page, served, token_of(served)) == 200
    assert "Each student plays at their own pace" in page.inner_text("main")
    send(served, "pause")
    deadline = time.monotonic() + 12
    while "Paused by the teacher" not in page.inner_text("main") and time.monotonic() < deadline:
        page.wait_for_timeout(250)  # <noscript><meta http-equiv="refresh" content="5">
    assert "Paused by the teacher" in page.inner_text("main")
    context.close()
