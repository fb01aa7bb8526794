"""Blocks written for a screen reader (plain mode): linear text, nothing decorative.

The conventions terminal programs adopt for a screen-reader mode: no rules of dashes or
``=``, no bullets, arrows or ``>`` quote marks (a screen reader reads them aloud, or reads
nothing useful), no tables (their wrapped columns read as interleaved lines: each row becomes
a sentence), no drawings; short sections that end in a pause, so that speech does not run
from one section into the next. Quotes keep their typographic quote marks and their number.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from game.engine.base.text import printable
from game.engine.scenario.sources import find_quote
from game.reports.curves import curve_lines
from game.reports.document import Block, Bullets, Curves, Heading, Paragraph, Quote, Table

WIDTH = 78
SEPARATOR = " · "
"""The full-screen game's separator; read aloud as "middle dot", so written as a comma."""
SENTENCES_AROUND = 2
"""How many sentences before and after a quoted passage ``s N`` reads."""
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+|\n\s*\n")


def wrap(text: str) -> list[str]:
    """``text`` wrapped to the page, its own line breaks kept, no word broken."""
    lines: list[str] = []
    for paragraph in printable(text).replace(SEPARATOR, ", ").split("\n"):
        lines.extend(
            textwrap.wrap(paragraph, WIDTH, break_on_hyphens=False, break_long_words=False) or [""]
        )
    return lines


def _plain(paragraph: Paragraph) -> str:
    return "".join(span.text for span in paragraph.spans)


def _row(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    return (
        "; ".join(
            f"{name}: {cell}" if name else cell for name, cell in zip(header, row, strict=True)
        )
        + "."
    )


def block_lines(block: Block) -> list[str]:
    """One block as lines to be read in order."""
    if isinstance(block, Heading):
        return wrap(block.text)
    if isinstance(block, Paragraph):
        return wrap(_plain(block))
    if isinstance(block, Quote):
        mark = f"[{block.mark}] " if block.mark else ""
        return wrap(f"{mark}“{block.text}” — {block.attribution}")
    if isinstance(block, Bullets):
        return [line for item in block.items for line in wrap(_plain(item))]
    if isinstance(block, Table):
        return [line for row in block.rows for line in wrap(_row(block.header, row))]
    return curve_sentences(block)


def curve_sentences(curves: Curves) -> list[str]:
    """Each escalation curve as a sentence: the rung at each date, in order (no arrows)."""
    return [line for found in curve_lines(curves) for line in wrap(found.replace(" → ", "; then "))]


def spoken(blocks: Sequence[Block]) -> list[str]:
    """Blocks as lines, a blank line between blocks."""
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines.extend(block_lines(block))
    return lines


def around(text: str, quote: str, sentences: int = SENTENCES_AROUND) -> str | None:
    """The sentence that holds ``quote`` in ``text``, with ``sentences`` more on each side;
    ``None`` if the quote is not found."""
    span = find_quote(text, quote)
    if span is None:
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    before = [end for end in ends if end <= span[0]]
    after = [end for end in ends if end >= span[1]]
    start = before[-sentences - 1] if len(before) > sentences else 0
    stop = after[sentences] if len(after) > sentences else len(text)
    return " ".join(text[start:stop].split())
