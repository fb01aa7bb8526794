"""A whole class's records, aggregated in one streaming pass.

Memory stays flat as the number of records grows: counts, sums and histograms only, plus a
bounded sample of rationales per choice for discussion.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from game.engine import catalog, loader
from game.engine.classfolder import ClassFolder, is_class_folder
from game.engine.debrief import historical_round
from game.engine.loader import LoadedScenario
from game.engine.problems import FlashpointError
from game.engine.records import Record, RecordError, Summary, iter_record_files, read_record
from game.engine.records import summarise as summarise_record

RATIONALE_SAMPLES = 12
"""Rationales kept per choice for the report; the rest are counted."""


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
    endings: Counter[str] = field(default_factory=Counter)
    curve_counts: dict[str, list[Counter[int]]] = field(default_factory=dict)
    """Per role, per decision number, how many rounds stood on each rung."""
    divergence_total: int = 0
    divergence_count: int = 0
    rationales: dict[tuple[str, str], Rationales] = field(
        default_factory=lambda: defaultdict(Rationales)
    )
    historical_curves: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def records(self) -> int:
        """How many records the group holds."""
        return sum(self.students.values())

    @property
    def average_divergence(self) -> float | None:
        """Mean divergence of the records that could be compared with history."""
        return self.divergence_total / self.divergence_count if self.divergence_count else None

    def add(self, record: Record, summary: Summary | None) -> None:
        """Count one record."""
        self.students[record.role] += 1
        self.statuses[record.status] += 1
        if record.player:
            self.named += 1
        self.endings[record.ending or "(unfinished)"] += 1
        for decision in record.decisions:
            self.choices[decision.point][decision.choice] += 1
            if decision.rationale:
                self.rationales[(decision.point, decision.choice)].add(
                    record.round_id, record.player, decision.rationale
                )
        if summary is None:
            return
        self.divergence_total += summary.divergence
        self.divergence_count += 1
        steps = self.curve_counts.setdefault(record.role, [])
        for number, position in enumerate(summary.curve):
            if number == len(steps):
                steps.append(Counter())
            steps[number][position] += 1


@dataclass
class ClassReport:
    """Every group of records read, and what could not be read."""

    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    """One warning per record that was skipped, naming the file."""

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
                loaded = loader.load(catalog.resolve(record.scenario_id))
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


def build(
    paths: Iterable[Path], scenario: Path | None = None, on_row: Callable[[Row], None] | None = None
) -> ClassReport:
    """Aggregate every record under ``paths``; ``on_row`` receives one CSV row per decision."""
    report = ClassReport()
    scenarios = _Scenarios(scenario)
    for path in iter_record_files(paths):
        try:
            record = read_record(path)
        except RecordError as error:
            report.skipped.append(str(error))
            continue
        group = _group(report, scenarios, record)
        summary = None
        if group.loaded is not None:
            try:
                summary = summarise_record(record, group.loaded.scenario)
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
            for role in loaded.scenario.roles:
                group.historical_curves[role.id] = tuple(
                    historical_round(loaded, role.id).escalation()
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
