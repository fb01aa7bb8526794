"""Head-to-head on several servers of one class: the teacher's ``--pairs`` on a shared class
folder and with ``--database`` (each pair one match, though two servers start at once with the
file, its seats kept for its two students on every server, a third server started without the
file has them too), a student's matches capped per class (requests sent to two servers at once),
and the terminal page refused with ``--database`` in words.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.class_load import Served
from game.engine.records.classfolder import ClassFolder
from game.engine.records.storage import open_class
from game.web.page.match_entry import MATCHES_PER_SEAT
from tests.test_class_caps import Browser

SERVE = (sys.executable, "-m", "game", "serve", "--class-folder")
NOWHERE = "postgresql://nobody@127.0.0.1:1/none"
MATCH_CODE = re.compile(r"Match <strong>([A-Z0-9]+)</strong>")


def test_the_terminal_page_is_refused_with_a_database_in_words(tmp_path: Path) -> None:
    done = subprocess.run(
        [*SERVE, str(tmp_path / "c"), "--page", "terminal", "--database", NOWHERE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "--page terminal cannot serve a class kept in --database" in done.stderr
    assert "Leave out --page terminal" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "c").exists()  # nothing written


async def turn_page(browser: Browser, server: Served) -> str:
    """The student's match page (redirects followed, at most a few)."""
    path = "/match"
    for _ in range(5):
        async with browser.session.get(server.base + path, allow_redirects=False) as answer:
            if answer.status != 303:
                assert answer.status == 200, await answer.text()
                return await answer.text()
            path = answer.headers["Location"]
    raise AssertionError("too many redirects")


@pytest.mark.parametrize("where", ["folder", "database"])
def test_the_teachers_pairs_hold_on_every_server_of_the_class(
    tmp_path: Path, where: str, request: pytest.FixtureRequest
) -> None:
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("Ana, Ben\nCleo, Dan\n", encoding="utf-8")
    url, name = "", f"pairs-{tmp_path.name}"
    kept: tuple[str, ...] = ("--matches",)
    if where == "folder":  # the class folder made before class (the servers keep its code)
        ClassFolder.open_or_create(tmp_path / "class", (), None)
        folders = [tmp_path / "class"] * 3
    else:
        url = request.getfixturevalue("postgres_url")
        folders = [tmp_path / f"w{n}" for n in range(3)]
        kept += ("--database", url, "--class-name", name)
    paired = (*kept, "--pairs", str(pairs))

    async def start_both() -> list[Served | BaseException]:  # at once: still one match a pair
        return await asyncio.gather(
            *(asyncio.to_thread(Served, f, *paired, page="html") for f in folders[:2]),
            return_exceptions=True,
        )

    started = asyncio.run(start_both())
    servers = [s for s in started if isinstance(s, Served)]
    try:
        assert len(servers) == 2, started
        servers.append(Served(folders[2], *kept, page="html"))  # no --pairs: the class's
        codes = asyncio.run(_paired(*servers))
    finally:
        for served in servers:
            served.stop()
    assert "4 students paired by the teacher" in "".join(servers[2].banner)
    storage = open_class(url or None, tmp_path / "class", name, create=False)
    try:
        assert sorted(s.code for s in storage.matches.summaries()) == sorted(set(codes))
    finally:
        storage.close()


async def _paired(first: Served, second: Served, third: Served) -> list[str]:
    ana, ben, cleo, eve = (Browser(f"127.0.9.{n}") for n in (41, 42, 43, 44))
    try:
        assert await ana.join(first, "Ana") == 303
        assert await ben.join(second, "Ben") == 303
        assert await cleo.join(third, "Cleo") == 303
        assert await eve.join(third, "Eve") == 303
        pages = [await turn_page(ana, first), await turn_page(ben, second)]
        codes = [MATCH_CODE.findall(page)[0] for page in pages]
        assert codes[0] == codes[1], codes  # one match, a seat for each
        cleo_code = MATCH_CODE.findall(await turn_page(cleo, third))[0]
        assert cleo_code != codes[0]
        # Eve, paired with nobody, cannot take Dan's seat kept in Cleo's match
        status, page, _ = await eve.post(third.base, "/match/join", code=cleo_code)
        assert status in (400, 429) and "Could not enter" in page, page
        return [*codes, cleo_code]
    finally:
        await asyncio.gather(*(b.close() for b in (ana, ben, cleo, eve)))


def test_a_students_matches_are_capped_per_class_across_servers(
    tmp_path: Path, postgres_url: str
) -> None:
    name = f"match-cap-{tmp_path.name}"
    database = ("--database", postgres_url, "--class-name", name, "--matches")
    first = Served(tmp_path / "w1", *database, page="html")
    try:
        second = Served(tmp_path / "w2", *database, page="html")
        try:
            asyncio.run(_one_student_many_matches(first, second))
        finally:
            second.stop()
    finally:
        first.stop()
    storage = open_class(postgres_url, None, name, create=False)
    try:
        held = [s for s in storage.matches.summaries() if "Zoe" in s.seats.values()]
        assert len(held) == MATCHES_PER_SEAT
    finally:
        storage.close()


async def _one_student_many_matches(first: Served, second: Served) -> None:
    """Eight classmates each start a match; Zoe joins (and leaves) four, one server then the
    other, then sends the last four joins at once, two to each server: one gets in."""
    servers = (first, second)
    hosts = [Browser(f"127.0.9.{n + 50}") for n in range(8)]
    zoe = Browser("127.0.9.70")
    try:
        codes = []
        for n, host in enumerate(hosts):
            assert await host.join(servers[n % 2], f"Host {n}") == 303
            status, text, _ = await host.post(servers[n % 2].base, "/match/start", seat="pakistan")
            assert status == 303, text
            codes.append(MATCH_CODE.findall(await turn_page(host, servers[n % 2]))[0])
        assert await zoe.join(first, "Zoe") == 303
        for n, code in enumerate(codes[: MATCHES_PER_SEAT - 1]):
            status, text, _ = await zoe.post(servers[n % 2].base, "/match/join", code=code)
            assert status == 303, text
            status, text, _ = await zoe.post(servers[n % 2].base, "/match/leave")
            assert status == 303, text
        answers = await asyncio.gather(
            *(
                zoe.post(servers[n % 2].base, "/match/join", code=code)
                for n, code in enumerate(codes[MATCHES_PER_SEAT - 1 :])
            )
        )
        assert Counter(status for status, _, _ in answers)[303] == 1, answers
        said = " ".join(page for status, page, _ in answers if status != 303)
        assert f"You have played {MATCHES_PER_SEAT} matches" in said or "You are playing" in said
    finally:
        await asyncio.gather(*(b.close() for b in [*hosts, zoe]))
