"""A whole class's records, aggregated in one pass over the files: a large class is split into
runs read by forked processes at once, their groups merged in order (:func:`build`).

Memory grows by one short row per record (the table of students); everything else is counts,
sums and histograms, plus a bounded sample of rationales per choice for discussion
(:mod:`game.engine.classroom.class_group`).
"""

from __future__ import annotations

import os
import pickle
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from game.engine.base.problems import FlashpointError
from game.engine.base.stats import on_calendar
from game.engine.checks import loader
from game.engine.classroom.class_group import Group, PairSeat, Rationales, StudentRow
from game.engine.play.historical import historical_round
from game.engine.play.scoring import NO_MOVE
from game.engine.records import catalog
from game.engine.records.classfolder import ClassFolder, is_class_folder
from game.engine.records.record_rows import ResultRecord
from game.engine.records.results import RecordError, Summary, iter_record_files, read_record
from game.engine.scenario.loaded import LoadedScenario

__all__ = ["ClassReport", "Group", "PairSeat", "Rationales", "StudentRow", "build"]


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

    def get(self, scenario_id: str, sha256: str) -> tuple[LoadedScenario | None, str]:
        key = (scenario_id, sha256)
        if key not in self.cache:
            self.cache[key] = self._load(scenario_id, sha256)
        return self.cache[key]

    def _load(self, scenario_id: str, sha256: str) -> tuple[LoadedScenario | None, str]:
        """The scenario that scores records of ``scenario_id`` played on the version with
        ``sha256``: the teacher's (``--scenario``) or the bundled one with that id, and only
        if its SHA-256 matches. The file a record names is never opened: a crafted record
        could name any file."""
        try:
            if self.override is not None:
                loaded = loader.load(self.override)
            else:
                loaded = catalog.load(scenario_id)
        except FlashpointError:
            return None, (
                "no bundled scenario has this id; these records are listed apart, not scored "
                "(pass --scenario with the file they were played on)"
            )
        if loaded.scenario.id != scenario_id:
            return None, f"{loaded.path.name} is another scenario; listed apart, not scored"
        if loaded.sha256 != sha256:
            return None, (
                f"played on another version of the scenario than {loaded.path.name} (its "
                "SHA-256 differs); listed apart, not scored (pass --scenario with that version)"
            )
        return loaded, ""


Row = list[object]
"""A CSV row: its cells in the order of its columns."""


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


def class_codes(paths: Iterable[Path]) -> tuple[str, ...]:
    """The class codes of the class folders among ``paths``, each once, in order."""
    codes = (ClassFolder.read(path).code for path in paths if is_class_folder(path))
    return tuple(dict.fromkeys(codes))


STATUSES = {
    "all": frozenset({"finished", "abandoned"}),
    "finished": frozenset({"finished"}),
    "abandoned": frozenset({"abandoned"}),
}
"""What ``--status`` keeps. A record of any other status is kept only by ``all``."""


def _count_only(group: Group, record: ResultRecord, summary: Summary | None) -> None:
    group.students[record.role] += 1


Figures = Literal["all", "students", "records"]
FIGURES = {"all": Group.add, "students": Group.add_student, "records": _count_only}
"""What a report adds up of each record: every figure, the table of students only (the
gradebook), or only how many records there are (the CSV: its rows are the report)."""


SPLIT_FROM = 2000
"""Records from which a report is read by several processes: below it, starting one costs
more than it saves."""
MAX_WORKERS = 4
"""Processes that read a large class at most."""


def workers() -> int:
    """How many processes a large class report is read by: one per core available, at most
    :data:`MAX_WORKERS`, and one where processes cannot be forked."""
    if not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_WORKERS, cores or 1))


class RowSink(Protocol):
    """Where a CSV's rows go, in file order: the reports' one CSV writer."""

    def record(self, head: Row, decisions: list[Row], tail: Row) -> None:
        """Write one record's rows, one per decision: ``head`` + a decision's cells + ``tail``
        (in a forked reader, keep them until :meth:`taken`)."""

    def detach(self) -> None:
        """In a forked reader: forget the rows pending from before the fork, and from now on
        keep the rows until taken, never writing where the parent writes."""

    def taken(self) -> str:
        """The text of the rows kept since the last call, which are then forgotten."""

    def put(self, text: str) -> None:
        """Write rows another process took, after the rows written so far."""


def build(
    paths: Iterable[Path],
    scenario: Path | None = None,
    sink: RowSink | None = None,
    status: str = "all",
    processes: int = 1,
    split_from: int = SPLIT_FROM,
    figures: Figures = "all",
) -> ClassReport:
    """Aggregate every record under ``paths`` (in file-name order) whose status ``status``
    keeps; ``sink`` receives one CSV row per decision, in order. ``figures`` says what is
    added up (:data:`FIGURES`): everything, or only what the gradebook or the CSV uses.

    With ``processes`` above one and at least ``split_from`` records, the records are split
    into that many runs: this process reads the first, a forked process each other, and
    their reports are merged in order, the same report as one process's
    (:meth:`Group.merge`); each forked process's CSV rows come back as text, put in order
    after this process's. A run whose process fails is read here."""
    reading = _Reading(ClassReport(), _Scenarios(scenario), status, sink, figures)
    files = list(iter_record_files(paths))
    parts = processes if len(files) >= split_from else 1
    if parts <= 1 or not hasattr(os, "fork"):
        reading.read(files)
        return reading.report
    reading.read(files[:1])  # its scenario is loaded once, here, for every process
    size = -(-len(files) // parts)
    runs = [files[start : start + size] for start in range(size, len(files), size)]
    children = [_fork(reading, run) for run in runs]
    reading.read(files[1:size])
    for child, run in zip(children, runs, strict=True):
        sent = None if child is None else _collect(*child)
        if sent is None:  # no process, or it failed: its records are read here instead
            reading.read(run)
        else:
            reading.merge(sent[0])
            if sink is not None:
                sink.put(sent[1])
    return reading.report


class _Reading:
    """Records read into one report."""

    def __init__(
        self,
        report: ClassReport,
        scenarios: _Scenarios,
        status: str,
        sink: RowSink | None,
        figures: Figures = "all",
    ) -> None:
        self.report, self.scenarios, self.status, self.sink = report, scenarios, status, sink
        self.figures = figures
        self.count = FIGURES[figures]
        self.keep = None if status == "all" else STATUSES[status]

    def read(self, files: Iterable[Path]) -> None:
        report, keep, count = self.report, self.keep, self.count
        on_record = None if self.sink is None else self.sink.record
        for path in files:
            try:
                record = read_record(path)
            except RecordError as error:
                report.skipped.append(str(error))
                continue
            if keep is not None and record.status not in keep:
                report.left_out[record.status or "unknown"] += 1
                continue
            group = self.group(record.scenario_id, record.sha256, record.scenario_title)
            summary = None
            if group.loaded is not None:
                try:
                    summary = group.summarise(record)
                except RecordError as error:
                    report.skipped.append(str(error))
                    continue
            count(group, record, summary)
            if on_record is not None:
                on_record(*record_rows(record, summary))

    def merge(self, part: ClassReport) -> None:
        """Add ``part``, the report of the records after those read so far."""
        for (scenario_id, sha256), other in part.groups.items():
            self.group(scenario_id, sha256, other.title).merge(other)
        self.report.skipped.extend(part.skipped)
        self.report.left_out.update(part.left_out)

    def group(self, scenario_id: str, sha256: str, title: str) -> Group:
        key = (scenario_id, sha256)
        group = self.report.groups.get(key)
        if group is None:
            loaded, note = self.scenarios.get(scenario_id, sha256)
            group = Group(scenario_id, sha256, title, loaded, note)
            if loaded is not None:
                points = loaded.scenario.point_by_id
                for role in loaded.scenario.roles:
                    history = historical_round(loaded, role.id)
                    keys = on_calendar([points[d.point].date for d in history.decisions])
                    group.historical_curves[role.id] = dict(
                        zip(keys, history.escalation(), strict=True)
                    )
            self.report.groups[key] = group
        return group


def _fork(reading: _Reading, files: list[Path]) -> tuple[int, int] | None:
    """A process reading ``files`` into a report of its own, which it sends back pickled;
    its id and the pipe to read that from (``None`` if no process could be started)."""
    try:
        into, out = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:  # at the limit of processes or memory
        os.close(into)
        os.close(out)
        return None
    if pid:
        os.close(out)
        return pid, into
    code = 1
    try:  # the child: whatever happens, it leaves by os._exit (no buffers, no atexit)
        os.close(into)
        sink = reading.sink
        if sink is not None:
            sink.detach()
        part = _Reading(ClassReport(), reading.scenarios, reading.status, sink, reading.figures)
        part.read(files)
        portable = ClassReport(
            {key: group.portable() for key, group in part.report.groups.items()},
            part.report.skipped,
            part.report.left_out,
        )
        text = "" if sink is None else sink.taken()
        with os.fdopen(out, "wb") as pipe:
            pickle.dump((portable, text), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


def _collect(pid: int, into: int) -> tuple[ClassReport, str] | None:
    """The report and CSV text a forked process sent, or ``None`` if it failed."""
    with os.fdopen(into, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    try:
        part = pickle.loads(data)  # noqa: S301 (our own forked process's, through our own pipe)
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    if not isinstance(part, tuple) or len(part) != 2:
        return None
    report, text = part
    return (report, text) if isinstance(report, ClassReport) and isinstance(text, str) else None


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
    "in_time",
    "rung",
    "seconds",
    "rationale",
    "ending",
    "divergence",
)


def record_rows(record: ResultRecord, summary: Summary | None) -> tuple[Row, list[Row], Row]:
    """The CSV rows of ``record``, one per decision, as the cells every row of the record
    begins and ends with and each decision's cells between, in the order of
    :data:`CSV_COLUMNS` (lists, not dicts: a class's CSV has a row per decision, tens of
    thousands; the record's own cells are made safe for a spreadsheet once, not per row)."""
    head: Row = [
        record.path.name,
        record.round_id,
        record.scenario_id,
        record.sha256,
        record.role,
        record.player,
        record.status,
    ]
    tail: Row = [record.ending or "", "" if summary is None else _blank(summary.divergence)]
    decisions: list[Row] = []
    for number, decision in enumerate(record.decisions):
        if decision.fallback:  # the seat was silent: an automatic move, never scored
            matches = NO_MOVE
        else:
            matches = "" if summary is None else ("yes" if summary.matches[number] else "no")
        decisions.append(
            [
                number + 1,
                decision.point,
                decision.choice,
                matches,
                "no" if decision.fallback else "yes",
                decision.rung,
                round(decision.seconds, 1),
                decision.rationale,
            ]
        )
    return head, decisions, tail


def _blank(value: int | None) -> int | str:
    return "" if value is None else value
