"""Making text safe to show in a terminal and to store."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")

MAX_RATIONALE = 500
"""Longest rationale kept; a rationale is one line."""


def printable(text: str) -> str:
    """``text`` without terminal escape sequences, control or direction-override characters.

    Newlines and tabs stay. Use on anything not checked by the scenario loader (source
    documents, what a student types, files read back from disk) before showing it.
    """
    return _UNSAFE.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))


def one_line(text: str, limit: int = MAX_RATIONALE) -> str:
    """``text`` made printable, on one line, and cut to ``limit`` characters."""
    return " ".join(printable(text).split())[:limit]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell no spreadsheet will run and no viewer will reorder: escape sequences, control
    and direction-override characters are removed (:func:`printable`), then text starting with
    ``= + - @``, a tab or a carriage return gets a leading apostrophe (OWASP's rule for CSV
    injection). Numbers pass as they are."""
    if not isinstance(value, str):
        return value
    if _UNSAFE.search(value) is not None:  # else printable changes nothing: every escape
        value = printable(value)  # sequence starts with ESC, and CR is among _UNSAFE too
    return "'" + value if value.startswith(_FORMULA_START) else value


def file_part(text: str, limit: int = 40) -> str:
    """``text`` as part of a file name every system accepts: lower-case ASCII letters,
    digits and '_' (accents dropped, anything else one '-'), at most ``limit`` characters."""
    import unicodedata  # only when a file is named

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def export_name(player: str, round_id: str) -> str:
    """The name of a round's exported debrief (without its suffix): the student, then the
    round id, which names the scenario, the role or match seat, and when it was played."""
    return f"{file_part(player) or 'student'}-{file_part(round_id, 100) or 'round'}"


class TerminalSafe:
    """A text stream that passes everything through :func:`printable` on its way to a terminal
    or a file: no escape sequence, control or direction-override character from a scenario,
    save or record ever reaches the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def long_date(day: dt.date) -> str:
    """``3 January 2024``: the one way dates are written in full."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """``3 Jan 2024``, for tables and attributions."""
    return f"{day.day} {day:%b %Y}"


def day_month(day: dt.date) -> str:
    """``3 January``, for timelines within one crisis."""
    return f"{day.day} {day:%B}"


def day_mon(day: dt.date) -> str:
    """``3 Jan``, for narrow timelines."""
    return f"{day.day} {day:%b}"


def sources_heading(day: dt.date) -> str:
    """What the source viewer lists while deciding on ``day``."""
    return f"Sources published before {long_date(day)}"
