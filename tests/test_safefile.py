"""Reading files from outside: whole files up to the cap, nothing else, no cap-sized buffers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.engine.base.safefile import UnsafeFile, read_regular


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 3 * 1024 * 1024 + 17])
def test_reads_every_byte_up_to_the_cap(tmp_path: Path, size: int) -> None:
    path = tmp_path / "data.bin"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_regular(path, 4 * 1024 * 1024) == data


def test_a_file_at_the_cap_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100
    with pytest.raises(UnsafeFile, match="over the 99-byte limit"):
        read_regular(path, 99)


def test_a_file_that_grows_after_it_is_opened_is_still_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.bin"
    path.write_bytes(b"a" * 10)
    real_fstat = os.fstat

    def fstat_then_grow(descriptor: int) -> os.stat_result:
        status = real_fstat(descriptor)
        with path.open("ab") as handle:  # the file grows between fstat and read
            handle.write(b"b" * 5000)
        return status

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    with pytest.raises(UnsafeFile, match="over the 1,000-byte limit"):
        read_regular(path, 1000)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeFile, match="not a regular file"):
        read_regular(fifo, 1000)


def test_a_link_is_refused_when_links_are_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert read_regular(link, 1000) == b"{}"
    with pytest.raises(UnsafeFile, match="link"):
        read_regular(link, 1000, follow_links=False)
