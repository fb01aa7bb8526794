"""Writing a :class:`~game.reports.document.Document` as terminal text, Markdown or HTML."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Sequence
from itertools import chain, islice
from operator import getitem

from game.engine.base.text import printable
from game.reports.curves import CURVE_STYLE, CURVE_STYLE_DARK, curve_lines, svg_curves
from game.reports.document import (
    Block,
    Bullets,
    Curves,
    Document,
    Heading,
    Paragraph,
    Quote,
    Table,
)

WIDTH = 78
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+>#=])")
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])")
_MD_LINKABLE = re.compile(r"@|:(?=//)|(?<=[^\W_])\.(?=[^\W\d_])")
"""'@', '://' and a dot before a letter (as in a domain): written as character references,
so that no renderer's linkify (GitHub's, markdown-it's) sees an address to link."""


# --- plain text (terminal) -----------------------------------------------------------------


def _plain(paragraph: Paragraph) -> str:
    return "".join(span.text for span in paragraph.spans)


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    lines = textwrap.wrap(
        printable(text),
        WIDTH,
        initial_indent=first or indent,
        subsequent_indent=indent,
        break_long_words=True,
    ) or [first or ""]
    return "\n".join(lines)


def _text_block(block: Block) -> str:
    if isinstance(block, Heading):
        title = printable(block.text)
        rule = "=" if block.level == 1 else "-"
        return f"{title}\n{rule * min(WIDTH, len(title))}"
    if isinstance(block, Paragraph):
        return _wrap(_plain(block))
    if isinstance(block, Quote):
        mark = f"[{block.mark}] " if block.mark else ""
        return _wrap(f"{mark}“{block.text}” — {block.attribution}", indent="    ", first="  > ")
    if isinstance(block, Bullets):
        return "\n".join(_wrap(_plain(item), indent="    ", first="  * ") for item in block.items)
    if isinstance(block, Table):
        return _text_table(block)
    return _text_curves(block)


def _column_widths(widest: list[int], gap: int) -> list[int]:
    """Each column's width: its widest cell's, the widest narrowed in turn (to 8 at least)
    until the row fits the page with ``gap`` between columns."""
    widths = list(widest)
    room = WIDTH - gap * (len(widths) - 1)
    while sum(widths) > room and max(widths) > 8:
        widest_column = widths.index(max(widths))
        widths[widest_column] -= 1
    return widths


def _text_table(table: Table) -> str:
    rows = [table.header, *table.rows]
    # A class's table repeats its roles, statuses and endings: each distinct cell is
    # flattened once, and each distinct cell of a column wrapped once.
    flat = {cell: " ".join(printable(cell).split()) for cell in set(chain.from_iterable(rows))}
    columns = [[flat[cell] for cell in column] for column in zip(*rows, strict=True)]
    gap = " " * 2
    widths = _column_widths([max(map(len, column)) for column in columns], len(gap))
    wrapped = [
        {cell: _cell_lines(cell, width) for cell in set(column)}
        for column, width in zip(columns, widths, strict=True)
    ]
    heights = [{cell: len(found) for cell, found in column.items()} for column in wrapped]
    tallest = max((max(column.values(), default=1) for column in heights), default=1)
    for column, width in zip(wrapped, widths, strict=True):
        for found in column.values():  # every cell as tall as the tallest: rows slice them
            found.extend([" " * width] * (tallest - len(found)))
    lines = []
    for number, row in enumerate(zip(*columns, strict=True)):
        height = max(map(getitem, heights, row))
        parts = islice(zip(*map(getitem, wrapped, row), strict=True), height)
        lines.extend([gap.join(line).rstrip() for line in parts])
        if number == 0:
            lines.append(gap.join("-" * w for w in widths))
    return "\n".join(lines)


def _cell_lines(cell: str, width: int) -> list[str]:
    """A table cell wrapped to its column and padded to its width."""
    wrapped = [cell] if len(cell) <= width else textwrap.wrap(cell, width, break_long_words=True)
    return [line.ljust(width) for line in wrapped or [""]]


def _text_curves(curves: Curves) -> str:
    return "\n".join(_wrap(line, indent="    ") for line in curve_lines(curves))


def text_blocks(blocks: Sequence[Block]) -> str:
    """Blocks as wrapped plain text, a blank line between them (for plain mode)."""
    return "\n\n".join(_text_block(block) for block in blocks)


def to_text(document: Document) -> str:
    """The document for a terminal: wrapped plain text, control characters removed."""
    parts = [_text_block(Heading(document.title, 1))]
    parts.extend(_text_block(block) for block in document.blocks)
    return "\n\n".join(parts) + "\n"


# --- Markdown ------------------------------------------------------------------------------


def md_escape(text: str, line_start: bool = True) -> str:
    """``text`` as literal Markdown: no emphasis, links, HTML or headings can come from it.

    ``line_start`` says whether the text begins a line, where '-', '#', '1.' and the like
    would start a list or a heading (leading white space is dropped there: Markdown would
    drop it too, or read it as code). Addresses are broken up with character references
    (:data:`_MD_LINKABLE`) so that no renderer turns them into links.
    """
    clean = printable(text)
    lead = " " if clean[:1].isspace() and not line_start else ""
    trail = " " if clean[-1:].isspace() and clean.strip() else ""
    flat = lead + " ".join(clean.split()).replace("&", "&amp;").replace("<", "&lt;") + trail
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    escaped = _MD_LINKABLE.sub(lambda m: f"&#{ord(m[0])};", escaped)
    if not line_start:
        return escaped
    escaped = _MD_NUMBERED.sub(r"\1\\\2", escaped)
    return _MD_LINE_START.sub(r"\1\\\2", escaped)


def _md_spans(paragraph: Paragraph) -> str:
    marks = {"strong": "**", "em": "*", "dim": "*"}
    out = []
    for number, span in enumerate(paragraph.spans):
        text = md_escape(span.text, line_start=number == 0)
        mark = marks.get(span.style, "")
        core = text.strip()
        if mark and core:
            lead = " " if text[:1].isspace() else ""
            trail = " " if text[-1:].isspace() else ""
            text = f"{lead}{mark}{core}{mark}{trail}"
        out.append(text)
    return "".join(out)


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {md_escape(block.text)}"
    if isinstance(block, Paragraph):
        return _md_spans(block)
    if isinstance(block, Quote):
        mark = f"\\[{block.mark}\\] " if block.mark else ""
        return f"> {mark}“{md_escape(block.text)}”  \n> — {md_escape(block.attribution)}"
    if isinstance(block, Bullets):
        return "\n".join(f"- {_md_spans(item)}" for item in block.items)
    if isinstance(block, Table):
        # A class's table repeats its roles, statuses and endings: each distinct cell is
        # escaped once (the same text as table_row's).
        cells = (block.header, *block.rows)
        escaped = {cell: md_escape(cell) for cell in set(chain.from_iterable(cells))}.__getitem__
        rows = ["| " + " | ".join(map(escaped, row)) + " |" for row in cells]
        rows.insert(1, "|" + "---|" * len(block.header))
        return "\n".join(rows)
    return "\n".join(f"- {md_escape(line, line_start=False)}" for line in curve_lines(block))


def table_row(cells: tuple[str, ...]) -> str:
    """One Markdown table row of escaped cells."""
    return "| " + " | ".join(md_escape(cell) for cell in cells) + " |"


def to_markdown(document: Document) -> str:
    """The document as Markdown in which every piece of text is literal."""
    parts = [f"# {md_escape(document.title)}"]
    parts.extend(_md_block(block) for block in document.blocks)
    return "\n\n".join(parts) + "\n"


# --- HTML ----------------------------------------------------------------------------------

STYLE = (
    """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#1d1d1f;background:#fff}
h1{font-size:1.7rem;border-bottom:2px solid #1f5fa8;padding-bottom:.3rem}
h2{font-size:1.3rem;margin-top:2rem;color:#1f5fa8}h3{font-size:1.1rem;margin-top:1.5rem}
blockquote{margin:.5rem 0 .5rem 1rem;padding:.2rem .8rem;border-left:4px solid #8aa9cf;
background:#f4f7fb}blockquote footer{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #ccd;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef2f8}
.dim{color:#666}svg{max-width:100%;height:auto}figure{margin:1rem 0}
"""
    + CURVE_STYLE
    + """
@media (prefers-color-scheme:dark){"""
    + CURVE_STYLE_DARK
    + """
body{background:#16181d;color:#e6e6e6}
blockquote{background:#1f2530}th{background:#232a36}th,td{border-color:#39414f}
.dim{color:#9aa}h2{color:#8ab4e8}h1{border-color:#8ab4e8}}
@media print{body{max-width:none;margin:0;color:#000;background:#fff;font-size:11pt}
"""
    + CURVE_STYLE
    + """
h1{border-color:#000}h2{color:#000;break-after:avoid}h3{break-after:avoid}
th{background:#eee}th,td{border-color:#999}blockquote{background:none}.dim{color:#444}
tr,figure,blockquote{break-inside:avoid}}
"""
)


def _h(text: str) -> str:
    return html.escape(printable(text), quote=True)


def _html_spans(paragraph: Paragraph) -> str:
    tags = {"strong": "strong", "em": "em", "dim": "span"}
    out = []
    for span in paragraph.spans:
        tag = tags.get(span.style)
        attr = ' class="dim"' if span.style == "dim" else ""
        out.append(f"<{tag}{attr}>{_h(span.text)}</{tag}>" if tag else _h(span.text))
    return "".join(out)


def _html_block(block: Block, cite: Callable[[str], str] | None = None) -> str:
    if isinstance(block, Heading):
        level = min(block.level, 6)
        return f"<h{level}>{_h(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{_html_spans(block)}</p>"
    if isinstance(block, Quote):
        mark = f"[{_h(block.mark)}]" if block.mark else ""
        if mark and cite is not None:
            hidden = '<span class="visually-hidden"> (open the cited passage)</span>'
            mark = f'<a href="{_h(cite(block.mark))}">{mark}{hidden}</a>'
        return (
            f"<blockquote><p>{mark + ' ' if mark else ''}“{_h(block.text)}”</p>"
            f"<footer>— {_h(block.attribution)}</footer></blockquote>"
        )
    if isinstance(block, Bullets):
        items = "".join(f"<li>{_html_spans(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        head = "".join(f"<th>{_h(cell)}</th>" for cell in block.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{_h(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f"<figure>{svg_curves(block)}</figure>"


def html_blocks(blocks: Sequence[Block], cite: Callable[[str], str] | None = None) -> str:
    """Blocks as HTML fragments for a page of the class server; ``cite`` turns a quote's
    citation number into the address of the cited passage (a link)."""
    return "\n".join(_html_block(block, cite) for block in blocks)


def to_html(document: Document) -> str:
    """The document as one self-contained HTML page: no scripts, no external resources."""
    body = "\n".join(_html_block(block) for block in document.blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{_h(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{_h(document.title)}</h1>\n{body}\n</body>\n</html>\n"
    )


WRITERS: dict[str, Callable[[Document], str]] = {
    "text": to_text,
    "md": to_markdown,
    "html": to_html,
}
