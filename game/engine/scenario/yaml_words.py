"""YAML's parser errors in plain words, for the mistakes authors make most.

The parser reports what it expected ("did not find expected key"); an author needs what is
wrong in their text and how to fix it. These look at the lines around the error for the
usual causes: a tab used to indent, a block of text whose lines are indented less than its
first, list items out of line, an unquoted ': ' in a sentence.
"""

from __future__ import annotations

import re

from game.engine.base.problems import Mark

_BLOCK_HEADER = re.compile(r"^(\s*)(?:- )?[^:#]+:\s*[>|][-+]?\s*(#.*)?$")
_LOOK_BACK = 40
"""Lines to look back for the start of a block of text."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def plain_words(text: str, problem: str, mark: Mark) -> tuple[Mark, str, str] | None:
    """Where, what and how to fix, in plain words, or ``None`` if no common cause fits."""
    lines = text.split("\n")
    number = min(max(mark.line, 1), len(lines))
    for candidate in (number, number - 1):
        if 1 <= candidate <= len(lines) and "\t" in lines[candidate - 1]:
            column = lines[candidate - 1].index("\t") + 1
            return (
                Mark(candidate, column, mark.file),
                f"line {candidate} has a tab; YAML indents with spaces only",
                "replace the tab with spaces (most editors can do it for you)",
            )
    block = _block_indented_less(lines, number, mark.file)
    if block is not None:
        return block
    line_text = lines[number - 1] if lines else ""
    dash_here = "expected key" in problem and line_text.lstrip().startswith("- ")
    if dash_here or "expected '-' indicator" in problem or "found '-'" in problem:
        return (
            mark,
            "this list item is not lined up with the items before it",
            "start every item of a list with '- ' at the same indentation",
        )
    if "mapping values are not allowed" in problem:
        return (
            mark,
            "a ': ' inside unquoted text starts a new key here",
            "put the whole text in quotes, or write it on the following lines after '>-'",
        )
    if "cannot start any token" in problem:
        value = line_text.split(":", 1)[1].lstrip() if ":" in line_text else line_text.lstrip()
        if value[:1] in ("@", "`", "%"):
            return (
                mark,
                f"text cannot start with '{value[0]}' unless it is quoted",
                "put the whole text in quotes",
            )
    return None


def _block_indented_less(
    lines: list[str], number: int, file: str = ""
) -> tuple[Mark, str, str] | None:
    """A block of text (after '>-' or '|') whose line ``number`` or one before it is indented
    less than the block's first line, though more than the key that starts it."""
    for start in range(number - 1, max(0, number - _LOOK_BACK) - 1, -1):
        header = _BLOCK_HEADER.match(lines[start - 1]) if start >= 1 else None
        if header is None:
            continue
        key_indent = len(header.group(1))
        body = [
            (n, lines[n - 1])
            for n in range(start + 1, min(number, len(lines)) + 1)
            if lines[n - 1].strip()
        ]
        if not body:
            return None
        first_number, first = body[0]
        for n, line in body[1:]:
            if key_indent < _indent(line) < _indent(first):
                return (
                    Mark(n, _indent(line) + 1, file),
                    f"line {n} of the text after '{lines[start - 1].split(':', 1)[1].strip()}' "
                    f"(line {start}) is indented less than its first line ({first_number})",
                    "indent every line of a block of text at least as much as its first line",
                )
        return None
    return None
