"""A round in progress: the pull-based runtime every front end drives the same way.

A front end asks :attr:`Session.point` and :attr:`Session.choices`, calls
:meth:`Session.choose`, and shows the :class:`Step` it gets back. Everything that happens is
appended to :attr:`Session.entries`; :meth:`Session.to_dict` and :meth:`Session.resume` turn a
round into versioned JSON and back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from game.engine.base.text import one_line
from game.engine.play import machine, rules
from game.engine.play.fallback import fallback_choice
from game.engine.play.roundfile import ROUND_FORMAT, ROUND_VERSION, RoundError, read_header
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Choice, DecisionPoint, Ending, Event, Reveal, Rung
from game.engine.scenario.variants import Wording, wording_for

Clock = Callable[[], float]
Status = Literal["playing", "finished", "abandoned"]
REVEALS: tuple[Reveal, ...] = ("immediate", "debrief")


@dataclass(frozen=True)
class Decision:
    """One choice the student made."""

    point: str
    choice: str
    rung: str
    before: dict[str, int]
    after: dict[str, int]
    rationale: str
    time: float
    """When it was made (seconds since the epoch)."""
    seconds: float
    """How long the student took, from seeing the point to confirming."""
    kind: Literal["decision"] = "decision"
    automatic: bool = False
    """Made for the student (a teacher-paced decision's countdown ran out): never the
    student's choice, counted as "no move in time". Written to the round only when true."""


@dataclass(frozen=True)
class Fired:
    """One event that fired on arrival at ``at``."""

    event: str
    at: str
    rung: str
    after: dict[str, int]
    time: float
    kind: Literal["event"] = "event"


Entry = Decision | Fired


@dataclass(frozen=True)
class Step:
    """What one decision led to, for the front end to show."""

    decision: Decision
    choice: Choice
    point: DecisionPoint
    events: tuple[Event, ...]
    """The other side's and the world's moves on arrival at the next point or ending."""
    ending: Ending | None


@dataclass
class Session:
    """One student's round through one role of a scenario."""

    loaded: LoadedScenario
    role: str
    player: str = ""
    round_id: str = ""
    clock: Clock = time.time
    started: float = 0.0
    finished: float | None = None
    status: Status = "playing"
    test: bool = False
    """An author's test round started anywhere (``play --from``): never saved or recorded."""
    reveal: Reveal = "immediate"
    """When history is shown: after each decision, or only in the debrief. Saved with the
    round, so a resumed round keeps the policy it was started with."""
    facts: rules.SeatFacts = field(default_factory=lambda: rules.SeatFacts({}, {}, ""))
    """What the round's conditions read: indicators, rung, choices, visits, events."""
    entries: list[Entry] = field(default_factory=list)
    presented: float = 0.0
    _machine: machine.RoleMachine | None = None
    _cursor: machine.Cursor | None = None

    @classmethod
    def start(
        cls,
        loaded: LoadedScenario,
        role: str,
        player: str = "",
        clock: Clock = time.time,
        reveal: Reveal | None = None,
        at: Test | None = None,
    ) -> Session:
        """A new round for ``role``; raises :class:`RoundError` for an unknown role.

        ``reveal`` overrides the scenario's own policy (a teacher's ``--reveal``); ``at``
        starts an author's test round elsewhere (``play --from``): never saved or recorded.
        """
        scenario = loaded.scenario
        if role not in scenario.role_by_id:
            names = ", ".join(r.id for r in scenario.roles)
            raise RoundError(f"'{role}' is not a role of {scenario.id}; choose one of: {names}")
        now = clock()
        session = cls(
            loaded=loaded,
            role=role,
            player=one_line(player, 80),
            clock=clock,
            started=now,
            round_id=_new_round_id(scenario.id, role, now),
            facts=rules.SeatFacts.at_start(scenario),
            reveal=reveal or scenario.reveal,
        )
        session._machine = machine.for_role(loaded, role)
        first = at.point if at is not None else scenario.role_by_id[role].start
        session._cursor = session._machine.attach(session.facts, first)
        if at is not None:
            session.test = True
            session.indicators.update(at.values)
            session.facts.rung = at.rung or session.rung
        session._arrive(first, now)
        return session

    # --- what the front end asks -------------------------------------------------------

    @property
    def node(self) -> str:
        """The id of the current point or ending."""
        assert self._cursor is not None
        return self._cursor.state

    @property
    def reveals_history(self) -> bool:
        """Whether what actually happened is shown after each decision."""
        return self.reveal == "immediate"

    @property
    def point(self) -> DecisionPoint | None:
        """The decision in front of the student, or ``None`` once the round has ended."""
        return self.loaded.scenario.point_by_id.get(self.node)

    @property
    def ending(self) -> Ending | None:
        """The ending reached, or ``None`` while the round goes on."""
        return self.loaded.scenario.ending_by_id.get(self.node)

    @property
    def automatic(self) -> frozenset[str]:
        """Points whose decision was made for the student (a teacher-paced countdown ran
        out): never shown as the student's choice."""
        return frozenset(d.point for d in self.decisions if d.automatic)

    @property
    def preset(self) -> frozenset[str]:
        """A round of one student has no opening played for it: every decision is its own."""
        return frozenset()

    @property
    def is_over(self) -> bool:
        """Whether the round has reached an ending: a final state of the machine."""
        assert self._machine is not None and self._cursor is not None
        return self._machine.is_final(self._cursor)

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The options at the current point (none once the round has ended)."""
        point = self.point
        return point.choices if point else ()

    def offered(self) -> tuple[str, ...]:
        """The ids of the choices the state machine accepts now."""
        assert self._machine is not None and self._cursor is not None
        return self._machine.offered(self._cursor)

    @property
    def indicators(self) -> dict[str, int]:
        """Each indicator's current value."""
        return self.facts.indicators

    @property
    def rung(self) -> str:
        """The id of the current rung."""
        return self.facts.rung

    @property
    def rung_position(self) -> int:
        """The current rung's position on the ladder, 0 for the lowest."""
        return self.loaded.scenario.rung_index[self.rung]

    @property
    def current_rung(self) -> Rung:
        """The current rung of the escalation ladder."""
        return self.loaded.scenario.ladder[self.rung_position]

    @property
    def decisions(self) -> list[Decision]:
        """The student's decisions so far, in order."""
        return [e for e in self.entries if isinstance(e, Decision)]

    def escalation(self) -> list[int]:
        """The student's escalation curve: the ladder position right after each decision."""
        return rules.escalation(self.loaded.scenario.rung_index, self.entries)

    @property
    def words(self) -> Wording:
        """Each item's wording as this round shows it now (text variants)."""
        return wording_for(self.facts, self.loaded.conditions)

    def facts_so_far(self) -> dict[str, tuple[str, ...]]:
        """What conditions can ask of the round so far (:meth:`rules.SeatFacts.so_far`)."""
        return self.facts.so_far()

    # --- playing ----------------------------------------------------------------------

    def choose(
        self,
        choice_id: str,
        rationale: str = "",
        at: float | None = None,
        automatic: bool = False,
    ) -> Step:
        """Take ``choice_id`` at the current point; raises :class:`RoundError` if not offered.
        ``automatic``: the fallback made for the student (:meth:`fallback`), labelled so."""
        point = self.point
        if point is None:
            raise RoundError("the round has ended; there is nothing left to choose")
        choice = next((c for c in point.choices if c.id == choice_id), None)
        offered = self.offered()
        if choice is None or choice_id not in offered:
            raise RoundError(
                f"'{choice_id}' is not a choice at '{point.id}' ({', '.join(offered)})"
            )
        now = self.clock() if at is None else at
        before = dict(self.indicators)
        rules.take(self.loaded.scenario, self.facts, point, choice)
        decision = Decision(
            point=point.id,
            choice=choice.id,
            rung=self.rung,
            before=before,
            after=dict(self.indicators),
            rationale=one_line(rationale),
            time=now,
            seconds=round(max(0.0, now - self.presented), 3),
            automatic=automatic,
        )
        self.entries.append(decision)
        assert self._machine is not None and self._cursor is not None
        destination = self._machine.fire(self._cursor, point.id, choice.id)
        events = self._arrive(destination, now)
        return Step(decision, choice, point, events, self.ending)

    def fallback(self) -> str:
        """The choice made for a student whose time ran out (:func:`fallback_choice`): never
        chosen by history while the round does not show history after each decision."""
        point, offered = self.point, self.offered()
        if point is None or not offered:
            raise RoundError("the round has ended; there is nothing left to choose")
        return fallback_choice(point, offered, self.reveals_history)

    def close(self) -> None:
        """Detach the round from its role's machine (a round that will not be played on)."""
        if self._machine is not None and self._cursor is not None:
            self._machine.detach(self._cursor)

    def abandon(self) -> None:
        """Mark the round as given up (it can still be resumed)."""
        if self.status == "playing":
            self.status = "abandoned"
            self.finished = self.clock()

    def _arrive(self, node: str, now: float) -> tuple[Event, ...]:
        def record(event: Event) -> None:
            self.entries.append(Fired(event.id, node, self.rung, dict(self.indicators), now))

        scenario, conditions = self.loaded.scenario, self.loaded.conditions
        fired = rules.arrive(scenario, conditions, self.facts, node, fired=record)
        self.presented = now
        if self.is_over:
            self.status = "finished"
            self.finished = now
            assert self._machine is not None and self._cursor is not None
            self._machine.detach(self._cursor)
        return fired

    # --- saving and resuming ----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The round as versioned, JSON-ready data (the save and the result record)."""
        scenario = self.loaded.scenario
        return {
            "format": ROUND_FORMAT,
            "version": ROUND_VERSION,
            "round": self.round_id,
            "scenario": {
                "id": scenario.id,
                "title": scenario.title,
                "sha256": self.loaded.sha256,
                "file": str(self.loaded.path),
            },
            "role": self.role,
            "role_name": scenario.role_by_id[self.role].name,
            "player": self.player,
            "status": self.status,
            "settings": {"reveal": self.reveal},
            "started": self.started,
            "finished": self.finished,
            "entries": [_entry_data(entry) for entry in self.entries],
            "state": {
                "node": self.node,
                "date": self.point.date.isoformat() if self.point else None,
                "indicators": dict(self.indicators),
                "rung": self.rung,
                "ending": self.ending.id if self.ending else None,
            },
        }

    @classmethod
    def resume(
        cls, loaded: LoadedScenario, data: Mapping[str, Any], clock: Clock = time.time
    ) -> Session:
        """The round saved in ``data``, replayed through ``loaded``.

        Replaying every recorded decision proves the save still follows the scenario; a
        save whose replay differs from what it recorded is refused with the first difference.
        """
        header = read_header(data)
        scenario = loaded.scenario
        if header["scenario_id"] != scenario.id:
            raise RoundError(
                f"this round is of scenario '{header['scenario_id']}', not '{scenario.id}'"
            )
        recorded = data["entries"]
        started = float(data["started"])
        session = cls.start(
            loaded,
            header["role"],
            str(data.get("player", "")),
            clock=lambda: started,
            reveal=header["reveal"],
        )
        session.round_id = header["round"]
        session.clock = clock
        try:
            for number, entry in enumerate(recorded, start=1):
                if entry.get("kind") != "decision":
                    continue
                if session.is_over:
                    raise RoundError(f"decision {number} comes after the round has ended")
                session._replay(entry, number)
            if session.to_dict()["entries"] != [dict(e) for e in recorded]:
                raise RoundError(
                    "the scenario has changed since this round was saved and the "
                    "round no longer plays out the same way; start a new round"
                )
        except RoundError:
            session.close()
            raise
        if session.is_over:
            session.finished = data.get("finished") or session.finished
        session.presented = clock()
        return session

    def _replay(self, entry: Mapping[str, Any], number: int) -> None:
        point, choice = entry.get("point"), entry.get("choice")
        if point != self.node:
            raise RoundError(
                f"decision {number} was made at '{point}', but the scenario now "
                f"reaches '{self.node}' there; start a new round"
            )
        if not any(c.id == choice for c in self.choices):
            raise RoundError(
                f"choice '{choice}' is no longer offered at '{point}'; start a new round"
            )
        self.presented = float(entry["time"]) - float(entry["seconds"])
        rationale, at = str(entry.get("rationale", "")), float(entry["time"])
        self.choose(str(choice), rationale, at=at, automatic=entry.get("automatic") is True)


@dataclass(frozen=True)
class Test:
    """Where an author's test round starts, and the values it starts with there."""

    point: str
    values: Mapping[str, int] = field(default_factory=dict)
    rung: str | None = None


def _entry_data(entry: Entry) -> dict[str, Any]:
    """An entry as the round file keeps it (``automatic`` only when true: a round of the
    format before automatic moves reads back the same)."""
    data = asdict(entry)
    if not data.get("automatic", True):
        del data["automatic"]
    return data


def _new_round_id(scenario: str, role: str, now: float) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    return f"{scenario}-{role}-{stamp}-{os.urandom(3).hex()}"
