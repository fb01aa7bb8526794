"""The class control file (:mod:`game.engine.play.pacing`'s state) in a class folder.

One writer (the class server, for the teacher's console) writes it atomically, each write
with the next :attr:`~game.engine.play.pacing.ClassControl.version`; every student's game reads it
through a :class:`ControlReader`, which reads the file again only when it changed. The file
comes from outside like any other: a damaged one is named, never trusted, and the last good
state is kept.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from game.engine.base.safefile import PRIVATE_FILE, read_regular
from game.engine.play.pacing import (
    CONTROL_FILE,
    ClassControl,
    PacingError,
    control_path,
    from_json,
    to_json,
)
from game.engine.records.store import atomic_write

MAX_CONTROL_BYTES = 256 * 1024


def read_control(class_folder: Path) -> ClassControl:
    """The class's control; a class without a control file is student-paced. Raises
    :class:`PacingError` naming the file when it cannot be read."""
    path = control_path(class_folder)
    try:
        raw = read_regular(path, MAX_CONTROL_BYTES, follow_links=False)
    except FileNotFoundError:
        return ClassControl()
    except OSError as error:
        raise PacingError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return from_json(json.loads(raw.decode("utf-8")))
    except (ValueError, RecursionError) as error:
        raise PacingError(
            f"{path}: damaged ({error.__class__.__name__}); the teacher's "
            "console writes it again at the next change"
        ) from None
    except PacingError as error:
        raise PacingError(f"{path}: {error}") from None


def write_control(class_folder: Path, control: ClassControl) -> ClassControl:
    """Write ``control`` atomically with the next version; the control as written."""
    written = replace(control, version=control.version + 1)
    text = json.dumps(to_json(written), indent=1, sort_keys=True)
    atomic_write(control_path(class_folder), text + "\n", PRIVATE_FILE)
    return written


def update(class_folder: Path, change: Callable[[ClassControl], ClassControl]) -> ClassControl:
    """Read the control, apply ``change`` (e.g. ``lambda c: pause(c, now)``) and write it,
    under a lock so that two writers never lose each other's change; the control written.
    Raises :class:`PacingError` (a refused change, an unreadable file) or ``StoreError``."""
    with _locked(class_folder):
        return write_control(class_folder, change(read_control(class_folder)))


@contextlib.contextmanager
def _locked(class_folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: one writer, the server
        yield
        return
    path = class_folder / f".{CONTROL_FILE}.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


class ControlReader:
    """A game's view of its class's control: the file read again only when it changed
    (its size, time or inode), the last good state kept when it cannot be read."""

    def __init__(self, class_folder: Path) -> None:
        self.class_folder = class_folder
        self.control = ClassControl()
        self.problem = ""
        """Why the file could not be read last time ("" when it could)."""
        self._seen: tuple[int, int, int] | None = None

    def read(self) -> ClassControl:
        """The class's control now (cheap when the file has not changed)."""
        path = control_path(self.class_folder)
        try:
            status = path.lstat()
            seen = (status.st_ino, status.st_size, status.st_mtime_ns)
        except OSError:
            seen = None
        if seen is not None and seen == self._seen:
            return self.control
        try:
            control = read_control(self.class_folder)
        except PacingError as error:
            self.problem = str(error)
            return self.control
        self.problem = ""
        self._seen = seen
        if control.version >= self.control.version or seen is None:
            self.control = control
        return self.control
