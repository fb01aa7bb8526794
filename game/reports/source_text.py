"""A source document's text as a reader gets it: tables written as lines of text.

Seed documents copied from web pages keep their tables as Markdown-like rows
("Belligerents | |||||||", "---|---|---|"), which read as debris on screen and aloud. Here
each row becomes one line whose cells are joined by "; ", empty cells and separator rows
dropped. The quotes a scenario cites are searched in this text, so the passage found is the
one shown.
"""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"^[\s|:\-]*-[\s|:\-]*$")


def readable(text: str) -> str:
    """``text`` with its table rows as plain lines (other lines unchanged)."""
    lines = []
    for line in text.split("\n"):
        if "|" not in line:
            lines.append(line)
            continue
        if _SEPARATOR.match(line):
            continue
        cells = [cell.strip() for cell in line.split("|")]
        kept = "; ".join(cell for cell in cells if cell)
        if kept:
            lines.append(kept)
    return "\n".join(lines)
