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
    mark: str = ""
    """The citation number a reader types to open the source at the passage ('' for none)."""


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
class Series:
    """One escalation curve: points at calendar positions, against the ladder."""

    label: str
    points: tuple[tuple[float, float], ...]
    """(x, ladder position) of each point; x counts days from the first date drawn."""
    counts: tuple[int, ...] = ()
    """How many rounds each point rests on, where that matters (class curves)."""
    dates: tuple[str, ...] = ()
    """Each point's date as a reader sees it ("17 Jan", "17 Jan (2nd)")."""


@dataclass(frozen=True)
class Curves:
    """Escalation curves on the in-game calendar, against the ladder's rungs."""

    series: tuple[Series, ...]
    """The first is drawn strongest."""
    levels: tuple[str, ...]
    """The name of each ladder position, lowest first."""
    ticks: tuple[tuple[float, str], ...] = ()
    """(x, label) of each date marked on the calendar axis."""
    breaks: tuple[float, ...] = ()
    """Where the calendar axis skips quiet days (x of each break)."""
    x_label: str = "In-game date"
    y_label: str = "Escalation ladder"


Block = Heading | Paragraph | Quote | Bullets | Table | Curves


@dataclass
class Document:
    """A report: a title and blocks in order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        """Append blocks."""
        self.blocks.extend(blocks)
