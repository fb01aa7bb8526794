"""A whole class's records, aggregated in one streaming pass.

Memory grows by one short row per record (the table of students); everything else is counts,
sums and histograms, plus a bounded sample of rationales per choice for discussion.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from game.engine import catalog, loader
from game.engine.classfolder import ClassFolder, is_class_folder
from game.engine.debrief import historical_round
from game.engine.loader import LoadedScenario
from game.engine.problems import FlashpointError
from game.engine.records import Record, RecordError, Summary, iter_record_files, read_record
from game.engine.records import summarise as summarise_record
from game.engine.stats import CalendarKey, on_calendar

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
        """Count a rationale and keep it if it is among the first by round id."""
        self.count += 1
        if len(self.sample) < RATIONALE_SAMPLES or round_id < self.sample[-1][0]:
            bisect.insort(self.sample, (round_id, player, text))
            del self.sample[RATIONALE_SAMPLES:]


class Student(NamedTuple):
    """One round in the class's table of students (a row, built once per record)."""

    file: str
    round_id: str
    player: str
    role: str
    status: str
    ending: str | None
    decisions: int
    matched: int | None
    """Decisions that matched history (``None`` if the round could not be scored)."""
    divergence: int | None
    seconds: float
    """Time spent on the round's decisions."""


@dataclass(frozen=True)
class PairSeat:
    """One seat of a head-to-head match, as the class report compares the pair."""

    round_id: str
    player: str
    role: str
    ending: str | None
    divergence: int | None
    departure: tuple[str, str] | None
    """The first decision (point, choice) that differs from history, if any."""


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
    """Decisions in rounds that could be scored."""
    rationales: dict[tuple[str, str], Rationales] = field(
        default_factory=lambda: defaultdict(Rationales)
    )
    historical_curves: dict[str, dict[CalendarKey, int]] = field(default_factory=dict)
    rounds: list[Student] = field(default_factory=list)
    """One short row per record, for the table of students."""
    pairs: dict[str, list[PairSeat]] = field(default_factory=lambda: defaultdict(list))
    """Head-to-head: each match's seats, by match code."""
    measured: dict[tuple[object, ...], Summary] = field(default_factory=dict, repr=False)
    """Each path measured so far: a class's rounds share a handful of paths."""
    calendars: dict[tuple[str, ...], list[CalendarKey]] = field(default_factory=dict, repr=False)
    """Each sequence of points placed on the calendar so far."""

    def summarise(self, record: Record) -> Summary:
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

    def add(self, record: Record, summary: Summary | None) -> None:
        """Count one record."""
        self.students[record.role] += 1
        self.statuses[record.status] += 1
        if record.player:
            self.named += 1
        self.endings[record.ending or "(unfinished)"] += 1
        choices, seconds, rationales = self.choices, self.seconds, self.rationales
        spent = 0.0
        for decision in record.decisions:
            point = decision.point
            choices[point][decision.choice] += 1
            seconds[point][int(decision.seconds + 0.5)] += 1
            spent += decision.seconds
            if decision.rationale:
                rationales[(point, decision.choice)].add(
                    record.round_id, record.player, decision.rationale
                )
        self.rounds.append(
            Student(
                record.path.name,
                record.round_id,
                record.player,
                record.role,
                record.status,
                record.ending,
                len(record.decisions),
                None if summary is None else sum(summary.matches),
                None if summary is None else summary.divergence,
                spent,
            )
        )
        if record.match:
            departure = None
            if summary is not None:
                pairs = zip(record.decisions, summary.matches, strict=True)
                differing = [decision for decision, same in pairs if not same]
                departure = (differing[0].point, differing[0].choice) if differing else None
            self.pairs[record.match].append(
                PairSeat(
                    record.round_id,
                    record.player,
                    record.role,
                    record.ending,
                    None if summary is None else summary.divergence,
                    departure,
                )
            )
        if summary is None or self.loaded is None:
            return
        self.divergence_total += summary.divergence
        self.divergence_count += 1
        self.matched += sum(summary.matches)
        self.scored += len(summary.matches)
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


@dataclass
class ClassReport:
    """Every group of records read, and what could not be read."""

    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    """One warning per record that was skipped, naming the file."""
    left_out: Counter[str] = field(default_factory=Counter)
    """Records left out by status (``--status``), per status."""

    @property
    def total(self) -> int:
        """Records counted in some group."""
        return sum(group.records for group in self.groups.values())


class _Scenarios:
    """Finds and loads each scenario once."""

    def __init__(self, override: Path | None) -> None:
        self.override = override
        self.cache: dict[tuple[str, str], tuple[LoadedScenario | None, str]] = {}

    def get(self, record: Record) -> tuple[LoadedScenario | None, str]:
        key = (record.scenario_id, record.sha256)
        if key not in self.cache:
            self.cache[key] = self._load(record)
        return self.cache[key]

    def _load(self, record: Record) -> tuple[LoadedScenario | None, str]:
        """The scenario that scores ``record``: the teacher's (``--scenario``) or the bundled
        one with its id, and only if its SHA-256 is the one the record was played on. The
        file a record names is never opened: a crafted record could name any file."""
        try:
            if self.override is not None:
                loaded = loader.load(self.override)
            else:
                loaded = catalog.load(record.scenario_id)
        except FlashpointError:
            return None, (
                "no bundled scenario has this id; these records are listed apart, not scored "
                "(pass --scenario with the file they were played on)"
            )
        if loaded.scenario.id != record.scenario_id:
            return None, f"{loaded.path.name} is another scenario; listed apart, not scored"
        if loaded.sha256 != record.sha256:
            return None, (
                f"played on another version of the scenario than {loaded.path.name} (its "
                "SHA-256 differs); listed apart, not scored (pass --scenario with that version)"
            )
        return loaded, ""


Row = dict[str, object]


def expand_class_folders(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each class folder (from ``flashpoint serve``) replaced by its students'
    results folders."""
    expanded: list[Path] = []
    for path in paths:
        if is_class_folder(path):
            expanded.extend(ClassFolder.read(path).result_folders())
        else:
            expanded.append(path)
    return expanded


def class_scenario(paths: Iterable[Path]) -> Path | None:
    """The one scenario file a class folder among ``paths`` was served with, if there is
    exactly one (it scores the class's records only where their SHA-256 matches)."""
    files = {
        scenario
        for path in paths
        if is_class_folder(path)
        for scenario in ClassFolder.read(path).scenarios
    }
    return Path(files.pop()) if len(files) == 1 else None


STATUSES = {
    "all": frozenset({"finished", "abandoned"}),
    "finished": frozenset({"finished"}),
    "abandoned": frozenset({"abandoned"}),
}
"""What ``--status`` keeps. A record of any other status is kept only by ``all``."""


def build(
    paths: Iterable[Path],
    scenario: Path | None = None,
    on_row: Callable[[Row], None] | None = None,
    status: str = "all",
) -> ClassReport:
    """Aggregate every record under ``paths`` (in file-name order) whose status ``status``
    keeps; ``on_row`` receives one CSV row per decision."""
    report = ClassReport()
    scenarios = _Scenarios(scenario)
    keep = STATUSES[status]
    for path in iter_record_files(paths):
        try:
            record = read_record(path)
        except RecordError as error:
            report.skipped.append(str(error))
            continue
        if status != "all" and record.status not in keep:
            report.left_out[record.status or "unknown"] += 1
            continue
        group = _group(report, scenarios, record)
        summary = None
        if group.loaded is not None:
            try:
                summary = group.summarise(record)
            except RecordError as error:
                report.skipped.append(str(error))
                continue
        group.add(record, summary)
        if on_row is not None:
            for row in rows(record, summary):
                on_row(row)
    return report


def _group(report: ClassReport, scenarios: _Scenarios, record: Record) -> Group:
    key = (record.scenario_id, record.sha256)
    group = report.groups.get(key)
    if group is None:
        loaded, note = scenarios.get(record)
        group = Group(record.scenario_id, record.sha256, record.scenario_title, loaded, note)
        if loaded is not None:
            points = loaded.scenario.point_by_id
            for role in loaded.scenario.roles:
                history = historical_round(loaded, role.id)
                keys = on_calendar([points[d.point].date for d in history.decisions])
                group.historical_curves[role.id] = dict(
                    zip(keys, history.escalation(), strict=True)
                )
        report.groups[key] = group
    return group


CSV_COLUMNS = (
    "file",
    "round",
    "scenario",
    "scenario_sha256",
    "role",
    "player",
    "status",
    "decision",
    "point",
    "choice",
    "matches_history",
    "rung",
    "seconds",
    "rationale",
    "ending",
    "divergence",
)


def rows(record: Record, summary: Summary | None) -> Iterable[Row]:
    """One CSV row per decision of ``record``."""
    for number, decision in enumerate(record.decisions):
        matches = "" if summary is None else ("yes" if summary.matches[number] else "no")
        yield {
            "file": record.path.name,
            "round": record.round_id,
            "scenario": record.scenario_id,
            "scenario_sha256": record.sha256,
            "role": record.role,
            "player": record.player,
            "status": record.status,
            "decision": number + 1,
            "point": decision.point,
            "choice": decision.choice,
            "matches_history": matches,
            "rung": decision.rung,
            "seconds": round(decision.seconds, 1),
            "rationale": decision.rationale,
            "ending": record.ending or "",
            "divergence": "" if summary is None else summary.divergence,
        }
