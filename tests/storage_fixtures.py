"""The two storage implementations as fixtures: every contract test runs on both, the class
folder (files and SQLite) and a real PostgreSQL server started for the suite."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from game.engine.records.storage import ClassStorage, open_class

KINDS = [
    pytest.param("files", id="files"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.slow),
]
_names = itertools.count()

Opener = Callable[[], ClassStorage]


@pytest.fixture(params=KINDS)
def open_storage(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], ClassStorage]]:
    """Opens the same class again each call, as another process would: the first call creates
    it. Every storage opened is closed at the end."""
    kind = str(request.param)
    url = str(request.getfixturevalue("postgres_url")) if kind == "postgresql" else None
    name = f"test-{os.getpid()}-{next(_names)}"
    opened: list[ClassStorage] = []

    def opener() -> ClassStorage:
        storage = open_class(url, tmp_path / "class", name, ("mini",), None, create=not opened)
        opened.append(storage)
        return storage

    yield opener
    for storage in opened:
        storage.close()


@pytest.fixture
def storage(open_storage: Opener) -> ClassStorage:
    return open_storage()
