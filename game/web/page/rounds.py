"""The class page's rounds: the engine's own lifecycle, rebuilt from what is stored on every
request, one request of a student at a time.

Every request takes the round's lease (:meth:`RoundStore.lease`), has the round as its save
holds it, asks or applies one decision (saved, or recorded at the end, by :class:`Round`
itself), and lets the round go. The session of an earlier request is used again only if the
save is still the one it wrote (checked under the lease); otherwise the round is resumed from
the save (:meth:`Round.resume`: replayed through the scenario, its reveal policy kept). So a
second server sharing the storage continues any student's round, even one this server played
a moment before, and a server killed between two requests loses nothing. Requests of one
student are taken one at a time (an ``asyncio`` lock per student, then the lease across
processes); a decision names how many decisions the page showed, so a second tab's confirm of
the same decision is not applied twice.

The engine's work runs off the event loop, one piece at a time under the engine's lock: the
state machines of the ``transitions`` library are shared by every round of a role and are not
made for threads. A round's writes (a save, a result record: flushed to disk, or a database's
commit) let the lock go while they wait, so that one student's decision being flushed does not
hold up every other student's page: a round's requests run in a few worker threads for that
(:meth:`Rounds.run` with ``anywhere``); everything else in one engine thread, as the matches'
store wants.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from game.engine.base.problems import FlashpointError
from game.engine.checks.loader import LoadedScenario
from game.engine.play.roundfile import RoundError, read_header
from game.engine.play.session import Session
from game.engine.records.classfolder import Student
from game.engine.records.pacing_file import ControlReader
from game.engine.records.storage import StorageError
from game.engine.records.store import MAX_ROUND_BYTES, RoundStore, SavedRound, StoreError, read_json
from game.engine.records.stored_rounds import StoredRounds
from game.engine.scenario.model import Reveal
from game.engine.seats.lifecycle import Round
from game.web.page.finished import Finished, finished
from game.web.page.kept import Busy, Kept, stamp

T = TypeVar("T")
ROUND_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,159}")
BUSY_TRIES = 40
BUSY_WAIT = 0.05
"""A round another request holds (another tab, another server) is asked for again every
``BUSY_WAIT`` seconds, ``BUSY_TRIES`` times, before the student is told to try again."""
LISTED = 20
MAX_OPEN = 5
"""Rounds in progress a student may have at once (each is a save and, once left, a record)."""
WORKERS = 4
"""Threads a round's requests run in (each waits for its own flushes without the lock)."""
__all__ = ["Busy", "Finished", "Gone", "Home", "Rounds"]


def _exists(store: RoundStore, path: Path) -> bool:
    """Whether the round saved at ``path`` is in progress."""
    if isinstance(store, StoredRounds):
        try:
            return store.storage.rounds.load(store.student, path.stem) is not None
        except StorageError:
            return False
    return path.is_file()


class Gone(FlashpointError):
    """The round is not this student's, or no longer exists."""


@dataclass(frozen=True)
class Home:
    """What the student's home page lists."""

    saved: list[SavedRound]
    finished: list[Finished]
    warnings: list[str]


class Rounds:
    """Every student's rounds, as stored; the scenarios the class plays, loaded once."""

    def __init__(
        self,
        scenarios: tuple[LoadedScenario, ...],
        reveal: Reveal | None,
        class_folder: Path | None = None,
        store_of: Callable[[Student], RoundStore] | None = None,
        pacing: ControlReader | None = None,
    ) -> None:
        self.scenarios = {loaded.scenario.id: loaded for loaded in scenarios}
        self.reveal: Reveal | None = reveal
        self.engine = ThreadPoolExecutor(1, thread_name_prefix="flashpoint-rounds")
        self.workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="flashpoint-round")
        self.lock = threading.Lock()
        """Held by whatever engine work runs (see the module); let go while a round writes."""
        self.holding = threading.local()
        self.locks: dict[str, asyncio.Lock] = {}
        self.open: dict[str, tuple[Student, Path, int]] = {}
        """Rounds in progress that this server played, by round id: the student, the save and
        the decision the round stands at (for the teacher's pacing, and ended as abandoned
        when the lesson ends)."""
        self.kept = Kept()
        """Sessions of rounds in progress, used again while their save is unchanged."""
        if pacing is None and class_folder is not None:
            pacing = ControlReader(class_folder)
        self.pacing = pacing
        """The class's control, read in the engine's thread only."""
        self.store_of: Callable[[Student], RoundStore] = store_of or (lambda s: s.store)
        """Where a student's rounds are kept: their folder, or the class's database
        (:func:`game.engine.records.stored_rounds.round_store`)."""

    # --- one request at a time ---------------------------------------------------------

    async def run(self, student: Student, work: Callable[[], T], anywhere: bool = False) -> T:
        """``work`` under the engine's lock, in the engine's thread (or, ``anywhere``, in one of
        the workers: work on a round only), alone among ``student``'s requests; a round busy
        elsewhere is asked for again for about two seconds, then :class:`Busy` is raised."""
        lock = self.locks.setdefault(student.id, asyncio.Lock())
        async with lock:
            loop = asyncio.get_running_loop()
            for _ in range(BUSY_TRIES):
                try:
                    return await loop.run_in_executor(
                        self.workers if anywhere else self.engine, self.locked, work
                    )
                except Busy:
                    await asyncio.sleep(BUSY_WAIT)
            raise Busy

    def locked(self, work: Callable[[], T]) -> T:
        """``work``, holding the engine's lock (in any thread but the event loop's)."""
        with self.lock:
            self.holding.yes = True
            try:
                return work()
            finally:
                self.holding.yes = False

    @contextlib.contextmanager
    def unlocked(self) -> Iterator[None]:
        """The engine's lock let go meanwhile, if this thread holds it."""
        if not getattr(self.holding, "yes", False):
            yield
            return
        self.holding.yes = False
        self.lock.release()
        try:
            yield
        finally:
            self.lock.acquire()
            self.holding.yes = True

    def store(self, student: Student) -> RoundStore:
        """Where ``student``'s rounds are kept, its writes made without the engine's lock (the
        student's own requests are one at a time, and the round is leased meanwhile)."""
        store = self.store_of(student)
        for name in ("save", "record"):
            write = getattr(store, name)

            def unlocked(session: Session, write: Callable[[Session], Path] = write) -> Path:
                with self.unlocked():
                    return write(session)

            setattr(store, name, unlocked)
        return store

    def close(self) -> None:
        """End every round this server played that is still in progress (an ``abandoned``
        record, as every way out of a round writes); in the engine's thread."""
        self.locked(self._close)
        self.workers.shutdown(wait=False)

    def _close(self) -> None:
        for round_id, (student, path, _) in list(self.open.items()):
            with (
                contextlib.suppress(Busy, Gone, FlashpointError, OSError),
                self._resumed(self.store(student), path) as played,
            ):
                played.leave()
            self.open.pop(round_id, None)
        self.kept.close()

    # --- what the pages ask (each runs in the engine's thread) ---------------------------

    def home(self, student: Student) -> Home:
        store = self.store_of(student)
        saved, warnings = store.saved_rounds(limit=LISTED)
        saved = [s for s in saved if s.scenario_id in self.scenarios]
        return Home(saved, finished(student.id, store, self.scenarios, LISTED), warnings)

    def class_ended(self) -> bool:
        """Whether the teacher has ended the class (no round starts after that)."""
        return self.pacing is not None and self.pacing.read().ended is not None

    def start(self, student: Student, scenario_id: str, role: str) -> str:
        """A new round of ``role`` for ``student``, saved; its id. Refused (:class:`Gone`)
        once the teacher has ended the class, or while the student has ``MAX_OPEN`` rounds
        in progress already."""
        loaded = self.scenarios.get(scenario_id)
        if loaded is None or role not in loaded.scenario.role_by_id:
            raise Gone("choose a scenario and a role from the list")
        if self.class_ended():
            raise Gone("your teacher has ended the class")
        store = self.store(student)
        if len(store.saved_rounds(limit=MAX_OPEN)[0]) >= MAX_OPEN:
            raise Gone(
                f"you have {MAX_OPEN} rounds in progress already; continue one of them from "
                "your rounds page"
            )
        played = Round.start(store, loaded, role, student.name, self.reveal, pacing=self.pacing)
        self._let_go(played)
        self.open[played.session.round_id] = (student, self._save_path(student, played), 1)
        return played.session.round_id

    @contextlib.contextmanager
    def round(self, student: Student, round_id: str) -> Iterator[Round]:
        """``student``'s round in progress, resumed from its save, the class's pacing applied
        (:meth:`Round.tick`: a fallback whose time ran out, the end of the class), and held for
        the request; raises :class:`Gone` if there is none (it ended, or is not theirs)."""
        path, store = self.saved_path(student, round_id), self.store(student)
        if not _exists(store, path):
            raise Gone("this round is not in progress")
        with self._resumed(store, path) as played:
            played.tick()
            self.open[round_id] = (student, path, played.number)
            yield played
            if played.is_over or played.session.status == "abandoned":
                self.open.pop(round_id, None)

    def due(self, now: float) -> list[tuple[Student, str]]:
        """The rounds this server played whose decision the class's pacing has closed (the
        countdown ran out, or the teacher ended the class): each is opened once, which applies
        the fallback or leaves it, though its student has not come back."""
        if self.pacing is None:
            return []
        control = self.pacing.read()
        if control.pace == "student" and control.ended is None:
            return []
        return [
            (student, round_id)
            for round_id, (student, _, number) in list(self.open.items())
            if control.gate(number, now).state in ("expired", "ended")
        ]

    def ended(self, student: Student, round_id: str) -> Session:
        """``student``'s ended round (finished, or abandoned: left, or the class ended), replayed
        from its result record (read only)."""
        store = self.store_of(student)
        path = store.results / f"{self._checked(round_id)}.json"
        try:
            if isinstance(store, StoredRounds):
                text = store.storage.records.text(store.student, round_id)
                data = json.loads(text) if text and len(text) <= MAX_ROUND_BYTES else None
            else:
                data = read_json(path) if path.stat().st_size <= MAX_ROUND_BYTES else None
        except (OSError, ValueError, RecursionError, StorageError):
            data = None
        if not isinstance(data, dict):
            raise Gone("this round has no result yet")
        header = read_header(data)
        if header["round"] != round_id or data.get("status") not in ("finished", "abandoned"):
            raise Gone("this round has not ended")
        loaded = self.scenarios.get(header["scenario_id"])
        if loaded is None:
            raise Gone("this round is of a scenario this class does not play")
        session = Session.resume(loaded, data)
        session.close()
        return session

    def debrief_held(self, student: Student, session: Session) -> bool:
        """Whether the teacher holds the debrief back until they reveal every decision."""
        return Round(session, self.store_of(student), pacing=self.pacing).debrief_held()

    async def sweep(self) -> None:
        """Open each round :meth:`due` names once (its pacing is applied as it opens)."""
        loop = asyncio.get_running_loop()
        due = await loop.run_in_executor(self.engine, self.locked, lambda: self.due(time.time()))
        for student, round_id in due:

            def touch(student: Student = student, round_id: str = round_id) -> None:
                with self.round(student, round_id):
                    pass

            with contextlib.suppress(Busy, Gone, FlashpointError, OSError):
                await self.run(student, touch)

    def has_ended(self, student: Student, round_id: str) -> bool:
        """Whether ``round_id`` is one of ``student``'s finished rounds."""
        try:
            self.ended(student, round_id)
        except (Gone, FlashpointError):
            return False
        return True

    # --- helpers ------------------------------------------------------------------------

    def in_progress(self, student: Student, save: Path) -> bool:
        """Whether ``student``'s round saved at ``save`` is in progress."""
        return _exists(self.store_of(student), save)

    def saved_path(self, student: Student, round_id: str) -> Path:
        return self.store_of(student).saves / f"{self._checked(round_id)}.json"

    @staticmethod
    def _checked(round_id: str) -> str:
        if not ROUND_ID.fullmatch(round_id):
            raise Gone("there is no such round")
        return round_id

    def _save_path(self, student: Student, played: Round) -> Path:
        return played.saved_path or self.saved_path(student, played.session.round_id)

    @contextlib.contextmanager
    def _resumed(self, store: RoundStore, path: Path) -> Iterator[Round]:
        """The round saved at ``path``, held (its lease) for the request. A round this server
        kept from an earlier request is used again only if its save is still the one it
        wrote (same file, time and size, checked under the lease); otherwise it is resumed
        from the save. Kept or not, it is let go (the lease released) after the request."""
        failed: list[str] = []
        played = self.kept.take(store, path, failed.append, self.pacing) or self._resume(
            store, path, failed
        )
        try:
            yield played
        except BaseException:
            self._let_go(played)
            raise
        written = stamp(store, path)  # before the lease goes: nobody else writes it meanwhile
        playing = played.session.status == "playing" and not played.is_over
        if failed or written is None or not playing:
            self._let_go(played)
            return
        played.release()
        self.kept.put(path.stem, written, played.session)

    def _resume(self, store: RoundStore, path: Path, failed: list[str]) -> Round:
        header: dict[str, Any] | None
        try:
            if isinstance(store, StoredRounds):
                header = read_header(store.load(path))
            else:
                header = read_header(read_json(path)) if path.is_file() else None
        except (OSError, ValueError, RecursionError, RoundError, StoreError):
            header = None  # Round.resume words what is wrong with it
        loaded = self.scenarios.get(header["scenario_id"]) if header else None
        try:
            return Round.resume(
                store, path, loaded, self.reveal, warn=failed.append, pacing=self.pacing
            )
        except StoreError as error:
            if "being played" in str(error):
                raise Busy from None
            raise

    @staticmethod
    def _let_go(played: Round) -> None:
        """Release the round for the next request (or another server), detached from its
        role's machine."""
        played.release()
        played.session.close()
