"""Where rounds are kept: crash-safe saves and result records in the data folder.

Every write goes to a temporary file in the same folder, is flushed to disk, and replaces the
old file in one step (``os.replace``), so a crash at any moment leaves either the old file or
the new one. Leftover temporary files are removed on the next start. A file that cannot be
read is moved aside (``*.corrupt``) and reported, never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from game.engine.base.problems import FlashpointError
from game.engine.base.safefile import PRIVATE_FILE, private_folder, read_regular
from game.engine.play.roundfile import NewerFormatError, RoundError, parse_json, read_header

if TYPE_CHECKING:
    from game.engine.play.session import Session

HOME_VARIABLE = "FLASHPOINT_HOME"
TEMP_SUFFIX = ".tmp"
MAX_ROUND_BYTES = 4 * 1024 * 1024
MAX_LISTED = 40
"""Saved rounds offered on the title screen: the most recent ones."""


class StoreError(FlashpointError):
    """The data folder or a file in it cannot be used; the message says what to do."""


def default_home() -> Path:
    """The data folder: ``$FLASHPOINT_HOME`` if set, else the platform's user data folder."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path  # only when no folder is given

    return user_data_path("flashpoint", appauthor=False)


@contextlib.contextmanager
def atomic_open(path: Path, mode: int = PRIVATE_FILE) -> Iterator[TextIO]:
    """A text file that replaces ``path`` in one step when the block ends without error.

    The data goes to a temporary file in the same folder, is flushed to disk, and then
    replaces ``path``; a crash or an error leaves the old file (or none), never half a file.
    The file is its owner's alone unless ``mode`` says otherwise (a file asked for by name).
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}-{time.monotonic_ns()}{TEMP_SUFFIX}")
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StoreError(
            f"cannot write {path}: {error.strerror or error}; "
            "check that the folder is writable and the disk is not full"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_folder(path.parent)


def atomic_write(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old or the new file, whole."""
    with atomic_open(path, mode) as handle:
        handle.write(text)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def read_json(path: Path) -> Any:
    """The JSON in ``path``; raises :class:`StoreError` naming the file when unreadable."""
    return json_of(path, read_round_bytes(path))


def read_round_bytes(path: Path) -> bytes:
    """The bytes of round file ``path`` (a regular file, not a link, under the size cap);
    raises :class:`StoreError` naming the file."""
    try:
        return read_regular(path, MAX_ROUND_BYTES, follow_links=False)
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({_reason(error)})") from None


def json_of(path: Path, data: bytes) -> Any:
    """The JSON in ``data``, read from ``path``; raises :class:`StoreError` naming the file."""
    try:
        return parse_json(data.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise StoreError(f"{path}: cannot be read ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    reason = getattr(error, "strerror", None) or error.__class__.__name__
    if isinstance(error, UnicodeDecodeError):
        reason = "not UTF-8 text"
    elif isinstance(error, json.JSONDecodeError):
        reason = f"damaged JSON at line {error.lineno}, column {error.colno}"
    elif isinstance(error, ValueError):
        reason = f"damaged JSON: {error}"
    return str(reason)


TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-(?P<stamp>\d+)" + re.escape(TEMP_SUFFIX))
STALE_SECONDS = 3600.0
"""A temporary file older than this is left over whoever wrote it."""


def _temporary_files(folder: Path) -> list[Path]:
    """The temporary files (``.NAME.PID-STAMP.tmp``) in ``folder``."""
    with os.scandir(folder) as entries:
        return [
            folder / entry.name
            for entry in entries
            if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)
        ]


def _abandoned_temp(path: Path) -> bool:
    """Whether a temporary file was left by a crash: its writer is gone, or it is stale."""
    match = TEMP_NAME.fullmatch(path.name)
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if match is None or age > STALE_SECONDS:
        return True
    return not _alive(int(match["pid"]))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process has no write in flight while it prepares
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


class Lease:
    """An exclusive hold on a round while one process plays it: an OS lock on a lock file,
    released when the round ends, is left, or the process dies (the OS drops the lock)."""

    def __init__(self, handle: IO[str] | None) -> None:
        self.handle = handle

    @classmethod
    def take(cls, path: Path) -> Lease:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; rounds are not leased
            return cls(None)
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
            handle = os.fdopen(descriptor, "a+", encoding="utf-8")
        except OSError as error:
            raise StoreError(f"cannot lock {path}: {error.strerror or error}") from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read(40).strip()
            handle.close()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise StoreError(
                f"this round is being played in another Flashpoint{who}; close it there "
                "first, or start a new round"
            ) from None
        handle.seek(0)
        if handle.read(40).strip() != str(os.getpid()):  # a server leases a round again and
            handle.truncate(0)  # again: its number is written once (a write may wait for
            handle.write(str(os.getpid()))  # the disk's journal while others flush)
            handle.flush()
        return cls(handle)

    def release(self) -> None:
        """Let another process continue the round."""
        if self.handle is not None:
            self.handle.close()  # closing drops the lock
            self.handle = None


@dataclass(frozen=True)
class SavedRound:
    """A round found in the saves folder."""

    path: Path
    round_id: str
    scenario_id: str
    scenario_title: str
    scenario_file: str
    role: str
    role_name: str
    player: str
    decisions: int
    date: str
    """The in-game date of the decision the round stopped at (ISO), or ''."""
    updated: float
    """When it was last saved (seconds since the epoch)."""


def saved_round(path: Path, data: dict[str, Any], updated: float) -> SavedRound:
    """The listing of round ``data`` (its header already checked), saved at ``path``."""
    header = read_header(data)
    state = data.get("state")
    state = state if isinstance(state, dict) else {}
    return SavedRound(
        path=path,
        round_id=header["round"],
        scenario_id=header["scenario_id"],
        scenario_title=str(data["scenario"].get("title", header["scenario_id"])),
        scenario_file=str(data["scenario"].get("file", "")),
        role=header["role"],
        role_name=str(data.get("role_name") or header["role"]),
        player=str(data.get("player", "")),
        decisions=sum(1 for e in data["entries"] if e.get("kind") == "decision"),
        date=str(state.get("date") or ""),
        updated=updated,
    )


@dataclass
class RoundStore:
    """The saves and results folders under one data folder."""

    home: Path

    @property
    def saves(self) -> Path:
        """Rounds in progress, one JSON file each."""
        return self.home / "saves"

    @property
    def results(self) -> Path:
        """Finished and abandoned rounds, one JSON result record each."""
        return self.home / "results"

    def prepare(self) -> list[str]:
        """Create the folders and remove temporary files left by a crash; notes for the user."""
        notes: list[str] = []
        for folder in (self.saves, self.results):
            try:
                private_folder(folder)
            except OSError as error:
                raise StoreError(
                    f"cannot create {folder}: {error.strerror or error}; set "
                    f"{HOME_VARIABLE} or --data-dir to a writable folder"
                ) from None
            for leftover in _temporary_files(folder):
                if not _abandoned_temp(leftover):
                    continue  # another Flashpoint's write in flight
                with contextlib.suppress(OSError):
                    leftover.unlink()
                    notes.append(f"removed an unfinished write: {leftover.name}")
        return notes

    def lease(self, round_id: str) -> Lease:
        """Hold ``round_id`` for this process while it is played; raises :class:`StoreError`
        naming the other process if one already plays it (see :class:`Lease`)."""
        private_folder(self.saves)
        return Lease.take(self.saves / f".{round_id}.lock")

    def save_path(self, session: Session) -> Path:
        """Where ``session`` is saved while in progress."""
        return self.saves / f"{session.round_id}.json"

    def result_path(self, session: Session) -> Path:
        """Where ``session``'s result record goes."""
        return self.results / f"{session.round_id}.json"

    def save(self, session: Session) -> Path:
        """Write ``session`` to its save file, atomically."""
        path = self.save_path(session)
        private_folder(self.saves)
        atomic_write(path, json.dumps(session.to_dict(), ensure_ascii=False, indent=1))
        return path

    def record(self, session: Session) -> Path:
        """Write the result record of a finished or abandoned round; drop its save if over."""
        path = self.result_path(session)
        private_folder(self.results)
        atomic_write(path, json.dumps(session.to_dict(), ensure_ascii=False, indent=1))
        if session.is_over:
            with contextlib.suppress(FileNotFoundError):
                self.save_path(session).unlink()
        return path

    def delete(self, saved: SavedRound) -> None:
        """Delete a saved round the student no longer wants (its result record stays)."""
        try:
            saved.path.unlink(missing_ok=True)
        except OSError as error:
            raise StoreError(f"cannot delete {saved.path}: {error.strerror or error}") from None

    def load(self, path: Path) -> dict[str, Any]:
        """The round data in ``path``; a damaged file is moved aside and reported.

        A file from a newer Flashpoint is reported but left in place for that version.
        """
        try:
            data = read_json(path)
            read_header(data)
        except StoreError as error:
            raise StoreError(f"{error}{self._moved(path)}") from None
        except NewerFormatError as error:
            raise StoreError(f"{path}: {error}") from None  # not damaged: left where it is
        except RoundError as error:
            raise StoreError(f"{path}: {error}{self._moved(path)}") from None
        return dict(data)

    def _moved(self, path: Path) -> str:
        aside = self.set_aside(path)
        return f"; it was moved to {aside.name}" if aside else ""

    def set_aside(self, path: Path) -> Path | None:
        """Rename a damaged file to ``*.corrupt`` (never overwriting one); its new path."""
        for number in range(100):
            suffix = ".corrupt" if number == 0 else f".corrupt{number}"
            target = path.with_name(path.name + suffix)
            if not target.exists():
                try:
                    path.rename(target)
                except OSError:
                    return None
                return target
        return None

    def saved_rounds(
        self, limit: int = MAX_LISTED, scenario_id: str | None = None, role: str | None = None
    ) -> tuple[list[SavedRound], list[str]]:
        """The ``limit`` most recently saved rounds that can be continued (of ``scenario_id``
        and ``role``, if given), newest first, and a warning for each damaged save met.
        Reading stops once ``limit`` are found, so thousands of old saves still list at once."""
        rounds: list[SavedRound] = []
        warnings: list[str] = []
        for updated, path in self.newest(self.saves, warnings):
            if len(rounds) >= limit:
                break
            try:
                data = self.load(path)
            except StoreError as error:
                warnings.append(str(error))
                continue
            if data.get("status") == "finished":
                continue  # its result is recorded; nothing is left to continue
            found = saved_round(path, data, updated)
            if scenario_id in (None, found.scenario_id) and role in (None, found.role):
                rounds.append(found)
        return rounds, warnings

    @staticmethod
    def newest(folder: Path, warnings: list[str]) -> list[tuple[float, Path]]:
        """The round files in ``folder``, newest first; anything that is not a regular file
        (a link, a pipe, a device) is left alone with a warning."""
        found: list[tuple[float, Path]] = []
        if not folder.is_dir():
            return found
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.endswith(".json") or entry.name.startswith("."):
                    continue
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        updated = entry.stat(follow_symlinks=False).st_mtime
                        found.append((updated, Path(entry.path)))
                    else:
                        warnings.append(
                            f"{entry.path}: not a regular file (a link, pipe or device); left alone"
                        )
        found.sort(key=lambda item: (-item[0], item[1].name))
        return found
