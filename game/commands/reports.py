"""Commands for instructors' reports: results, debrief, class."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from game.commands import OK, PROBLEMS, USAGE, emit, store_of
from game.engine.base.problems import FlashpointError
from game.engine.base.text import spreadsheet_cell
from game.engine.records.results import RecordError, iter_record_files, read_record
from game.engine.records.store import StoreError, read_json

if TYPE_CHECKING:
    from game.engine.classroom.class_report import ClassReport

Row = list[object]


def results(args: argparse.Namespace) -> int:
    """List the result records in the data folder, newest first."""
    folder = store_of(args).results
    records, problems = [], []
    for path in iter_record_files([folder]) if folder.is_dir() else ():
        try:
            records.append(read_record(path))
        except RecordError as error:
            problems.append(str(error))
    records.sort(key=lambda r: r.started, reverse=True)
    print(f"{len(records)} result(s) in {folder}")
    for record in records:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.started))
        who = record.player or "anonymous"
        print(
            f"{record.path.name}  {when}  {record.scenario_id}  {record.role}  {who}  "
            f"{record.status}  {len(record.decisions)} decision(s)  "
            f"ending: {record.ending or '-'}"
        )
    for problem in problems:
        print(f"warning: skipped {problem}", file=sys.stderr)
    return OK


def find_result(name: str, args: argparse.Namespace) -> Path:
    """A result file by path, or by round id in the data folder's results."""
    path = Path(name)
    if path.is_file():
        return path
    candidate = store_of(args).results / f"{name.removesuffix('.json')}.json"
    if candidate.is_file():
        return candidate
    raise RecordError(f"{name}: no such result file or round id; 'flashpoint results' lists them")


def debrief(args: argparse.Namespace) -> int:
    """One student's debrief in the chosen format."""
    from game.engine.classroom.debrief_file import from_record
    from game.reports.debrief_report import debrief_data, debrief_document
    from game.reports.document import Paragraph
    from game.reports.writers import WRITERS

    path = find_result(args.result, args)
    try:
        data = read_json(path)
    except StoreError as error:
        raise RecordError(str(error)) from None
    scenario = args.scenario or _own_scenario(data, args)
    try:
        report, note = from_record(data, scenario)
    except FlashpointError as error:
        if scenario is not None:
            raise
        raise FlashpointError(f"{error}; give the scenario's file with --scenario FILE") from None
    if args.format == "json":
        content = debrief_data(report)
        if note:
            content["note"] = note
        emit(json.dumps(content, ensure_ascii=False, indent=2) + "\n", args.output)
        return OK
    document = debrief_document(report)
    if note:
        document.blocks.insert(0, Paragraph.of(("Note: ", "strong"), note))
    emit(WRITERS[args.format](document), args.output)
    return OK


def _own_scenario(data: dict[str, Any], args: argparse.Namespace) -> Path | None:
    """One of the data folder's own scenarios with the record's scenario id, or ``None`` (the
    bundled one is looked for then). The file the record names is never opened: a crafted
    record could name any file."""
    from game.engine.play.roundfile import read_header
    from game.engine.records import catalog
    from game.engine.scenario.files import scenario_files

    scenario_id = read_header(data)["scenario_id"]
    folder = store_of(args).home / "scenarios"
    own = scenario_files([folder]) if folder.is_dir() else []
    if not own:  # (listings of no files would list the bundled ones)
        return None
    return next((s.path for s in catalog.listings(files=own) if s.id == scenario_id), None)


def class_report(args: argparse.Namespace) -> int:
    """A whole class's report; CSV streams one row per student per decision."""
    from game.engine.classroom import class_report as classroom
    from game.reports.class_data import class_data
    from game.reports.class_report import class_document
    from game.reports.json_text import class_json
    from game.reports.writers import WRITERS

    if args.live:
        from game.commands.serve import live, live_database

        if args.database is not None and not args.results:
            return live_database(args.database, args.class_name, args.anonymize)
        if len(args.results) != 1:
            print("error: --live watches one class folder", file=sys.stderr)
            return USAGE
        return live(args.results[0], args.anonymize)
    if args.database is not None or not args.results:
        return _from_database(args)
    given = list(args.results)
    args.results = classroom.expand_class_folders(given)
    if args.scenario is None:
        args.scenario = classroom.class_scenario(given)
    if args.format == "csv":
        report = _class_csv(args)
    elif args.format == "gradebook":
        report = _gradebook(args)
    else:
        report = classroom.build(
            args.results, args.scenario, status=args.status, processes=classroom.workers()
        )
        data = class_data(report, args.status, args.anonymize, classroom.class_codes(given))
        if args.format == "json":
            emit(class_json(data) + "\n", args.output)
        else:
            emit(WRITERS[args.format](class_document(data)), args.output)
    for warning in report.skipped:
        print(f"warning: skipped {warning}", file=sys.stderr)
    if report.total == 0:
        print("no usable result records found", file=sys.stderr)
        return PROBLEMS
    return OK


def _from_database(args: argparse.Namespace) -> int:
    """The class report of a class kept in a database: its records are written to a private
    temporary class folder, reported as one, and removed."""
    import datetime as dt
    import tempfile

    from game.engine.records.storage import open_class
    from game.engine.records.stored_rounds import export_class

    if args.database is None or args.results or args.live:
        print(
            "error: give result files or folders, or --database URL (not both; the live view "
            "reads a class folder)",
            file=sys.stderr,
        )
        return USAGE
    name = args.class_name or dt.date.today().isoformat()
    storage = open_class(args.database, name=name, create=False)
    try:
        with tempfile.TemporaryDirectory(prefix="flashpoint-class-") as folder:
            args.results, args.database = [export_class(storage, Path(folder) / "class")], None
            return class_report(args)
    finally:
        storage.close()


def _class_csv(args: argparse.Namespace) -> ClassReport:
    """One row per student per decision, streamed as the records are read (a large class by
    several processes, as the other formats)."""
    from game.engine.classroom import class_report as classroom
    from game.reports.class_data import pseudonym

    player, round_id = (classroom.CSV_COLUMNS.index(c) for c in ("player", "round"))

    def anonymized(row: Row) -> None:
        row[player] = pseudonym(str(row[player]), str(row[round_id]))

    def fill(out: CsvOut) -> ClassReport:
        out.rewrite = anonymized if args.anonymize else None
        return classroom.build(
            args.results,
            args.scenario,
            sink=out,
            status=args.status,
            processes=classroom.workers(),
            figures="records",  # its rows are the whole report
        )

    return _write_csv(args.output, classroom.CSV_COLUMNS, fill)


def _gradebook(args: argparse.Namespace) -> ClassReport:
    """One row per student (docs/debrief.md, "Formats")."""
    from game.engine.classroom import class_report as classroom
    from game.reports.gradebook import COLUMNS, gradebook_rows

    report = classroom.build(
        args.results,
        args.scenario,
        status=args.status,
        processes=classroom.workers(),
        figures="students",
    )

    def fill(out: CsvOut) -> ClassReport:
        for row in gradebook_rows(report, args.anonymize):
            out.row([row[column] for column in COLUMNS])
        return report

    return _write_csv(args.output, COLUMNS, fill)


def _write_csv(
    output: Path | None, columns: tuple[str, ...], fill: Callable[[CsvOut], ClassReport]
) -> ClassReport:
    """A report's CSV, written through the one CSV writer (:class:`CsvOut`) by ``fill``; a
    file is written atomically."""
    from game.engine.base.safefile import SHARED_FILE
    from game.engine.records.store import atomic_open

    target = atomic_open(output, SHARED_FILE) if output else nullcontext(sys.stdout)
    with target as handle:
        out = CsvOut(handle, columns)
        report = fill(out)
        out.put("")
    if output:
        print(f"wrote {output}", file=sys.stderr)
    return report


SAFE_CELLS = 1 << 16
"""Cells whose CSV field the writer remembers: a class's ids, statuses, endings and many
rationales repeat on every row."""
FLUSH = 1 << 16
"""Characters of rows the CSV writer gathers before writing them out."""


class CsvOut:
    """The one CSV writer of reports: every text cell is made safe for a spreadsheet
    (:func:`~game.engine.base.text.spreadsheet_cell`) and quoted as :mod:`csv` quotes it
    (Excel's dialect: a field holding a comma, a double quote, CR or LF is put in double
    quotes, each of its double quotes doubled; numbers are written as ``str`` writes them;
    rows end in CRLF). A class CSV's rows are written a record at a time (:meth:`record`):
    the cells its rows share are made into text once, each distinct text cell's field is
    remembered, and the rows are joined as text, not passed one by one to :mod:`csv`;
    ``tests/test_csv_out.py`` checks that this is the text :mod:`csv` writes of the cells
    made safe one by one.

    It is also the class report's :class:`~game.engine.classroom.class_report.RowSink`: a process
    forked to read part of a class keeps its rows as text, which this process puts in order."""

    def __init__(self, handle: TextIO | None, columns: tuple[str, ...]) -> None:
        self.handle = handle
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.writer.writerow(columns)
        self.rewrite: Callable[[Row], None] | None = None
        """What is done to each record's leading cells first (``--anonymize``)."""
        self.fields: dict[object, str] = {}
        """Each text cell's field (only text: ``1 == 1.0``, whose fields differ)."""

    def field(self, value: object) -> str:
        """``value`` as a CSV field: a text cell made safe, then quoted if it must be."""
        if not isinstance(value, str):  # numbers pass as they are
            return "" if value is None else csv_field(str(value))
        found = self.fields.get(value)
        if found is None:
            if len(self.fields) >= SAFE_CELLS:
                self.fields.clear()
            found = self.fields[value] = csv_field(str(spreadsheet_cell(value)))
        return found

    def row(self, row: Row) -> None:
        """Write one row (by :mod:`csv` itself, each cell made safe)."""
        self.writer.writerow([spreadsheet_cell(cell) for cell in row])
        self._flush()

    def record(self, head: Row, decisions: list[Row], tail: Row) -> None:
        """Write one row per decision, ``head`` + the decision's cells + ``tail``: the leading
        and trailing cells are made safe and quoted once for all the record's rows."""
        if self.rewrite is not None:
            self.rewrite(head)
        field, known = self.field, self.fields.get
        lead = "".join([field(cell) + "," for cell in head])
        end = "".join(["," + field(cell) for cell in tail]) + "\r\n"
        rows = [
            lead
            + ",".join(
                [
                    known(c) or (str(c) if type(c) is int or type(c) is float else field(c))
                    for c in cells
                ]
            )
            + end
            for cells in decisions
        ]  # (a number's field is its str, which never needs quotes)
        self.buffer.write("".join(rows))
        self._flush()

    def _flush(self) -> None:
        if self.handle is not None and self.buffer.tell() >= FLUSH:
            self.handle.write(self.taken())

    def detach(self) -> None:
        self.handle = None  # a forked reader: the parent alone writes the file
        self.taken()

    def taken(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    def put(self, text: str) -> None:
        assert self.handle is not None
        self.handle.write(self.taken() + text)


def csv_field(text: str) -> str:
    """``text`` as :mod:`csv`'s Excel dialect writes a field (the minimal quoting)."""
    if "," in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text
