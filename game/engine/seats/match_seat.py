"""A match seat's lifecycle: one seat of a head-to-head match lives as a solo round does.

A solo round is a round with one seat (:class:`~game.engine.seats.lifecycle.Round`); a match is a
round with two, and :class:`MatchSeat` gives each seat the same life, whatever the front end:

- create or join (:meth:`MatchSeat.enter`, the only implementation), holding the seat's lease
  so that two processes never play one seat at once;
- the seat's move sealed in the match file the moment it is confirmed (:meth:`choose`), and
  its record (a round file with the match in it) written when it joins and after every turn;
- a heartbeat thread, so that the other seat and the teacher see the seat as gone within
  :data:`GONE_AFTER` seconds of its process ending or hanging (:meth:`other_presence`);
- the turn's deadline, the teacher's pacing and the scenario's fallbacks (:meth:`poll`);
- the result record at the end, and :meth:`leave` with an ``abandoned`` record on every way out;
- the reveal policy kept in the record, only ever made stricter (:func:`stricter`), and
  ``debrief`` while the teacher holds history back (:meth:`control`, :meth:`debrief_held`).

Front ends call :meth:`enter`, :meth:`choose`, :meth:`poll` and :meth:`leave`, and render.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from game.engine.base.problems import FlashpointError
from game.engine.play.match import SeatView, TurnOutcome
from game.engine.play.pacing import ClassControl, Gate
from game.engine.play.roundfile import read_header
from game.engine.records import catalog, match_turns
from game.engine.records.match_file import Patience
from game.engine.records.matches import MatchBusy, MatchError, MatchStore
from game.engine.records.pacing_file import ControlReader
from game.engine.records.store import Lease, RoundStore, StoreError, atomic_write, read_json
from game.engine.records.stored_rounds import StoredRounds
from game.engine.seats.lifecycle import PacingClosed, Warn, stricter
from game.engine.seats.match_heartbeat import LOOK_SECONDS as LOOK_SECONDS
from game.engine.seats.match_heartbeat import Heartbeat
from game.engine.seats.match_heartbeat import Watch as Watch
from game.engine.seats.match_round import match_round, match_round_id
from game.engine.seats.match_sweep import pair_gate
from game.engine.seats.match_visit import as_move, replay

if TYPE_CHECKING:
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import Reveal as Policy


def _ignore(_message: str) -> None:
    return None


@dataclass
class MatchSeat:
    """One seat of a match in this process; the only place that plays and records a seat."""

    store: MatchStore
    rounds: RoundStore
    code: str
    view: SeatView
    warn: Warn = _ignore
    """Told, in words, when the seat's record cannot be written; the match goes on."""
    lease: Lease | None = field(default=None, repr=False)
    heartbeat: Heartbeat | None = field(default=None, init=False, repr=False)
    left: bool = field(default=False, init=False)
    unsaved: tuple[str, str, float] | None = field(default=None, init=False)
    """A move confirmed but not yet in the match file (it was busy): tried again each poll."""
    patience: Patience = field(default_factory=Patience, init=False, repr=False)
    on_screen: tuple[int, bool] = field(default=(0, False), init=False)
    """The turn the front end shows, and whether the match file knows it (tried each poll)."""
    pacing: ControlReader | None = field(default=None, repr=False)
    """The class's control, for a seat played in a class (``None``: the match's own clock)."""

    @classmethod
    def enter(
        cls,
        store: MatchStore,
        rounds: RoundStore,
        loaded: LoadedScenario | None,
        name: str,
        seat: str | None = None,
        code: str | None = None,
        deadline: float = 300.0,
        reveal: Policy | None = None,
        warn: Warn = _ignore,
        pacing: ControlReader | None = None,
    ) -> MatchSeat:
        """Join (or rejoin, by the same ``name``) match ``code`` in ``seat`` or the first free
        one, or, without a code, create a match of ``loaded`` and take ``seat``; raises
        :class:`FlashpointError` saying what to do. ``reveal`` can only make a rejoined seat's
        policy stricter; ``pacing``: the class's control (the teacher's pacing)."""
        if not name.strip():
            raise MatchError("type your name: it is how you rejoin the match")
        if code:
            code = code.strip().upper()
            info = store.info(code)
            if loaded is None or (loaded.scenario.id, loaded.sha256) != (
                info.scenario,
                info.sha256,
            ):
                loaded = catalog.load(info.scenario)
            if loaded.sha256 != info.sha256:
                raise MatchError(
                    f"match {code} was created with another version of {info.scenario}; "
                    "both seats must play the same scenario file (give it with SCENARIO)"
                )
            taken = store.join(code, name, seat)
        else:
            mode = loaded.scenario.head_to_head if loaded is not None else None
            if loaded is None or mode is None:
                raise MatchError("this scenario has no head-to-head mode")
            if seat not in mode.seats:
                raise MatchError(f"choose your seat: {' or '.join(mode.seats)}")
            code = store.create(loaded.scenario.id, loaded.sha256, mode.seats, deadline)
            taken = store.join(code, name, seat)
        round_id = match_round_id(loaded.scenario.id, code, taken)
        try:  # before anything is written: another window may be playing the seat
            lease = rounds.lease(round_id)
        except StoreError as error:
            raise MatchError(f"seat {taken} of match {code}: {error}") from None
        try:
            kept = _kept_policy(rounds.results / f"{round_id}.json", warn)
            policy = stricter(kept, reveal) if kept else reveal or loaded.scenario.reveal
            view = SeatView(replay(store, loaded, code)[0], taken, policy)
        except BaseException:
            lease.release()
            raise
        joined = cls(store, rounds, code, view, warn, lease, pacing=pacing)
        joined.control()  # history held by the teacher: before anything is shown or kept
        if view.is_over:  # rejoined after the ending: its record is written again, and done
            joined.finish()
            return joined
        joined.save()  # at once, as a new round is: the policy is kept from the first moment
        joined.heartbeat = Heartbeat(store.reopen, code, taken)
        joined.heartbeat.start()
        return joined

    @staticmethod
    def find(store: MatchStore, name: str) -> tuple[str, str] | None:
        """The code and seat of ``name``'s newest match (a class seat coming back to it)."""
        try:
            return match_turns.seat_of(store.db, name)
        except Exception:  # any backend's error: the start screen, where joining words it
            return None

    # --- what front ends ask ------------------------------------------------------------

    @property
    def seat(self) -> str:
        return self.view.role

    @property
    def number(self) -> int:
        """The turn being played."""
        return self.view.match.number

    @property
    def is_over(self) -> bool:
        return self.view.is_over

    @property
    def other(self) -> str:
        """The other seat."""
        return self.view.match.mode.other(self.seat)

    def other_name(self) -> str:
        """The other student's name, or '' while the seat is free."""
        return self.store.info(self.code).seats.get(self.other) or ""

    def facing_history(self) -> bool:
        """Whether the other seat is history's moves (the teacher's match for a lone student)."""
        return self.other in self.store.info(self.code).history

    def other_presence(self) -> str:
        """The other seat by its own heartbeat: 'free', 'here' or 'gone' (left, or silent for
        :data:`~game.engine.records.matches.GONE_AFTER` seconds)."""
        return self.store.presence(self.code)[self.other]

    def showing(self) -> None:
        """The front end has the turn's decision on screen: the turn's clock starts once every
        seat has (:mod:`game.engine.records.match_turns`). Kept, and told again each poll, while the
        match file is busy."""
        if self.on_screen[0] != self.number:
            self.on_screen = (self.number, False)
        if self.on_screen[1] or self.left or self.is_over or self.gate().state != "open":
            return  # a turn the teacher has not opened is not on screen yet
        try:
            self.store.showing(self.code, self.seat, self.number)
        except MatchError:  # busy: told again next poll; damaged or removed: poll says so
            return
        self.on_screen = (self.number, True)

    def remaining(self) -> float | None:
        """Seconds left for this turn's move (0 once past: the fallback stands at the next
        poll); ``None`` while the clock waits for a seat to have the turn on screen. In a
        teacher-paced class, the teacher's countdown of the decision (``None``: none, or the
        turn is not open); it stands still while the class is paused."""
        paced = self.paced()
        if paced is not None:
            return paced.remaining
        if self.is_over:
            return None
        try:
            return self.store.remaining(self.code, self.number)
        except MatchError:  # the countdown waits; the poll tells the file's problem
            return None

    def sealed(self) -> str | None:
        """The move this seat has sealed for the turn being played, if any."""
        return self.store.sealed(self.code, self.seat, self.number)

    # --- the teacher's pacing (a match seat in a class) -----------------------------------

    def control(self) -> ClassControl | None:
        """The class's control now (``None`` outside a class). While the teacher holds history
        back (paced or not), the seat's policy is ``debrief``: no outcome shows history."""
        if self.pacing is None:
            return None
        control = self.pacing.read()
        if control.holds_history:
            self.view.reveal = "debrief"  # history waits for the teacher's reveal
        return control

    def debrief_held(self) -> bool:
        """Whether the debrief waits for the teacher to reveal every turn played."""
        control = self.control()
        played = len(self.store.revealed(self.code))
        return control is not None and not control.all_revealed(played)

    def paced(self) -> Gate | None:
        """The class's gate for this turn (turn N is the class's decision N) while the teacher
        paces the class or has ended it (:func:`pair_gate`); ``None`` while the match keeps
        its own clock."""
        control = self.control()
        if control is None or self.is_over:
            return None
        if control.pace != "teacher" and control.ended is None:
            return None
        return pair_gate(control, self.store, self.code, self.number)

    def gate(self) -> Gate:
        """What the seat may do at this turn: ``open`` (the teacher's countdown, if any, in
        ``remaining``), ``waiting`` for the teacher, ``paused``, ``expired`` or ``ended``."""
        return self.paced() or Gate("open")

    def _closed(self) -> bool:
        """Refuse a move the class's pacing does not take now; ``True`` when the teacher's
        countdown has run out (the fallback is sealed for every silent seat)."""
        gate = self.gate()
        if gate.state == "expired":
            self._fallbacks()
            return True
        if gate.state == "ended":
            self.leave()
            raise PacingClosed("your teacher has ended the class; your seat is saved")
        if gate.state != "open":
            paused = gate.state == "paused"
            raise PacingClosed("the class is paused" if paused else "wait for your teacher")
        return False

    def _fallbacks(self) -> None:
        """The teacher's countdown ran out (or the teacher advanced the slowest): each seat
        without a move gets its fallback, sealed as made for it (``no move in time``)."""
        match = self.view.match
        free = [seat for seat, name in self.store.info(self.code).seats.items() if not name]
        shown = self.view.reveal == "immediate"  # else nothing may tell what history did
        for seat, choice in match.fallbacks(free, shown).items():
            self.store.move(self.code, seat, match.number, choice, fallback=True)

    # --- moves and turns ------------------------------------------------------------------

    def choose(self, choice: str, rationale: str = "", seconds: float | None = None) -> bool:
        """Seal the seat's move for this turn (kept at once: a closed terminal loses nothing
        confirmed); ``False`` when it came too late and the scenario's fallback stood. In a
        teacher-paced class, raises :class:`PacingClosed` while the turn is not open.
        ``seconds``: the time taken, by default since the turn was on the seat's screen."""
        if seconds is None:
            shown = self.store.shown_at(self.code, self.seat, self.number)
            seconds = 0.0 if shown is None else round(max(0.0, self.store.clock() - shown), 3)
        point = self.view.point
        if point is None or choice not in {c.id for c in point.choices}:
            raise MatchError(f"'{choice[:40]}' is not a choice of this turn")
        if self.unsaved is None and self._closed():
            return False
        self.unsaved = (choice, rationale, seconds)
        return self._send()

    def _send(self) -> bool:
        """Write the unsaved move; ``False`` if another move stood for it (the fallback, at the
        deadline). While the file is busy the move stays unsaved, and the student is told."""
        assert self.unsaved is not None
        try:
            self.store.move(self.code, self.seat, self.number, *self.unsaved)
        except MatchBusy as error:
            if self.patience.failed(error, unsaved=True):
                self.warn("Could not save your move; trying again (the match file is busy).")
            return True
        except MatchError:
            if self.store.sealed(self.code, self.seat, self.number) in (None, self.unsaved[0]):
                raise  # not a move that stood first: the file's own problem
            self.unsaved = None
            return False
        self.unsaved = None
        if self.patience.succeeded():
            self.warn("Your move is sealed now.")
        return True

    def poll(self) -> TurnOutcome | None:
        """The turn played, once every seat has moved or the deadline has passed (a silent
        seat's fallback then stands, marked as such); ``None`` while the moves are sealed. The
        seat's record is written after each turn, its result record at the end."""
        match = self.view.match
        if match.turn is None or self.left or not self.patience.ready():
            return None
        paced = self.paced()
        if paced is not None and paced.state == "ended":
            self.leave()  # the teacher ended the class: the seat is recorded abandoned
            return None
        if self.on_screen == (self.number, False):
            self.showing()
        if self.unsaved is not None:
            if not self._send():
                self.warn("Too late: the deadline passed before your move could be saved.")
            if self.unsaved is not None:
                return None
        try:
            if paced is not None and paced.state == "expired":
                self._fallbacks()
            free = [seat for seat, name in self.store.info(self.code).seats.items() if not name]
            fallbacks = match.fallbacks(free)  # the teacher's clock, or the match's own:
            revealed = self.store.resolve(self.code, match.number, fallbacks, paced is None)
        except MatchBusy as error:
            if self.patience.failed(error, unsaved=False):
                self.warn("Could not reach the match file; trying again (it is busy).")
            return None
        self.patience.succeeded()
        if revealed is None:
            return None
        match.players.update({s: n for s, n in self.store.info(self.code).seats.items() if n})
        played = match.play({m.seat: as_move(m) for m in revealed})
        if self.view.is_over:
            self.finish()
        else:
            self.save()
        return played

    def leave(self) -> None:
        """The student leaves the match by any way out: the seat is shown as gone at once and
        its record says ``abandoned``; it can be rejoined with the code and the same name.
        Does nothing for a match that has ended or a seat already left."""
        if self.left or self.is_over:
            self.close()
            return
        self.left = True
        self.close()  # the heartbeat has stopped before the seat is marked gone
        try:
            self.store.heartbeat(self.code, self.seat, here=False)
        except MatchError as error:
            self.warn(f"Could not tell the match you left: {error}")
        self.save("abandoned")

    def finish(self) -> None:
        """The match has ended: the result record, and the seat lets go."""
        with contextlib.suppress(MatchError):  # the record below is what matters
            self.store.finish(self.code)
        self.save("finished")
        self.close()

    def close(self) -> None:
        """Stop the heartbeat and let another process take the seat."""
        if self.heartbeat is not None:
            self.heartbeat.stop()
            self.heartbeat = None
        if self.lease is not None:
            self.lease.release()
            self.lease = None

    # --- the seat's record --------------------------------------------------------------

    @property
    def record_path(self) -> Path:
        name = match_round_id(self.view.loaded.scenario.id, self.code, self.seat)
        return self.rounds.results / f"{name}.json"

    def save(self, status: str = "playing") -> None:
        """Write the seat's record atomically; on failure, warn and play on from the store."""
        finished = time.time() if status != "playing" else None
        data = match_round(self.view, self.code, finished, status)
        try:
            if isinstance(self.rounds, StoredRounds):  # a class kept in a database
                self.rounds.put_record(self.record_path.stem, data)
                return
            self.rounds.results.mkdir(parents=True, exist_ok=True)
            atomic_write(self.record_path, json.dumps(data, ensure_ascii=False, indent=1))
        except (OSError, FlashpointError) as error:
            self.warn(f"Could not save your record: {error}")


def _kept_policy(record: Path, warn: Warn) -> Policy | None:
    """The reveal policy in the seat's own record, if it has one; a record that cannot be read
    keeps history back until the end (a damaged file must not reveal more)."""
    if not record.is_file():
        return None
    try:
        return cast("Policy | None", read_header(read_json(record))["reveal"])
    except FlashpointError as error:
        warn(f"Your earlier record of this match cannot be read ({error}); it is written anew.")
        return "debrief"
