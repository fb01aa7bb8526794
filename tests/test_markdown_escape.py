"""The Markdown escaper, proved against markdown-it-py's parser (GitHub-like, with linkify):
whatever a scenario or a student writes renders as the same plain text, never as structure
or a link."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from game.engine.base.text import printable
from game.reports.writers import md_escape, table_row

PARSER = MarkdownIt("gfm-like")
PIECES = [
    *"-+*_#>=<&`[]()!|~\\:/.@ \t\n1234567890abcXw",
    "www.",
    "http://",
    "https://x.y",
    "a@b.co",
    "&amp;",
    "&#42;",
    "1.",
    "2)",
    "***",
    "---",
    "===",
    "    code",
    "<b>",
    "![x](y)",
    "[a](b)",
    "~~s~~",
    "\u00a0",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)
PLAIN_TYPES = {"text", "text_special", "softbreak"}


def expected(text: str) -> str:
    return " ".join(printable(text).split())


def inline_text(tokens: list[Token]) -> str:
    out = []
    for token in tokens:
        assert token.type in PLAIN_TYPES, token.type
        out.append(" " if token.type == "softbreak" else token.content)
    return "".join(out).replace("\u200b", "")


def paragraph_text(source: str) -> str:
    tokens = PARSER.parse(source)
    if not tokens:
        return ""
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], source
    return inline_text(tokens[1].children or []).strip()


@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("\t- x")
@example("  1. item")
@example("write to a@b.co")
@example("see www.example.com or https://x.y")
@example("# heading")
def test_escaped_text_renders_as_the_same_plain_text(text: str) -> None:
    assert paragraph_text(md_escape(text)) == expected(text)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT)
def test_spans_after_the_first_stay_plain(first: str, second: str) -> None:
    source = "**Label:**" + md_escape(" " + second, line_start=False)
    tokens = PARSER.parse(source)
    children = tokens[1].children or []
    rest = [t for t in children if t.type not in {"strong_open", "strong_close"}]
    assert inline_text(rest).strip() == ("Label: " + expected(second)).strip()
    del first


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_a_table_cell_stays_one_plain_cell(text: str) -> None:
    source = "\n".join([table_row(("Head",)), "|---|", table_row((text,))])
    tokens = PARSER.parse(source)
    types = [t.type for t in tokens]
    assert types[0] == "table_open", source
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 2
    assert inline_text(cells[1].children or []).strip() == expected(text)
