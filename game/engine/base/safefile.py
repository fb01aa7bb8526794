"""Reading files that come from outside: only regular files, never more than a cap.

Every file the game did not just write (scenarios, source documents, saves, result records,
the listing cache) is read here. A named pipe, a device or a socket is refused without
blocking (the file is opened non-blocking and checked with ``fstat`` before any read), and the
cap is enforced while reading, so a file that grows or lies about its size cannot exhaust
memory.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

MAX_SCENARIO_BYTES = 2 * 1024 * 1024
"""Largest scenario file read: the largest accepted file still validates within 5 s and 500 MB
on a 2-core machine (docs/performance.md); a generated 3,000-point scenario is 1.9 MB."""


PRIVATE_FILE = 0o600
"""The mode of every file the game keeps (saves, records, class code, rationales, sealed
moves): its owner's alone, whatever the umask allows."""
PRIVATE_FOLDER = 0o700
"""The mode of every folder the game creates for them."""
SHARED_FILE = 0o644
"""The mode of a file the user asked for by name (``-o``), as the shell would write it."""


def private_folder(path: Path) -> Path:
    """Create ``path`` and its missing parents as folders only their owner can open (an
    existing folder is left as it is); raises ``OSError``."""
    if not path.is_dir():
        if path.parent != path and not path.parent.is_dir():
            private_folder(path.parent)
        path.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    return path


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive OS lock on lock file ``path`` for the block (waits for another holder;
    every holder holds it only to read, compare and write). Windows has no advisory locks:
    the block runs unlocked there."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing drops the lock


class UnsafeFile(OSError):
    """A path that is not a regular file the game may read; ``strerror`` says why."""


def read_regular(path: Path, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of regular file ``path``; raises :class:`UnsafeFile` or ``OSError``."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if not follow_links and path.is_symlink():
            raise UnsafeFile(error.errno, "it is a link, not a file") from None
        raise
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise UnsafeFile(21, "this is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeFile(22, "it is not a regular file (a pipe, device or socket)")
        data = _read_up_to(descriptor, min(status.st_size, limit) + 1, limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise UnsafeFile(27, f"the file is over the {limit:,}-byte limit")
    return data


def _read_up_to(descriptor: int, expected: int, most: int) -> bytes:
    """At most ``most`` bytes, asking first for the ``expected`` size (one byte more than the
    file said it held, so that a file that grew is read on to the cap). Asking for the cap at
    once would allocate it for every file: 4 MiB per result record."""
    asked = expected
    chunks = [os.read(descriptor, asked)]
    total = len(chunks[0])
    while len(chunks[-1]) == asked and total < most:  # a short read is the end of the file
        asked = min(most - total, 1 << 20)
        chunks.append(os.read(descriptor, asked))
        total += len(chunks[-1])
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def links_below(root: Path, target: Path) -> Path | None:
    """The first symbolic link on the way down from folder ``root`` (itself not counted: it
    is wherever the teacher keeps the scenario) to ``target``, if any."""
    current = root
    for part in target.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None
