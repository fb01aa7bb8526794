"""A small document model that every report is built from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of text, plain or emphasised."""

    text: str
    style: str = ""
    """'' (plain), 'strong', 'em' or 'dim'."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph made of spans."""

    spans: tuple[Span, ...]

    @classmethod
    def of(cls, *parts: str | tuple[str, str]) -> Paragraph:
        """A paragraph from strings and ``(text, style)`` pairs."""
        return cls(tuple(Span(p) if isinstance(p, str) else Span(*p) for p in parts))


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the title."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Quote:
    """A verbatim quote and where it comes from."""

    text: str
    attribution: str


@dataclass(frozen=True)
class Bullets:
    """A list of paragraphs."""

    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Table:
    """Rows of plain-text cells under a header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Curves:
    """Escalation curves drawn against the ladder (positions 0 .. len(levels) - 1)."""

    series: tuple[tuple[str, tuple[float, ...]], ...]
    """(label, values) of each curve; the first is drawn strongest."""
    levels: tuple[str, ...]
    """The name of each ladder position, lowest first."""


Block = Heading | Paragraph | Quote | Bullets | Table | Curves


@dataclass
class Document:
    """A report: a title and blocks in order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        """Append blocks."""
        self.blocks.extend(blocks)
