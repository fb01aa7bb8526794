"""A round's lifecycle: everything that must happen around a round, in every front end alike.

A :class:`Round` wraps a :class:`~game.engine.play.session.Session` and its data folder. It saves
after each decision, writes the result record when the round ends, and writes an
``abandoned`` record on every way out (a quit key, the title screen, a closed terminal or
browser tab, the end of plain input, SIGHUP or SIGTERM). Front ends call :meth:`Round.choose`
and :meth:`Round.leave` and decide nothing about saving, recording or revealing history:
the reveal policy is part of the round and survives a resume.

In a class, the round also honours the teacher's pacing (:mod:`game.engine.play.pacing`): a
front end asks :meth:`Round.gate` (open, waiting for the teacher, paused, time left) and calls
:meth:`Round.tick` at least once a second while a decision is shown, which plays the fallback,
labelled as made for the student, when the countdown runs out, and leaves the round when the
teacher ends the class.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine.base.problems import FlashpointError
from game.engine.play.pacing import ClassControl, Gate
from game.engine.play.roundfile import RoundError, read_header
from game.engine.records.pacing_file import ControlReader
from game.engine.records.store import Lease, RoundStore, SavedRound, StoreError

if TYPE_CHECKING:  # the title screen lists saved rounds without loading the state machine
    from game.engine.play.session import Decision, Session, Step, Test
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import Reveal

Warn = Callable[[str], None]

TERMINATING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)
"""Signals that end a round as abandoned: a closed terminal (SIGHUP) and a polite kill."""


def _ignore(_message: str) -> None:
    return None


class PacingClosed(FlashpointError):
    """A decision the teacher has not opened yet, a paused class or an ended one."""


def _refuse_after_the_class(control: ClassControl | None) -> None:
    """No new round starts in a class the teacher has ended (one continued is left at once,
    recorded ``abandoned``, by its first :meth:`Round.tick`)."""
    if control is not None and control.ended is not None:
        raise PacingClosed("your teacher has ended the class; no new round can be started")


def stricter(saved: Reveal, requested: Reveal | None) -> Reveal:
    """The reveal policy of a resumed round: what it was started with, unless the teacher now
    asks to hold history back. A resume can never reveal more than the round's own policy."""
    return "debrief" if "debrief" in (saved, requested) else saved


@dataclass
class Round:
    """One round and its persistence; the only place that saves and records rounds."""

    session: Session
    store: RoundStore
    warn: Warn = _ignore
    """Told, in words, when a save or record cannot be written; the round goes on in memory."""
    saved_path: Path | None = field(default=None, init=False)
    result_path: Path | None = field(default=None, init=False)
    lease: Lease | None = field(default=None, init=False, repr=False)
    """This process's hold on the round while it is played (see ``RoundStore.lease``)."""
    pacing: ControlReader | None = field(default=None, repr=False)
    """The class's control, for a round played in a class (``None``: the student's pace)."""
    clock: Callable[[], float] = field(default=time.time, repr=False)
    _held: int | None = field(default=None, init=False, repr=False)
    """The decision the round was last seen waiting at (for the teacher, or paused)."""

    @classmethod
    def start(
        cls,
        store: RoundStore,
        loaded: LoadedScenario,
        role: str,
        player: str = "",
        reveal: Reveal | None = None,
        warn: Warn = _ignore,
        at: Test | None = None,
        pacing: ControlReader | None = None,
    ) -> Round:
        """A new round of ``role``, saved at once so that it can be continued (an author's
        test round, started ``at`` a point, is not); ``pacing``: the class's control."""
        from game.engine.play.session import Session

        control = pacing.read() if pacing is not None and at is None else None
        _refuse_after_the_class(control)
        if control is not None and control.holds_history:
            reveal = "debrief"  # nothing shown after a decision: the teacher reveals it
        session = Session.start(loaded, role, player, reveal=reveal, at=at)
        started = cls(session, store, warn, pacing=pacing if at is None else None)
        if at is not None:
            return started
        started.lease = store.lease(started.session.round_id)
        started.save()
        return started

    @classmethod
    def resume(
        cls,
        store: RoundStore,
        saved: SavedRound | Path,
        loaded: LoadedScenario | None = None,
        reveal: Reveal | None = None,
        warn: Warn = _ignore,
        pacing: ControlReader | None = None,
    ) -> Round:
        """The saved round, exactly where it stopped; raises :class:`FlashpointError`.

        The scenario is ``loaded`` if given, else the one the save names. ``reveal`` can only
        make the round's own reveal policy stricter.
        """
        from game.engine.records import catalog

        path = saved.path if isinstance(saved, SavedRound) else saved
        try:  # before reading: another process may be playing it
            lease = store.lease(path.stem)
        except StoreError as error:
            raise StoreError(f"{path}: {error}") from None
        try:
            data = store.load(path)
            if read_header(data)["round"] != path.stem:
                raise RoundError(f"{path}: the round's id does not match its file name")
        except BaseException:
            lease.release()
            raise
        if loaded is None:
            header = read_header(data)
            loaded = catalog.load_for(header["scenario_id"], str(data["scenario"].get("file", "")))
        try:
            from game.engine.play.session import Session

            session = Session.resume(loaded, data)
        except RoundError as error:
            lease.release()
            raise RoundError(f"{path}: {error}") from None
        except BaseException:
            lease.release()
            raise
        session.reveal = stricter(session.reveal, reveal)
        resumed = cls(session, store, warn, pacing=pacing)
        resumed.control()  # a class whose teacher reveals history: held back from now on
        resumed.lease = lease
        resumed.saved_path = path
        if session.is_over:  # a save whose record was never written: write it now
            resumed.record()
        return resumed

    # --- what front ends call -----------------------------------------------------------

    @property
    def is_over(self) -> bool:
        """Whether the round has reached an ending."""
        return self.session.is_over

    @property
    def reveals_history(self) -> bool:
        """Whether what actually happened is shown after each decision."""
        return self.session.reveals_history

    def choose(self, choice_id: str, rationale: str = "") -> Step:
        """Take a decision and keep it: saved, or recorded if it ended the round. In a
        teacher-paced class, raises :class:`PacingClosed` while the decision is not open;
        when its time has run out the fallback is played instead (``step.decision.automatic``)."""
        gate = self.gate()
        if gate.state == "expired":
            return self._decide(self.session.fallback(), automatic=True)
        if gate.state == "ended":
            self.leave()
            raise PacingClosed("your teacher has ended the class; your round is saved")
        if not gate.may_decide:
            raise PacingClosed(
                "the class is paused"
                if gate.state == "paused"
                else "wait for your teacher to open this decision"
            )
        return self._decide(choice_id, rationale)

    def _decide(self, choice_id: str, rationale: str = "", automatic: bool = False) -> Step:
        at = self.clock() if self.pacing is not None else None  # the pacing's clock
        step = self.session.choose(choice_id, rationale, at=at, automatic=automatic)
        if self.session.is_over:
            self.record()
        else:
            self.save()
        return step

    # --- the class's pacing ---------------------------------------------------------------

    @property
    def number(self) -> int:
        """The number of the decision the round stands at (1 for the first), as the teacher
        opens it."""
        return len(self.session.decisions) + 1

    def control(self) -> ClassControl | None:
        """The class's control now (``None`` outside a class). A class whose teacher reveals
        history makes the round's own policy ``debrief``: nothing is shown after a decision."""
        if self.pacing is None:
            return None
        control = self.pacing.read()
        if control.holds_history:
            self.session.reveal = "debrief"
        return control

    def gate(self) -> Gate:
        """What the student may do at the current decision: ``open`` (with the time left),
        ``waiting`` for the teacher, ``paused``, ``expired`` or ``ended``."""
        control = self.control()
        if control is None or self.is_over or self.session.status != "playing":
            return Gate("open")
        now = self.clock()
        gate = control.gate(self.number, now)
        if gate.state in ("waiting", "paused"):
            self._held = self.number
        elif gate.state == "open" and self._held == self.number:
            self._held = None
            self.session.presented = now  # the time to decide counts from the opening
        return gate

    def tick(self) -> Step | None:
        """Apply the class's pacing now: the fallback, made for the student and labelled so,
        when the decision's countdown has run out (the step it took), and leaving the round
        (recorded ``abandoned``) when the teacher has ended the class."""
        gate = self.gate()
        if gate.state == "ended":
            self.leave()
        elif gate.state == "expired":
            return self._decide(self.session.fallback(), automatic=True)
        return None

    @property
    def teacher_reveals(self) -> bool:
        """Whether history waits for the teacher to reveal it to the room."""
        control = self.control()
        return control is not None and control.holds_history

    def revealed(self) -> Iterator[tuple[int, Decision]]:
        """The student's decisions (numbered from 1) whose history the teacher revealed,
        under the reveal policy ``teacher``."""
        control = self.control()
        if control is None or not control.holds_history:
            return
        for number, decision in enumerate(self.session.decisions, start=1):
            if control.is_revealed(number):
                yield number, decision

    def debrief_held(self) -> bool:
        """Whether the debrief waits for the teacher to reveal every decision the student
        took (reveal policy ``teacher``)."""
        control = self.control()
        return control is not None and not control.all_revealed(len(self.session.decisions))

    def leave(self) -> None:
        """The student leaves a round in progress: record it as abandoned and keep its save
        so that it can be continued. Does nothing for a round that has ended or was left."""
        if self.session.is_over or self.session.status == "abandoned":
            return
        self.session.abandon()
        self.record()
        self.save()
        self.release()
        self.session.close()  # it is continued, if at all, as a new Round from its save

    def release(self) -> None:
        """Let another process continue this round."""
        if self.lease is not None:
            self.lease.release()
            self.lease = None

    # --- persistence ----------------------------------------------------------------------

    def save(self) -> None:
        """Write the save file; on failure, warn and keep playing from memory. An author's
        test round is kept in memory only."""
        if self.session.test:
            return
        try:
            self.saved_path = self.store.save(self.session)
        except FlashpointError as error:
            self.warn(f"Could not save: {error}")

    def record(self) -> None:
        """Write the result record (the save of an ended round is removed); none for an
        author's test round."""
        if self.session.test:
            self.release()
            return
        try:
            self.result_path = self.store.record(self.session)
        except FlashpointError as error:
            self.warn(f"Could not save the result: {error}")
        if self.session.is_over:
            self.release()


def latest_saved(
    store: RoundStore, scenario_id: str | None, role: str | None = None, warn: Warn = _ignore
) -> SavedRound | None:
    """The most recently saved round (of ``scenario_id`` and ``role``, if given); each
    damaged save met on the way is set aside and reported to ``warn``."""
    rounds, warnings = store.saved_rounds(limit=1, scenario_id=scenario_id, role=role)
    for warning in warnings:
        warn(warning)
    return rounds[0] if rounds else None


def abandon_open_rounds(class_folder: Path, warn: Warn = _ignore) -> int:
    """At the end of a class, record ``abandoned`` every round of its students still open
    that no game is playing (a game playing one leaves it itself when it sees the class
    ended); how many. A save that cannot be continued is reported to ``warn``."""
    from game.engine.records.classfolder import ClassFolder

    stores = (student.store for student in ClassFolder.read(class_folder).students())
    return abandon_rounds(stores, warn)


def abandon_rounds(stores: Iterable[RoundStore], warn: Warn = _ignore) -> int:
    """:func:`abandon_open_rounds` over the students' ``stores`` (a class in any storage)."""
    count = 0
    for store in stores:
        rounds, warnings = store.saved_rounds(limit=10_000)
        for warning in warnings:
            warn(warning)
        for saved in rounds:
            try:
                if store.load(saved.path).get("status") != "playing":
                    continue  # left already: its abandoned record is written
                store.lease(saved.round_id).release()
            except StoreError:
                continue  # being played: that game ends it
            try:
                played = Round.resume(store, saved, warn=warn)
            except FlashpointError as error:
                warn(str(error))
                continue
            played.leave()
            count += 1
    return count
