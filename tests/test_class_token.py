"""One teacher token for every server of a class (trial 2, F13): before, two servers on one
class folder each wrote a token of their own over ``teacher-token``, so the console and the
projector worked only against the last one started. The first server of a folder writes the
token whole and only if none is there; later ones read it. On a database the token is kept in
the class's storage."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp

from benchmarks.class_load import Served
from game.web.class_token import TOKEN_FILE, folder_token, read_token, stored_token
from tests.storage_fixtures import Opener, open_storage

__all__ = ["open_storage"]  # fixture


async def _status(base: str, token: str) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{base}/teacher/api/status", headers={"Authorization": f"Bearer {token}"}
        ) as answer,
    ):
        return answer.status


def test_two_servers_on_one_class_folder_share_the_teacher_token(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    first = Served(folder, page="html")
    try:
        token = read_token(folder)
        second = Served(folder, page="html")
        try:
            assert read_token(folder) == token  # the second read it, wrote none of its own
            for server in (first, second):
                assert asyncio.run(_status(server.base, token)) == 200
                assert asyncio.run(_status(server.base, token + "x")) == 401
        finally:
            second.stop()
    finally:
        first.stop()
    assert (folder / TOKEN_FILE).stat().st_mode & 0o777 == 0o600


def test_the_first_token_of_a_folder_stays_and_a_broken_file_is_replaced(tmp_path: Path) -> None:
    token = folder_token(tmp_path)
    assert folder_token(tmp_path) == token == read_token(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [TOKEN_FILE]  # nothing left aside
    (tmp_path / TOKEN_FILE).write_text("two words\n")
    fresh = folder_token(tmp_path)
    assert fresh != token and read_token(tmp_path) == fresh
    assert os.stat(tmp_path / TOKEN_FILE).st_mode & 0o777 == 0o600


def test_servers_of_a_stored_class_share_its_token(open_storage: Opener, tmp_path: Path) -> None:
    one, two = open_storage(), open_storage()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    token = stored_token(one, tmp_path / "a")
    assert stored_token(two, tmp_path / "b") == token
    assert read_token(tmp_path / "a") == read_token(tmp_path / "b") == token
