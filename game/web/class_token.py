"""The class's teacher token: one for every server of the class, so that the console and the
projector work whichever server answers them (trial 2, F13: two servers on one class folder
each wrote a token of their own over ``teacher-token``, and only the last one's worked).

- A class folder: the first server writes the token to the folder's private ``teacher-token``
  file at once and whole (written aside, then linked into place, which fails if the file is
  already there); every later server of the folder reads it.
- A database: the token is kept in the class's storage, written by the first server under a
  class-wide lock and read by the others; each server also writes it to its working folder's
  ``teacher-token`` file for the console on that machine.

``FLASHPOINT_TOKEN`` (a token the teacher chose) is used as given."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine.base.problems import FlashpointError

if TYPE_CHECKING:
    from game.engine.records.storage import ClassStorage

TOKEN_FILE = "teacher-token"  # noqa: S105 - a file name, not a password
"""The class folder's private file (mode 0600) with the class's teacher token."""
KEPT = "teacher-token"
"""The class's document with the token, on a database (and the lock that guards it)."""


def _valid(token: str) -> bool:
    return bool(token) and not any(not c.isprintable() or c.isspace() for c in token)


def _aside(folder: Path, token: str) -> Path:
    """A private file of ``folder`` with ``token``, not yet in place."""
    fresh = folder / f".{TOKEN_FILE}.{os.getpid()}"
    fresh.unlink(missing_ok=True)
    handle = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return fresh


def write_token(folder: Path, token: str) -> Path:
    """Write the teacher ``token`` to ``folder``'s private TOKEN_FILE (readable by this user
    only, replaced atomically) and return its path."""
    path = folder / TOKEN_FILE
    _aside(folder, token).replace(path)
    return path


def read_token(folder: Path) -> str:
    """The teacher token ``flashpoint serve`` wrote in ``folder`` (a clear error if none)."""
    path = folder / TOKEN_FILE
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise FlashpointError(
            f"{path}: no teacher token here ({getattr(error, 'strerror', None) or error}); "
            "give the class folder 'flashpoint serve' printed, or --token TOKEN"
        ) from None
    if not _valid(token):
        raise FlashpointError(f"{path}: not a teacher token; start 'flashpoint serve' again")
    return token


def folder_token(folder: Path) -> str:
    """The class folder's token: the one a server of the folder wrote, or (the first server,
    or a file that is not a token) a new one, written whole and only if none is there."""
    path = folder / TOKEN_FILE
    with contextlib.suppress(FlashpointError):
        return read_token(folder)
    fresh = _aside(folder, secrets.token_urlsafe(24))
    try:
        if path.exists() or path.is_symlink():  # not a token: replaced, atomically
            fresh.replace(path)
        else:
            with contextlib.suppress(FileExistsError):  # another server was first: its own
                os.link(fresh, path)
    finally:
        fresh.unlink(missing_ok=True)
    return read_token(folder)


def stored_token(storage: ClassStorage, folder: Path) -> str:
    """The class's token on a database (the first server's, kept in the class's storage),
    also written to this server's working ``folder``."""
    with storage.exclusive(KEPT):
        token = (storage.kept(KEPT) or "").strip()
        if not _valid(token):
            token = secrets.token_urlsafe(24)
            storage.keep(KEPT, token)
    write_token(folder, token)
    return token


def class_token(folder: Path, storage: ClassStorage | None, chosen: str = "") -> str:
    """The token of the class every server of it uses: ``chosen`` (FLASHPOINT_TOKEN) if
    given, else the class's own (:func:`folder_token`, :func:`stored_token`)."""
    if chosen:
        write_token(folder, chosen)
        return chosen
    return folder_token(folder) if storage is None else stored_token(storage, folder)
