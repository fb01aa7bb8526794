"""The class CSV is written a record at a time as text (:class:`CsvOut.record`), not row by row
through :mod:`csv`: it must be byte for byte what :mod:`csv` writes of the same cells, each made
safe for a spreadsheet by :func:`spreadsheet_cell` on its own, and no text cell may start a
formula or carry a control character."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from game.commands.reports import SAFE_CELLS, CsvOut, csv_field
from game.engine.base.text import spreadsheet_cell
from game.engine.classroom import class_report as classroom
from scripts.make_sample_results import write_records

Row = list[object]

TRICKY = (
    "=1+1",
    "+cmd",
    "-2",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "cr\r\nlf",
    "\x1b[31mred",
    "bidi\u202eevil",
    "\u2066iso\u2069",
    "ünïcödé, ok",
    "  spaced  ",
    ",=lead",
    '""',
    "\x00nul",
    "",
    '=HYPERLINK("http://x","y")',
)
texts = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
numbers = st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True))
cells = st.lists(st.one_of(texts, numbers), min_size=1, max_size=6)


def expected(rows: list[Row]) -> str:
    """What :mod:`csv` writes of ``rows``, each cell made safe on its own: the expectation,
    independent of :class:`CsvOut`'s way."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return buffer.getvalue()


def written(records: list[tuple[Row, list[Row], Row]], columns: tuple[str, ...] = ("c",)) -> str:
    out = CsvOut(None, columns)
    for head, decisions, tail in records:
        out.record(list(head), decisions, list(tail))
    return out.taken()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(cells, st.lists(cells, max_size=4), cells), max_size=6))
def test_a_record_s_rows_are_what_csv_writes_of_the_safe_cells(
    records: list[tuple[Row, list[Row], Row]],
) -> None:
    rows = [head + cells + tail for head, decisions, tail in records for cells in decisions]
    assert written(records) == expected([["c"], *rows])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_field_is_quoted_as_csv_quotes_it(text: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([text, 0])
    assert buffer.getvalue() == csv_field(text) + ",0\r\n"


def test_no_text_cell_starts_a_formula_or_carries_a_control_character() -> None:
    records: list[tuple[Row, list[Row], Row]] = [
        ([text, 1], [[text, 2.5, text], [-3, text]], [text]) for text in TRICKY
    ]
    for row in csv.reader(io.StringIO(written(records))):
        for cell in row:
            if cell.lstrip("-").replace(".", "").isdigit() or cell == "c":
                continue  # the numbers, which pass as they are, and the header
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            # tab and line feed are kept inside a cell; CR, escapes, bidi overrides are not
            assert not any(c not in "\t\n" and not c.isprintable() for c in cell), cell


def test_the_remembered_fields_are_forgotten_when_full_and_stay_right() -> None:
    many: list[tuple[Row, list[Row], Row]] = [
        ([f"={n}", n], [[f"-{n}", float(n)]], [f"@{n}"]) for n in range(SAFE_CELLS + 10)
    ]
    rows: list[Row] = [head + cells + tail for head, decisions, tail in many for cells in decisions]
    assert written(many) == expected([["c"], *rows])


def test_the_class_csv_is_csv_s_text_of_the_report_s_rows(tmp_path: Path) -> None:
    """A whole class, with names and rationales a spreadsheet would run, anonymized or not:
    the file is what :mod:`csv` writes of the report's rows, made safe cell by cell."""
    write_records(tmp_path, 40, seed=11)
    for number, path in enumerate(sorted(tmp_path.iterdir())):
        data = json.loads(path.read_text())
        data["player"] = TRICKY[number % len(TRICKY)] or "Ana"
        for entry in data["entries"]:
            if entry["kind"] == "decision":
                entry["rationale"] = TRICKY[(number * 7 + len(entry["point"])) % len(TRICKY)]
        path.write_text(json.dumps(data))
    for rewrite in (None, _anonymized):
        sink = Rows(rewrite)
        classroom.build([tmp_path], sink=sink)
        buffer = io.StringIO()
        out = CsvOut(buffer, classroom.CSV_COLUMNS)
        out.rewrite = rewrite
        classroom.build([tmp_path], sink=out)
        out.put("")
        assert len(sink.rows) > 100
        assert buffer.getvalue() == expected([list(classroom.CSV_COLUMNS), *sink.rows])


class Rows:
    """A sink that keeps the report's rows as cells (one process reads the class)."""

    def __init__(self, rewrite: Callable[[Row], None] | None) -> None:
        self.rows: list[Row] = []
        self.rewrite = rewrite

    def record(self, head: Row, decisions: list[Row], tail: Row) -> None:
        if self.rewrite is not None:
            self.rewrite(head)
        self.rows.extend(head + cells + tail for cells in decisions)

    def detach(self) -> None:
        raise AssertionError("one process reads this class")

    def taken(self) -> str:
        raise AssertionError("one process reads this class")

    def put(self, text: str) -> None:
        raise AssertionError("one process reads this class")


def _anonymized(row: Row) -> None:
    row[5] = f"student {len(str(row[5]))}"


def test_the_csv_and_the_gradebook_add_up_only_what_they_use(tmp_path: Path) -> None:
    """The CSV counts records only and the gradebook keeps the table of students only: the
    same file, the same gradebook, the same count and warnings as with every figure added
    up, in one process or in parts."""
    from game.reports.gradebook import gradebook_rows

    write_records(tmp_path, 30, seed=5)
    (tmp_path / "sample-00004.json").write_text('{"format": "flashpoint-round"')
    finished = json.loads((tmp_path / "sample-00007.json").read_text())
    finished["status"] = "abandoned"
    (tmp_path / "sample-00007.json").write_text(json.dumps(finished))

    def csv_text(**options: Any) -> tuple[str, int, list[str]]:
        buffer = io.StringIO()
        out = CsvOut(buffer, classroom.CSV_COLUMNS)
        report = classroom.build([tmp_path], sink=out, **options)
        out.put("")
        return buffer.getvalue(), report.total, report.skipped

    for status in ("all", "finished"):
        every = csv_text(status=status)
        assert every[1] > 20 and len(every[2]) == 1
        assert csv_text(status=status, figures="records") == every
        split: dict[str, Any] = {"processes": 2, "split_from": 1}
        assert csv_text(status=status, figures="records", **split) == every
        alone = classroom.build([tmp_path], status=status)
        for options in ({}, split):
            kept = classroom.build([tmp_path], status=status, figures="students", **options)
            assert (kept.total, kept.skipped) == (alone.total, alone.skipped)
            for anonymize in (False, True):
                assert list(gradebook_rows(kept, anonymize)) == list(
                    gradebook_rows(alone, anonymize)
                )
