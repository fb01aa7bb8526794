"""The teacher's live view of a class folder (``flashpoint class --live``).

It runs in the teacher's own terminal, never on the students' port, and only reads the
folder the server writes: who has joined, where each student is, how the class is choosing
at each decision against what the government really did, and the endings so far. It reads
again every second.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from fractions import Fraction
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from game.engine.base.stats import half_up
from game.engine.base.text import day_mon
from game.engine.classroom.live import LiveClass, Progress, Reader, Tally
from game.engine.classroom.status import pacing_json, status_word
from game.engine.play.scoring import NO_MOVE
from game.engine.records.classfolder import ClassFolder
from game.engine.records.pacing_file import ControlReader
from game.reports.class_data import pseudonym
from game.ui.literal import joined, literal
from game.ui.widgets.footer import KeyFooter

REFRESH_SECONDS = 1.0
BAR_WIDTH = 20
COLUMNS = ("Student", "Status", "Role", "Decided", "Date", "Ending")
ENDING = COLUMNS.index("Ending")
FLOORS = (12, 8, 8, 99, 99, 24)
"""Narrowest each column of students gets before the ending is narrowed: a pseudonym ("Student
K7QF"), the decisions and the date ("17 Jan") are never cut."""


def fit(room: int, wanted: list[int]) -> list[int]:
    """Each column's width in ``room`` cells: what its widest cell wants if all fit; else the
    widest column other than the ending is narrowed, one cell at a time, down to its floor,
    and only then the ending (so at 80 columns nothing is lost, at 120 the ending is whole)."""
    widths = list(wanted)
    while sum(widths) > room:
        narrower = [i for i, w in enumerate(widths) if i != ENDING and w > FLOORS[i]]
        if not narrower:
            narrower = [i for i, w in enumerate(widths) if w > min(FLOORS[i], 4)]
        if not narrower:
            break
        widths[max(narrower, key=lambda i: widths[i])] -= 1
    return widths


def _decided(progress: Progress) -> str:
    """The student's own decisions, and apart the automatic moves made for a silent seat."""
    late = f" (+{progress.late} late)" if progress.late else ""
    return f"{progress.decisions}{late}"


def bar(count: int, total: int) -> str:
    """A bar of ``count`` out of ``total`` in ``BAR_WIDTH`` cells."""
    filled = int(half_up(Fraction(BAR_WIDTH * count, total))) if total else 0
    return "█" * filled + "·" * (BAR_WIDTH - filled)


class LiveApp(App[None]):
    """Students, choices against history and endings, refreshed every second."""

    TITLE = "Flashpoint · live class"
    CSS = """
    #summary { padding: 0 1; height: auto; }
    #students { height: auto; max-height: 50%; }
    .heading { text-style: bold; padding: 1 1 0 1; }
    #choices, #endings, #matches { padding: 0 1; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_now", "Read again"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        folder: ClassFolder,
        anonymize: bool = False,
        reader: Reader | None = None,
        where: str = "",
        control: ControlReader | None = None,
    ) -> None:
        super().__init__()
        self.folder = folder
        self.reader = reader or Reader(folder)
        self.control = control or ControlReader(folder.path)
        """The class's pacing, so that each student reads as the console shows them."""
        self.pacing: dict[str, object] = {}
        self.where = where or str(folder.path)
        """Where the class is kept: its folder, or its database (never a password)."""
        self.latest: LiveClass | None = None
        self.anonymize = anonymize
        """Pseudonyms instead of names, as ``flashpoint class --anonymize`` gives them."""
        self.widths: list[int] = []

    def shown_name(self, name: str, ident: str) -> str:
        """A student's name as shown: their pseudonym with ``--anonymize``."""
        return pseudonym(name, ident) if self.anonymize else name

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        table: DataTable[str] = DataTable(id="students", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        with VerticalScroll():
            yield Static("Head-to-head matches", classes="heading", id="matches-heading")
            yield Static(id="matches")
            yield Static("Choices so far, against what really happened", classes="heading")
            yield Static(id="choices")
            yield Static("Endings so far", classes="heading")
            yield Static(id="endings")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"class code {self.folder.code} · {self.where}"
        self.action_refresh_now()
        self.set_interval(REFRESH_SECONDS, self.action_refresh_now)

    def action_refresh_now(self) -> None:
        """Read the class folder again and show it."""
        if not self.screen_stack or not self.screen.query("#summary"):
            return  # the app is closing: a last tick has nothing left to show
        live = self.reader.read()
        self.latest = live
        self.pacing = pacing_json(self.control.read(), time.time(), live)
        self.query_one("#summary", Static).update(self._summary(live))
        self._students(live)
        self.query_one("#choices", Static).update(self._choices(live.tallies))
        self.query_one("#endings", Static).update(self._endings(live))
        for widget in (self.query_one("#matches-heading"), self.query_one("#matches")):
            widget.display = bool(live.matches or live.match_problem)
        self.query_one("#matches", Static).update(self._matches(live))

    def _summary(self, live: LiveClass) -> str:
        parts = [
            f"{len(live.students)} joined",
            f"{live.count('playing')} playing",
            f"{live.count('finished')} finished",
            f"{live.count('left')} left (can continue)",
        ]
        if self.pacing.get("ended"):  # nobody can continue: the statuses say 'class ended'
            parts[3:] = ["class ended"]
        late = sum(p.late for p in live.students)
        if late:
            parts.append(f"late: {late} automatic move(s), {NO_MOVE}")
        if live.unreadable:
            parts.append(f"{live.unreadable} file(s) not readable yet")
        return " · ".join(parts)

    def on_resize(self) -> None:
        if self.latest is not None:
            self._students(self.latest)

    def _students(self, live: LiveClass) -> None:
        table: DataTable[str] = self.query_one("#students", DataTable)
        row = table.cursor_row
        rows = list(self._rows(live))
        wanted = [max([len(c), *(len(r[n]) for r in rows)]) for n, c in enumerate(COLUMNS)]
        padding = 2 * table.cell_padding * len(COLUMNS) + 2  # and a scroll bar's room
        widths = fit(self.size.width - padding, wanted)
        if widths != self.widths:  # the terminal or the longest cells changed
            self.widths = widths
            table.clear(columns=True)
            for label, width in zip(COLUMNS, widths, strict=True):
                table.add_column(label, width=width)
        table.clear()
        for key, cells in zip((p.student.id for p in live.students), rows, strict=True):
            table.add_row(*(literal(cell) for cell in cells), key=key)  # type: ignore[arg-type]
        if live.students:
            table.move_cursor(row=min(row, len(live.students) - 1))

    def _rows(self, live: LiveClass) -> Iterator[tuple[str, ...]]:
        """Each student's cells, as text."""
        for progress in live.students:
            date = ""
            if progress.date:
                try:
                    date = day_mon(dt.date.fromisoformat(progress.date))
                except ValueError:
                    date = ""
            ending = progress.ending
            if ending and progress.ending_invented:
                ending = f"{ending} (not historical)"
            yield (
                self.shown_name(progress.student.name, progress.student.id),
                status_word(progress, None, self.pacing),
                progress.role,
                _decided(progress) if progress.status != "joined" else "",
                date,
                ending,
            )

    def _choices(self, tallies: list[Tally]) -> RenderableType:
        if not tallies:
            return literal("No decision points to show.")
        parts: list[RenderableType] = []
        role = None
        for tally in tallies:
            if tally.role != role:
                role = tally.role
                parts.append(joined((f"\n{tally.role}", "bold underline")))
            when = day_mon(tally.date) if tally.date else ""
            parts.append(
                joined("\n", (f"{when}  {tally.title}", "bold"), f"  ({tally.total} decided)")
            )
            grid = RichTable.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column(ratio=1)
            for choice, label in tally.labels.items():
                count = tally.counts[choice]
                real = choice == tally.historical
                grid.add_row(
                    bar(count, tally.total),
                    str(count),
                    joined(
                        (label, "bold green" if real else ""),
                        ("  ← what happened" if real else "", "green"),
                    ),
                )
            parts.append(grid)
        return Group(*parts)

    def _endings(self, live: LiveClass) -> Text:
        if not live.endings:
            return literal("No round has ended yet.")
        total = sum(live.endings.values())
        parts: list[tuple[str, str] | str] = []
        for (title, invented), count in live.endings.most_common():
            parts.append(f"  {bar(count, total)} {count:>3}  ")
            parts.append(title)
            parts.append((" (not historical)\n", "yellow") if invented else "\n")
        return joined(*parts)

    def _matches(self, live: LiveClass) -> Text:
        """One line per match: its code, who sits where, the turn and how it stands."""
        parts: list[tuple[str, str] | str] = []
        if live.match_problem:
            parts += [(f"  {live.match_problem}", "bold red"), "\n"]
        for match in live.matches:
            seats = " · ".join(
                f"{seat}: {self.shown_name(name, f'{match.code}-{seat}') if name else '(free)'}"
                f"{' (gone)' if seat in match.gone else ''}"
                for seat, name in match.seats.items()
            )
            style = {"finished": "green", "paused": "yellow", "abandoned": "red"}.get(
                match.status, ""
            )
            parts += [(f"  {match.code}  ", "bold"), seats, f"  turn {match.turn}  "]
            parts += [(match.status, style), "\n"]
        return joined(*parts)
