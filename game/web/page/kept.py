"""Rounds in progress kept between a student's requests, used again only while their save is
still the one this server wrote.

Resuming a round from its save replays it through the scenario (about 5 ms); a student's next
request usually finds the save as the last request left it, so the class page keeps each
round's session in memory with the *stamp* of the save it wrote, and uses it again only if,
once the round's lease is held (so that nobody writes it meanwhile), the save's stamp is still
that one. A save written since by another process (another ``serve`` sharing the class folder
or the database, a teacher's command) has another stamp: the round is then resumed from the
save, never served stale.

- In the class folder, the stamp is the save file's inode, time and size (a ``stat``): every
  write replaces the file with a new one.
- In a database, it is the save's version, which every write raises
  (:meth:`game.engine.records.storage.Rounds.save` compares and sets it): read again, with the
  save, under the lease.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from game.engine.play.session import Session
from game.engine.records.pacing_file import ControlReader
from game.engine.records.storage import StorageError
from game.engine.records.store import RoundStore, StoreError
from game.engine.records.stored_rounds import StoredRounds
from game.engine.seats.lifecycle import Round

MAX_KEPT = 2000
"""Rounds in progress kept between requests (each about 50 KB), the least recent let go."""


class Busy(Exception):
    """The round is held by another request or server for longer than a student waits."""


def stamp(store: RoundStore, path: Path) -> str | None:
    """Which write of the save at ``path`` this server last saw (None: no save). Asked while
    the round's lease is held, after the request's own writes."""
    if isinstance(store, StoredRounds):
        return store.versions.get(path.stem)
    try:
        found = path.stat()
    except OSError:
        return None
    return f"{found.st_ino}:{found.st_mtime_ns}:{found.st_size}"


def stamp_now(store: RoundStore, path: Path) -> str | None:
    """The stamp of the save at ``path`` as it is now (the lease held): for a database, its
    version read again (and remembered by ``store``, as a read of the save would)."""
    if not isinstance(store, StoredRounds):
        return stamp(store, path)
    try:
        saved = store.storage.rounds.load(store.student, path.stem)
    except StorageError:
        return None
    if saved is None:
        return None
    store.versions[path.stem] = saved.version
    return saved.version


class Kept:
    """Sessions of rounds in progress by round id, each with the stamp of its save (touched
    under the engine's lock only)."""

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self.sessions: OrderedDict[str, tuple[str, Session]] = OrderedDict()

    def put(self, round_id: str, written: str, session: Session) -> None:
        """Keep ``session``, whose save's stamp is ``written``."""
        self.sessions[round_id] = (written, session)
        while len(self.sessions) > self.limit:
            _, (_, oldest) = self.sessions.popitem(last=False)
            oldest.close()

    def take(
        self,
        store: RoundStore,
        path: Path,
        warn: Callable[[str], None],
        pacing: ControlReader | None,
    ) -> Round | None:
        """The kept round saved at ``path``, its lease taken, if its save is unchanged since;
        None if none is kept or the save was written since (the kept session is let go).
        Raises :class:`Busy` if another request or process holds the round."""
        kept = self.sessions.pop(path.stem, None)
        if kept is None:
            return None
        written, session = kept
        try:
            lease = store.lease(path.stem)
        except StoreError:
            self.sessions[path.stem] = kept
            raise Busy from None
        if stamp_now(store, path) != written:  # written since elsewhere: resumed from the save
            lease.release()
            session.close()
            return None
        played = Round(session, store, warn, pacing=pacing)
        played.lease, played.saved_path = lease, path
        played.control()  # the teacher may hold history back since
        return played

    def close(self) -> None:
        for _, session in self.sessions.values():
            with contextlib.suppress(Exception):
                session.close()
        self.sessions.clear()
