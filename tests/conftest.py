"""Shared fixtures: the test scenarios, the flagship, and a private data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.scenario.loaded import LoadedScenario

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FLAGSHIP = ROOT / "scenarios" / "iran-pakistan-2024.yaml"
MINI = DATA / "mini" / "strait.yaml"

DEEP = os.environ.get("FLASHPOINT_DEEP_TESTS") == "1"
"""``FLASHPOINT_DEEP_TESTS=1``: the costliest random tests run their deep counts
(docs/development.md). By default each runs a share of them (the monkey's seeded key
sequences, Hypothesis's examples) that keeps the whole suite under five minutes on two cores;
the deep run checks the same assertions on more cases, e.g. after changing the loader or the
full-screen game's keys."""


def deep_or_ci(deep: int, ci: int) -> int:
    """How many random cases a test runs: ``deep`` under ``FLASHPOINT_DEEP_TESTS=1``, else
    ``ci``."""
    return deep if DEEP else ci


def run_flashpoint(
    *args: str, cwd: Path | None = None, home: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the real ``flashpoint`` command in a fresh interpreter, as a user would."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    }
    if home is not None:
        env["FLASHPOINT_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "game.cli", *args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


class FakeClock:
    """A clock that moves forward by ``step`` seconds each time it is read."""

    def __init__(self, start: float = 1_700_000_000.0, step: float = 7.5) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture(scope="session")
def mini() -> LoadedScenario:
    return loader.load(MINI)


@pytest.fixture(scope="session")
def flagship() -> LoadedScenario:
    return loader.load(FLAGSHIP)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder, also set as FLASHPOINT_HOME for subprocesses and the CLI."""
    folder = tmp_path / "home"
    monkeypatch.setenv("FLASHPOINT_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server started for this test process (tests/pg_server.py)."""
    from tests import pg_server

    reason = pg_server.missing()
    if reason is not None:
        if pg_server.REQUIRED:
            pytest.fail(f"FLASHPOINT_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    from tests.markers import SUITE_SERVICE

    SUITE_SERVICE.append("postgresql")
    try:
        server = pg_server.start()
    finally:
        SUITE_SERVICE.clear()
    try:
        yield server.url
    finally:
        server.stop()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: two test processes per core this process may use. About a third of the
    suite's time is spent waiting on what a test started (a server's grace, a heartbeat, a
    page, a countdown); other processes run meanwhile (on 2 idle cores, a fresh clone's
    suite: 5:45 with 3 processes, 5:07 with 4). Left to pytest-xdist under
    ``PYTEST_XDIST_AUTO_NUM_WORKERS``."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return 2 * len(os.sched_getaffinity(0))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Close the process's shared Chromium once the next test does not use it
    (tests/shared_browser.py)."""
    from tests import shared_browser

    if not shared_browser.uses_browser(nextitem):
        shared_browser.close()


# --- marks: the fast subset is `python -m pytest -m "not process and not slow"` -----------

from tests.markers import _marks_are_exact, mark  # noqa: E402, F401  (an autouse fixture)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark(items)
