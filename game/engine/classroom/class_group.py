"""One scenario version's records in a class report: counts, sums and histograms, a short
row per record, and a bounded sample of rationales per choice.

A group is filled one record at a time (:meth:`Group.add`); :meth:`Group.merge` adds the
counts of a group filled elsewhere (another process reading another part of the class), and
the result is the same as if one group had read every record in order.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import NamedTuple

from game.engine.base.stats import CalendarKey, on_calendar
from game.engine.records.record_rows import ResultRecord
from game.engine.records.results import Summary
from game.engine.records.results import summarise as summarise_record
from game.engine.scenario.loaded import LoadedScenario

RATIONALE_SAMPLES = 12
"""Rationales kept per choice for the report; the rest are counted."""
MEASURED = 4096
"""Distinct paths a group remembers the measure of (bounded: records come from outside)."""


@dataclass
class Rationales:
    """A bounded, deterministic sample of the rationales given for one choice."""

    count: int = 0
    sample: list[tuple[str, str, str]] = field(default_factory=list)
    """(round id, player, rationale) with the smallest round ids seen, in order."""

    def add(self, round_id: str, player: str, text: str) -> None:
        """Count a rationale and keep it if it is among the first by round id (then player and
        text: the sample is the smallest of all, whatever order the records come in)."""
        self.count += 1
        item = (round_id, player, text)
        if len(self.sample) < RATIONALE_SAMPLES or item < self.sample[-1]:
            bisect.insort(self.sample, item)
            del self.sample[RATIONALE_SAMPLES:]

    def merge(self, other: Rationales) -> None:
        """Add ``other``'s rationales: the smallest of both samples are the smallest of all."""
        self.count += other.count
        self.sample = sorted(self.sample + other.sample)[:RATIONALE_SAMPLES]


class StudentRow(NamedTuple):
    """One round in the class's table of students (a row, built once per record)."""

    file: str
    round_id: str
    player: str
    role: str
    status: str
    ending: str | None
    decisions: int
    """Decisions of the round, automatic moves included."""
    matched: int | None
    """The student's own decisions that matched history (``None`` if the round could not be
    scored)."""
    divergence: int | None
    seconds: float
    """Time spent on the round's decisions."""
    late: int = 0
    """Automatic moves: decisions where the seat was silent past the deadline (a match's
    fallback), never the student's."""
    started: float = 0.0


@dataclass(frozen=True)
class PairSeat:
    """One seat of a head-to-head match, as the class report compares the pair."""

    round_id: str
    player: str
    role: str
    ending: str | None
    divergence: int | None
    departure: tuple[str, str] | None
    """The first of the student's own decisions (point, choice) that differs from history."""
    moved: int = 0
    """The student's own decisions (in time)."""
    late: int = 0
    """Automatic moves (no move in time)."""
    history_seats: tuple[str, ...] = ()
    """The match's seats no classmate sat in: history's moves, nobody's."""


@dataclass
class Group:
    """The records of one scenario version (scenario id and SHA-256)."""

    scenario_id: str
    sha256: str
    title: str
    loaded: LoadedScenario | None
    note: str = ""
    students: Counter[str] = field(default_factory=Counter)
    """Records per role."""
    named: int = 0
    """Records that carry a player's name."""
    statuses: Counter[str] = field(default_factory=Counter)
    choices: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    """Per point, how often each choice was taken."""
    seconds: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    """Per point, how many decisions took each whole number of seconds (rounded half up)."""
    endings: Counter[str] = field(default_factory=Counter)
    curve_counts: dict[str, dict[CalendarKey, Counter[int]]] = field(default_factory=dict)
    """Per role, per place on the calendar, how many rounds' decisions stood on each rung."""
    divergence_total: int = 0
    divergence_count: int = 0
    matched: int = 0
    """Scored decisions that matched history."""
    scored: int = 0
    """The students' own decisions in rounds that could be scored."""
    late: Counter[str] = field(default_factory=Counter)
    """Per point, automatic moves (a silent match seat's fallback): counted apart, never as
    a choice the class made."""
    rationales: dict[tuple[str, str], Rationales] = field(
        default_factory=lambda: defaultdict(Rationales)
    )
    historical_curves: dict[str, dict[CalendarKey, int]] = field(default_factory=dict)
    rounds: list[StudentRow] = field(default_factory=list)
    """One short row per record, for the table of students."""
    pairs: dict[str, list[PairSeat]] = field(default_factory=lambda: defaultdict(list))
    """Head-to-head: each match's seats, by match code."""
    measured: dict[tuple[object, ...], Summary] = field(default_factory=dict, repr=False)
    """Each path measured so far: a class's rounds share a handful of paths."""
    calendars: dict[tuple[str, ...], list[CalendarKey]] = field(default_factory=dict, repr=False)
    """Each sequence of points placed on the calendar so far."""

    def summarise(self, record: ResultRecord) -> Summary:
        """``record`` measured against the group's scenario (raises :class:`RecordError`);
        a path already measured is not measured again."""
        assert self.loaded is not None
        path = (tuple([(d.point, d.choice) for d in record.decisions]), record.rungs, record.ending)
        summary = self.measured.get(path)
        if summary is None:
            summary = summarise_record(record, self.loaded.scenario)
            if len(self.measured) < MEASURED:
                self.measured[path] = summary
        return summary

    def merge(self, other: Group) -> None:
        """Add the counts and rows of ``other``, a group of the same scenario version that
        read the records after this one's, as if this group had read them too."""
        self.students.update(other.students)
        self.named += other.named
        self.statuses.update(other.statuses)
        for point, taken in other.choices.items():
            self.choices[point].update(taken)
        for point, times in other.seconds.items():
            self.seconds[point].update(times)
        self.endings.update(other.endings)
        for role, steps in other.curve_counts.items():
            mine = self.curve_counts.setdefault(role, {})
            for key, counts in steps.items():
                mine.setdefault(key, Counter()).update(counts)
        self.divergence_total += other.divergence_total
        self.divergence_count += other.divergence_count
        self.matched += other.matched
        self.scored += other.scored
        self.late.update(other.late)
        for chosen, given in other.rationales.items():
            self.rationales[chosen].merge(given)
        self.rounds.extend(other.rounds)
        for code, seats in other.pairs.items():
            self.pairs[code].extend(seats)

    def portable(self) -> Group:
        """This group's counts and rows without its scenario and caches, to send to another
        process (which has the scenario already) for :meth:`merge`."""
        return replace(self, loaded=None, historical_curves={}, measured={}, calendars={})

    @property
    def records(self) -> int:
        """How many records the group holds."""
        return sum(self.students.values())

    @property
    def average_divergence(self) -> Fraction | None:
        """Mean divergence of the records that could be compared with history."""
        if not self.divergence_count:
            return None
        return Fraction(self.divergence_total, self.divergence_count)

    def add_student(self, record: ResultRecord, summary: Summary | None) -> None:
        """Count one record and keep its row of the table of students, and nothing else: all
        that the gradebook uses of a class (:meth:`add` counts every figure)."""
        self.students[record.role] += 1
        spent, late = 0.0, 0
        for decision in record.decisions:
            if decision.fallback:
                late += 1
            else:
                spent += decision.seconds
        self.rounds.append(_student(record, summary, spent, late))

    def add(self, record: ResultRecord, summary: Summary | None) -> None:
        """Count one record."""
        self.students[record.role] += 1
        self.statuses[record.status] += 1
        if record.player:
            self.named += 1
        self.endings[record.ending or "(unfinished)"] += 1
        choices, seconds, rationales = self.choices, self.seconds, self.rationales
        spent, late = 0.0, 0
        for decision in record.decisions:
            point = decision.point
            if decision.fallback:  # not the student's: counted apart, never as a choice
                self.late[point] += 1
                late += 1
                continue
            choices[point][decision.choice] += 1
            seconds[point][int(decision.seconds + 0.5)] += 1
            spent += decision.seconds
            if decision.rationale:
                rationales[(point, decision.choice)].add(
                    record.round_id, record.player, decision.rationale
                )
        self.rounds.append(_student(record, summary, spent, late))
        if record.match:
            departure = None
            if summary is not None:
                pairs = zip(record.decisions, summary.matches, strict=True)
                differing = [decision for decision, same in pairs if same is False]
                departure = (differing[0].point, differing[0].choice) if differing else None
            self.pairs[record.match].append(
                PairSeat(
                    record.round_id,
                    record.player,
                    record.role,
                    record.ending,
                    None if summary is None else summary.divergence,
                    departure,
                    len(record.decisions) - late,
                    late,
                    record.history_seats,
                )
            )
        if summary is None or self.loaded is None:
            return
        if summary.divergence is not None:
            self.divergence_total += summary.divergence
            self.divergence_count += 1
        self.matched += summary.matched
        self.scored += summary.decided
        visited = tuple([d.point for d in record.decisions])
        keys = self.calendars.get(visited)
        if keys is None:
            points = self.loaded.scenario.point_by_id
            keys = on_calendar([points[point].date for point in visited])
            if len(self.calendars) < MEASURED:
                self.calendars[visited] = keys
        steps = self.curve_counts.setdefault(record.role, {})
        for key, position in zip(keys, summary.curve, strict=True):
            counts = steps.get(key)
            if counts is None:
                steps[key] = counts = Counter()
            counts[position] += 1


def _student(record: ResultRecord, summary: Summary | None, spent: float, late: int) -> StudentRow:
    return StudentRow(
        record.path.name,
        record.round_id,
        record.player,
        record.role,
        record.status,
        record.ending,
        len(record.decisions),
        None if summary is None else summary.matched,
        None if summary is None else summary.divergence,
        spent,
        late,
        record.started,
    )
