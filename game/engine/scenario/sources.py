"""Source documents: where a scenario keeps them, reading them, and finding quotes in them."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from game.engine.base.safefile import UnsafeFile, links_below, read_regular

SEEDS = "seeds"
MAX_SOURCE_BYTES = 4 * 1024 * 1024

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def seeds_folder(scenario_file: Path) -> Path:
    """The scenario's seeds folder: ``seeds/`` beside the file, or beside its folder.

    The second form lets a project keep ``scenarios/`` and ``seeds/`` side by side. The folder
    is never taken from the scenario's text.
    """
    beside = scenario_file.parent / SEEDS
    if beside.is_dir():
        return beside
    return scenario_file.parent.parent / SEEDS


def unsafe_reason(relative: str) -> str:
    """Why ``relative`` may not name a file in the seeds folder, or '' when it may."""
    if "\\" in relative or ":" in relative:
        return "use forward slashes and no drive letters"
    path = PurePosixPath(relative)
    if path.is_absolute():
        return "give a path relative to the seeds folder, not an absolute one"
    if ".." in path.parts:
        return "'..' would leave the seeds folder"
    return ""


def normalise(text: str) -> str:
    """Text with typographic quote marks made plain and every run of whitespace one space."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


@dataclass(frozen=True)
class Searchable:
    """A text normalised for quote search, with the original offset of each character."""

    plain: str
    origin: array[int]
    """The offset in the original text of each character of ``plain`` (a compact array: one
    machine word per character, not one int object)."""

    @classmethod
    def of(cls, text: str) -> Searchable:
        """Index ``text``: quote marks made plain, runs of whitespace made one space."""
        words: list[str] = []
        origin: array[int] = array("L")
        for word in _WORD.finditer(text.translate(_QUOTE_MARKS)):
            if words:
                words.append(" ")
                origin.append(word.start() - 1)
            words.append(word.group())
            origin.extend(range(word.start(), word.end()))
        return cls("".join(words), origin)

    def find(self, quote: str) -> tuple[int, int] | None:
        """Where ``quote`` stands, as ``(start, end)`` offsets into the original text."""
        wanted = normalise(quote)
        found = self.plain.find(wanted) if wanted else -1
        if found < 0:
            return None
        return self.origin[found], self.origin[found + len(wanted) - 1] + 1


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text`` as ``(start, end)`` offsets into the original text.

    Whitespace and typographic quote marks are compared normalised, as the validator does.
    """
    return Searchable.of(text).find(quote)


def passage(text: str, quote: str | None) -> str:
    """What may be shown of a document published after the in-game date: the quoted words
    alone, as they stand in ``text`` (the sentence around them may report what happened
    later), marked "[…]" where cut; nothing of the document if the quote is not found."""
    span = find_quote(text, quote) if quote else None
    if span is None:
        return "[…]"
    before = "[…] " if text[: span[0]].strip() else ""
    after = " […]" if text[span[1] :].strip() else ""
    return f"{before}{text[span[0] : span[1]]}{after}"


@dataclass
class SourceTexts:
    """Reads source documents from one seeds folder, once each."""

    folder: Path
    _cache: dict[str, str] = field(default_factory=dict)
    _indexes: dict[str, Searchable] = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        """The file ``relative`` names; raises ValueError when it would leave the folder."""
        reason = unsafe_reason(relative)
        if reason:
            raise ValueError(reason)
        link = links_below(self.folder.parent, self.folder / relative)
        if link is not None:
            raise ValueError(f"'{link.name}' is a link; keep sources as plain files and folders")
        return self.folder / relative

    def text(self, relative: str) -> str:
        """The document's text; raises ValueError or OSError with a reason."""
        if relative not in self._cache:
            target = self.path(relative)
            try:
                data = read_regular(target, MAX_SOURCE_BYTES, follow_links=False)
            except UnsafeFile as error:
                raise ValueError(error.strerror) from None
            self._cache[relative] = data.decode("utf-8-sig")
        return self._cache[relative]

    def find(self, relative: str, quote: str) -> tuple[int, int] | None:
        """Where ``quote`` stands in document ``relative`` (indexed once per document)."""
        return self._index(relative).find(quote)

    def nearest(self, relative: str, quote: str) -> tuple[str, list[tuple[str, str]]] | None:
        """For a quote that is not in document ``relative``: the document's passage nearest
        to it (normalised) and the words that differ there, each as (the quote's words, the
        source's words; '' where one side has none), punctuation and quote marks aside unless
        nothing else differs; ``None`` if no word of the quote is in the document."""
        import difflib  # only for a quote that is not in its source

        plain = self._index(relative).plain
        ours, theirs = normalise(quote).split(" "), plain.split(" ")
        run = difflib.SequenceMatcher(None, theirs, ours, autojunk=False).find_longest_match(
            0, len(theirs), 0, len(ours)
        )
        if run.size == 0:
            return None
        start = max(0, run.a - run.b)  # where the quote would begin in the document
        window = theirs[start : start + len(ours) + 2]
        differs = _differences(ours, window, bare=True) or _differences(ours, window, bare=False)
        return " ".join(window), differs

    def _index(self, relative: str) -> Searchable:
        if relative not in self._indexes:
            self._indexes[relative] = Searchable.of(self.text(relative))
        return self._indexes[relative]


def _differences(ours: list[str], theirs: list[str], bare: bool) -> list[tuple[str, str]]:
    """Where the words ``ours`` differ from the passage ``theirs`` (which may run on past
    them), compared without their punctuation when ``bare``."""
    import difflib

    def key(word: str) -> str:
        return word.strip(_PUNCTUATION).casefold() if bare else word

    mine, there = [key(w) for w in ours], [key(w) for w in theirs]
    found = []
    matcher = difflib.SequenceMatcher(None, mine, there, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "insert" and i1 in (0, len(mine))):
            continue  # the passage's words before or after the quote are not a difference
        if i2 == len(mine) and j2 - j1 > i2 - i1:  # at the quote's end, as many words as it has
            j2 = j1 + max(1, i2 - i1)
        found.append((" ".join(ours[i1:i2]), " ".join(theirs[j1:j2])))
    return found


_PUNCTUATION = "\"'.,;:!?()[]-"
