"""A match store's errors, in words: what a request the match cannot take says, and the guard
that turns a store method's database errors into those words (so the front ends show a
sentence naming the file, never a traceback).

Kept apart from :mod:`game.engine.records.match_file` so that a guarded store method (in
:mod:`game.engine.records.matches`) calling the file's functions does not pass through the
file's module twice.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from game.engine.base.problems import FlashpointError

T = TypeVar("T")
P = ParamSpec("P")

_BUSY_CODES = {5, 6, 8, 10, 13, 14, 15}
"""SQLite's BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL: the file could not be
used just now, and nothing was written."""


class MatchError(FlashpointError):
    """A request the match cannot take; the message says why and what to do."""


class MatchBusy(MatchError):
    """The match file could not be used just now (another program holds it locked, or it
    cannot be written): nothing was written; the same request can be made again."""


def translated(path: object, error: sqlite3.Error) -> MatchError:
    """The :class:`MatchError` for an SQLite error on match file ``path``, in words."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.OperationalError) and (code is None or code & 0xFF in _BUSY_CODES):
        return MatchBusy(
            f"could not use the match file {path} just now ({error}): another program may "
            "hold it locked, or it cannot be written; nothing was saved"
        )
    return MatchError(
        f"{path} is damaged or not a match file ({error}); the match cannot go on from it "
        "(each seat's record keeps the turns played so far)"
    )


def guarded(method: Callable[P, T]) -> Callable[P, T]:
    """A store method whose SQLite errors (a damaged or foreign file, a full disk) become a
    :class:`MatchError` naming the file: the front ends show it instead of a traceback."""

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            store = args[0]
            path = getattr(store, "path", "the match file")
            raise translated(path, error) from None
        except Exception as error:  # another backend's errors, in its own words
            found = getattr(args[0], "translated", lambda _: None)(error)
            if found is None:
                raise
            raise found from None

    return checked
