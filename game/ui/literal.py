"""Scenario and player text as Rich ``Text``: shown exactly as written, never as markup."""

from __future__ import annotations

from rich.text import Text

from game.engine.base.text import printable


def literal(text: str, style: str = "") -> Text:
    """``text`` as a renderable that Textual shows verbatim (no markup, links or escapes)."""
    return Text(printable(text), style=style)


def joined(*parts: tuple[str, str] | str) -> Text:
    """Several pieces of literal text, each optionally with a style: ``("text", "bold")``."""
    result = Text()
    for part in parts:
        if isinstance(part, str):
            result.append(printable(part))
        else:
            result.append(printable(part[0]), style=part[1])
    return result
