"""The one renderer from the reports' document model to what Textual shows.

Screens never word history or a debrief themselves: they build blocks with
:mod:`game.reports` and show them through :func:`block_widget`, so the full-screen game, plain
mode and the exported debriefs say the same things under the same headings. Every piece of
text is literal (:func:`game.ui.literal.joined`): no markup, links or escapes.
"""

from __future__ import annotations

from typing import cast

from rich.console import RenderableType
from rich.table import Table as RichTable
from rich.text import Text
from textual.widgets import Static

from game.reports.curves import curve_lines
from game.reports.document import (
    Block,
    Bullets,
    Curves,
    Heading,
    Paragraph,
    Quote,
    Series,
    Table,
)
from game.ui.literal import joined

STYLES = {"strong": "bold", "em": "italic", "dim": "dim"}
BLOCKS = " ▁▂▃▄▅▆▇█"
CURVE_ROWS = 3
BAR = 6
"""Each bar's width: as wide as the date under it ("17 Jan")."""
CURVE_COLOURS = ("cyan", "green", "magenta", "yellow")


def ends_kept(left: Text, right: Text) -> RenderableType:
    """A one-line heading: ``right`` (the role) always shown whole at the end, ``left``
    cut with an ellipsis if the line is too short for both."""
    line = RichTable.grid(expand=True)
    line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    line.add_column(no_wrap=True, justify="right")
    line.add_row(left, right)
    return line


def paragraph_text(paragraph: Paragraph, prefix: str = "") -> Text:
    """A paragraph's spans with their emphasis."""
    return joined(prefix, *((span.text, STYLES.get(span.style, "")) for span in paragraph.spans))


def curve_bars(values: tuple[float, ...], top: int, colour: str) -> Text:
    """A bar chart of ladder positions, one bar per decision, on the ladder's own scale.

    Every curve shares the scale (0 to the highest rung), so their heights compare; Textual's
    Sparkline scales each series to its own range, which would make them look alike.
    """
    eighths = [round(value / max(top, 1) * 8 * CURVE_ROWS) for value in values]
    rows = []
    for row in reversed(range(CURVE_ROWS)):
        floor = 1 if row == 0 else 0  # the lowest rung still shows a sliver: a decision
        cells = [BLOCKS[min(8, max(floor, filled - row * 8))] * BAR for filled in eighths]
        rows.append(" ".join(cells))
    return Text("\n".join(rows) if values else "no decisions", style=colour)


def bar_dates(series: Series) -> Text:
    """The date under each bar ("17 Jan"; a second decision that day as "(2nd)")."""
    days = [date.split(" (")[0] if len(date) > BAR else date for date in series.dates]
    return Text(" ".join(day[:BAR].center(BAR) for day in days), style="dim")


def _curves(block: Curves) -> RenderableType:
    top = len(block.levels) - 1
    grid = RichTable.grid(padding=(0, 4))
    for _ in block.series:
        grid.add_column()
    grid.add_row(*(Text(series.label, style="bold") for series in block.series))
    grid.add_row(
        *(
            curve_bars(
                tuple(y for _, y in series.points), top, CURVE_COLOURS[n % len(CURVE_COLOURS)]
            )
            for n, series in enumerate(block.series)
        )
    )
    grid.add_row(*(bar_dates(series) for series in block.series))
    caption = joined(
        (f"{block.y_label}: ", "bold"),
        f"one bar per decision, as high as its rung (lowest {block.levels[0]}, "
        f"highest {block.levels[-1]}).",
    )
    names = Text()
    for line in curve_lines(block):
        label, _, path = line.partition(": ")
        names.append_text(joined((f"{label}: ", "bold"), path, "\n"))
    names.rstrip()
    outer = RichTable.grid()
    outer.add_column()
    outer.add_row(caption)
    outer.add_row(grid)
    outer.add_row(names)
    return outer


def _table(block: Table) -> RenderableType:
    table = RichTable(show_edge=False, expand=True, pad_edge=False)
    for cell in block.header:
        table.add_column(joined((cell, "bold")), overflow="fold")
    for row in block.rows:
        table.add_row(*(joined(cell) for cell in row))
    return table


def quote_text(quote: Quote) -> Text:
    """A verbatim quote in italics, and where it comes from."""
    mark = (f"[{quote.mark}] ", "bold") if quote.mark else ""
    return joined(
        "  ", mark, ("“" + quote.text + "”", "italic"), (f" — {quote.attribution}", "dim")
    )


def renderable(block: Block) -> RenderableType:
    """One block as a Rich renderable."""
    if isinstance(block, Heading):
        return joined((block.text, "bold underline" if block.level <= 2 else "bold"))
    if isinstance(block, Paragraph):
        return paragraph_text(block)
    if isinstance(block, Quote):
        return quote_text(block)
    if isinstance(block, Bullets):
        return Text("\n").join(paragraph_text(item, "  • ") for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    return _curves(block)


def block_widget(block: Block) -> Static:
    """One block as a widget, classed by kind so the styles can space and colour it."""
    kind = type(block).__name__.lower()
    classes = f"block {kind}"
    if isinstance(block, Heading):
        classes += f" level{block.level}"
    return Static(renderable(block), classes=classes, markup=False)


_TEXT_BLOCKS = (Paragraph, Quote, Bullets)
_CLOSE = (Quote, Bullets)
"""Text blocks that follow the one before without a blank line (``.block.quote`` in the
styles)."""


def _text_run(run: list[Block]) -> Static:
    """Consecutive paragraphs, quotes and lists as one widget, spaced as separate blocks would
    be: a debrief is 80 blocks, and a widget each cost the round's peak memory 1 MiB."""
    text = Text()
    for n, block in enumerate(run):
        if n:
            text.append("\n" if isinstance(block, _CLOSE) else "\n\n")
        text.append_text(cast(Text, renderable(block)))
    kind = type(run[0]).__name__.lower()
    return Static(text, classes=f"block {kind}", markup=False)


def block_widgets(blocks: list[Block]) -> list[Static]:
    """Every block, in order: headings, tables and curves as their own widgets, each run of
    text blocks between them as one."""
    widgets: list[Static] = []
    run: list[Block] = []
    for block in blocks:
        if isinstance(block, _TEXT_BLOCKS):
            run.append(block)
            continue
        if run:
            widgets.append(_text_run(run))
            run = []
        widgets.append(block_widget(block))
    if run:
        widgets.append(_text_run(run))
    return widgets
