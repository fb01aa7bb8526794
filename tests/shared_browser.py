"""One Debian Chromium per test process, shared by the browser tests that run one after another
in it; each test gets its own browser contexts (cookies, storage, downloads), closed after it.

Launching Chromium costs about a CPU second; a new context a tenth of that. The browser is
closed as soon as the next test of the process does not use the ``browser`` fixture
(``pytest_runtest_teardown`` in conftest.py): Playwright's synchronous API marks its event loop
as running in this thread between calls, which an asyncio test must not find.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Shared:
    """The running Playwright and its Chromium, or None."""

    playwright: Any = None
    chromium: Any = None


def chromium() -> Any:
    """The process's Chromium, launched if none runs (or the last one went away)."""
    if _Shared.chromium is not None and _Shared.chromium.is_connected():
        return _Shared.chromium
    close()
    from playwright.sync_api import sync_playwright

    _Shared.playwright = sync_playwright().start()
    _Shared.chromium = _Shared.playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    return _Shared.chromium


def close() -> None:
    """Close the shared Chromium and stop Playwright, if they run."""
    shared, _Shared.chromium = _Shared.chromium, None
    driver, _Shared.playwright = _Shared.playwright, None
    if shared is not None:
        with contextlib.suppress(Exception):  # already gone: nothing left to close
            shared.close()
    if driver is not None:
        driver.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Chromium, shared with the process's other browser tests; every context this test opens
    is closed after it."""
    shared = chromium()
    yield shared
    for context in list(shared.contexts):
        with contextlib.suppress(Exception):  # the test closed it, or the browser crashed
            context.close()


def uses_browser(item: pytest.Item | None) -> bool:
    """Whether ``item`` is a test that takes the ``browser`` fixture."""
    return item is not None and "browser" in getattr(item, "fixturenames", ())
