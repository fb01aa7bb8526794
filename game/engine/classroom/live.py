"""What the teacher's live view shows, read from a class folder while the lesson runs.

One pass over each student's saves and results: where every student is, how the class has
chosen at each decision compared with what the government really did, and the endings so
far. Files that cannot be read are counted and skipped; the server may be writing them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from game.engine.base.problems import FlashpointError
from game.engine.checks import loader
from game.engine.records import catalog
from game.engine.records.classfolder import ClassFolder, Student
from game.engine.records.matches import MatchBusy, MatchError, MatchStore, MatchSummary
from game.engine.records.record_rows import ResultRecord
from game.engine.records.results import RecordError, iter_record_files, read_record
from game.engine.scenario.loaded import LoadedScenario


@dataclass(frozen=True)
class Progress:
    """Where one student is: their latest round."""

    student: Student
    status: str
    """'joined' (no round yet), 'playing', 'left' (tab closed; can continue) or 'finished'."""
    scenario: str = ""
    role: str = ""
    decisions: int = 0
    """The student's own decisions in the round."""
    late: int = 0
    """Automatic moves (a match seat silent past the deadline): never the student's."""
    date: str = ""
    """The in-game date the round stands at, as the scenario gives it."""
    ending: str = ""
    ending_invented: bool = False
    updated: float = 0.0
    match: str = ""
    """The code of the match the round is a seat of, if any."""
    sealed: bool = False
    """A match seat whose move for the turn being played is sealed (not yet revealed)."""
    automatic: bool = False
    """The student's last decision was an automatic move (no move in time)."""


@dataclass
class Tally:
    """How the class chose at one decision point."""

    point: str
    title: str
    role: str
    """The name of the role that decides here."""
    date: dt.date | None
    historical: str | None
    labels: dict[str, str]
    counts: Counter[str] = field(default_factory=Counter)
    numbers: set[int] = field(default_factory=set)
    """The decision numbers (1 for a round's first) at which students took it."""

    @property
    def total(self) -> int:
        """Decisions taken here."""
        return sum(self.counts.values())

    @property
    def like_history(self) -> int:
        """How many chose what the government really did."""
        return self.counts[self.historical] if self.historical else 0


@dataclass
class LiveClass:
    """One reading of the class folder."""

    code: str
    students: list[Progress]
    tallies: list[Tally]
    endings: Counter[tuple[str, bool]]
    """(ending title, invented?) → rounds that reached it."""
    unreadable: int = 0
    matches: list[MatchSummary] = field(default_factory=list)
    """Head-to-head matches in the class's match file, if it has one."""
    match_problem: str = ""
    """Why the class's match file cannot be read (it names the file), if it cannot."""

    def count(self, status: str) -> int:
        """Students whose latest round has ``status``."""
        return sum(1 for p in self.students if p.status == status)


class Reader:
    """Reads a class folder again and again; scenarios are loaded once."""

    def __init__(self, folder: ClassFolder) -> None:
        self.folder = folder
        self.parsed: dict[Path, tuple[tuple[int, int], ResultRecord]] = {}
        """Records already read, by path, with the (mtime, size) they were read at: each
        second only the files that changed are parsed again."""
        self.scenarios: dict[tuple[str, str], LoadedScenario] = {}
        self.matches: list[MatchSummary] = []
        """The matches as last read (shown again while the match file is busy)."""
        files = [Path(name) for name in folder.scenarios] or [
            listing.path for listing in catalog.listings()
        ]
        for path in files:
            try:
                loaded = loader.load(path)
            except FlashpointError:
                continue
            self.scenarios[(loaded.scenario.id, loaded.sha256)] = loaded

    def read(self) -> LiveClass:
        """The class as it stands now."""
        live = LiveClass(self.folder.code, [], self._empty_tallies(), Counter())
        by_point = {t.point: t for t in live.tallies}
        for student in self.students():
            rounds = self._rounds(student, live)
            live.students.append(self._progress(student, rounds))
            for record in rounds:
                for number, decision in enumerate(record.decisions, start=1):
                    tally = by_point.get(decision.point)
                    if tally is not None and not decision.fallback:  # never the student's
                        tally.counts[decision.choice] += 1
                        tally.numbers.add(number)
                if record.status == "finished" and record.ending:
                    live.endings[self._ending(record)] += 1
        live.matches = self._matches(live)
        live.students = [match_progress(p, live.matches) for p in live.students]
        return live

    def students(self) -> Iterable[Student]:
        """The class's students, in the order they joined."""
        return self.folder.students()

    def _matches(self, live: LiveClass) -> list[MatchSummary]:
        """The class's matches; a damaged match file is named in ``live`` and the rest of the
        class is shown all the same (while it is busy, the matches as last read)."""
        path = self.folder.path / "matches.sqlite"
        if not path.is_file():
            return []
        try:
            store = MatchStore(path)
            try:
                self.matches = store.summaries()
            finally:
                store.close()
        except MatchBusy:
            pass
        except MatchError as error:
            live.match_problem = str(error)
            self.matches = []
        return self.matches

    def _empty_tallies(self) -> list[Tally]:
        tallies = []
        for loaded in self.scenarios.values():
            roles = {role.id: n for n, role in enumerate(loaded.scenario.roles)}
            names = loaded.scenario.role_by_id
            order = {point.id: n for n, point in enumerate(loaded.scenario.points)}
            for point in sorted(
                loaded.scenario.points, key=lambda p: (roles.get(p.role, 0), p.date, order[p.id])
            ):
                tallies.append(
                    Tally(
                        point.id,
                        point.title,
                        names[point.role].name if point.role in names else point.role,
                        point.date,
                        point.history.choice,
                        {c.id: c.label for c in point.choices},
                    )
                )
        return tallies

    def _rounds(self, student: Student, live: LiveClass) -> list[ResultRecord]:
        """The student's rounds, one record each (a result wins over an older save)."""
        found: dict[str, tuple[float, ResultRecord]] = {}
        store = student.store
        for folder in (store.results, store.saves):
            if not folder.is_dir():
                continue
            for path in iter_record_files([folder]):
                try:
                    record, updated = self._read(path)
                except (RecordError, OSError):
                    live.unreadable += 1
                    continue
                if (self._scenario(record) is None) and self.scenarios:
                    continue  # a round of a scenario this class does not play
                known = found.get(record.round_id)
                if known is None or updated > known[0]:
                    found[record.round_id] = (updated, record)
        return [record for _, record in sorted(found.values(), key=lambda pair: pair[0])]

    def _read(self, path: Path) -> tuple[ResultRecord, float]:
        """The record in ``path`` and when it was last written, parsed only if it changed."""
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self.parsed.get(path)
        if cached is None or cached[0] != stamp:
            cached = (stamp, read_record(path))
            self.parsed[path] = cached
        return cached[1], stat.st_mtime

    def _scenario(self, record: ResultRecord) -> LoadedScenario | None:
        return self.scenarios.get((record.scenario_id, record.sha256))

    def _progress(self, student: Student, rounds: Iterable[ResultRecord]) -> Progress:
        latest = None
        for record in rounds:
            latest = record
        if latest is None:
            return Progress(student, "joined", updated=student.joined)
        status = {"finished": "finished", "abandoned": "left"}.get(latest.status, "playing")
        loaded = self._scenario(latest)
        role, date, ending, invented = latest.role, "", "", False
        if loaded is not None:
            scenario = loaded.scenario
            role = (
                scenario.role_by_id[latest.role].name
                if latest.role in (scenario.role_by_id)
                else latest.role
            )
            if latest.ending:
                ending, invented = self._ending(latest)
            elif status != "finished":
                date = latest.date
        elif latest.ending:
            ending = latest.ending
        return Progress(
            student,
            status,
            scenario=latest.scenario_title,
            role=role,
            decisions=sum(not d.fallback for d in latest.decisions),
            late=sum(d.fallback for d in latest.decisions),
            date=date,
            ending=ending,
            ending_invented=invented,
            updated=latest.finished or latest.started,
            match=latest.match,
            automatic=bool(latest.decisions) and latest.decisions[-1].fallback,
        )

    def _ending(self, record: ResultRecord) -> tuple[str, bool]:
        loaded = self._scenario(record)
        ending = record.ending or ""
        if loaded is None:
            return ending, False
        found = next((e for e in loaded.scenario.endings if e.id == ending), None)
        if found is None:
            return ending, False
        return found.title, found.distance > 0


def match_progress(progress: Progress, matches: Iterable[MatchSummary]) -> Progress:
    """A match seat still playing, as its match stands (its record is written only when the
    seat's own page plays a turn): its own moves and the automatic ones in the turns played,
    whether its move for the turn being played is sealed, whether its last move was
    automatic."""
    if progress.status != "playing" or not progress.match:
        return progress
    match = next((m for m in matches if m.code == progress.match), None)
    name = progress.student.name
    seat = None if match is None else next((s for s, n in match.seats.items() if n == name), None)
    if match is None or seat is None or seat not in match.own:
        return progress
    own, late = match.own[seat], match.late.get(seat, 0)
    return replace(
        progress,
        decisions=own + (seat in match.sealed),
        late=late,
        sealed=seat in match.sealed,
        automatic=seat in match.automatic and seat not in match.sealed,
    )
