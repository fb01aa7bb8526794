"""The "class is full" page's advice names how the class is kept (trial 2, F10): on a
database, the same ``--database`` and ``--class-name`` (the class folder there is each
server's own working folder, so "the same --class-folder" misled); on a class folder, the
same ``--class-folder``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from benchmarks.class_load import Served
from tests.test_class_caps import Browser


async def _full_page(server: Served) -> str:
    one, two = Browser("127.0.0.1"), Browser("127.0.0.1")
    try:
        assert await one.join(server, "Ana") == 303
        status, page, _ = await two.post(server.base, "/join", code=server.code, name="Ben")
        assert status == 503, page
        return " ".join(page.split())
    finally:
        await one.close()
        await two.close()


@pytest.mark.parametrize("where", ["folder", "database"])
def test_the_full_page_names_how_the_class_is_kept(
    where: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    caps = ("--max-students", "1")
    if where == "database":
        url = str(request.getfixturevalue("postgres_url"))
        kept = ("--database", url, "--class-name", f"full-{tmp_path.name}")
        server = Served(tmp_path / "work", *kept, *caps, page="html")
    else:
        server = Served(tmp_path / "class", *caps, page="html")
    try:
        page = asyncio.run(_full_page(server))
    finally:
        server.stop()
    assert "all 1 seats are taken" in page
    database = "<code>--database</code> and <code>--class-name</code>"
    if where == "database":
        assert database in page and "--class-folder" not in page
    else:
        assert "<code>--class-folder</code>" in page and database not in page
