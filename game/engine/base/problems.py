"""Problems found in an input file, collected rather than raised one at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class Severity(Enum):
    """How bad a problem is: errors stop a scenario from loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class Mark(NamedTuple):
    """A position in a file, 1-based; line 0 means "the file as a whole". (A named tuple: the
    YAML reader makes one for every value of a scenario.)"""

    line: int = 0
    column: int = 0
    file: str = ""
    """The file, when it is not the one being checked (a file it includes)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, where it is, and how to fix it."""

    file: str
    mark: Mark
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    follows: bool = False
    """Whether this may only follow from another problem (listed after the causes)."""

    def __str__(self) -> str:
        where = self.file
        if self.mark.line:
            where += f":{self.mark.line}:{self.mark.column}"
        text = f"{where}: {self.severity.value}: {self.message}"
        text = f"{text} ({self.hint})" if self.hint else text
        return f"{text} [may follow from a problem above]" if self.follows else text


@dataclass
class Problems:
    """Collects every problem in one file so an author can fix them all in one pass."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def error(self, mark: Mark, message: str, hint: str = "", follows: bool = False) -> None:
        """Record an error at ``mark`` (``follows``: it may only follow from another)."""
        self.items.append(
            Problem(mark.file or self.file, mark, message, hint, Severity.ERROR, follows)
        )

    def warning(self, mark: Mark, message: str, hint: str = "", follows: bool = False) -> None:
        """Record a warning at ``mark``."""
        self.items.append(
            Problem(mark.file or self.file, mark, message, hint, Severity.WARNING, follows)
        )

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the file from loading."""
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth fixing that do not stop the file from loading."""
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        """Every problem, causes first: those that may only follow from another come after
        the rest; each group in file order."""
        return sorted(self.items, key=lambda p: (p.follows, p.mark.line, p.mark.column))

    def raise_if_errors(self) -> None:
        """Raise :class:`ScenarioError` carrying every problem if any is an error."""
        if self.errors:
            raise ScenarioError(self.sorted())

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())


class FlashpointError(Exception):
    """An error meant for the person at the keyboard: its text says what to do."""


class ScenarioError(FlashpointError):
    """A scenario file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A hint naming the closest of ``options`` to ``word``, or the list when none is close."""
    import difflib  # only when something is wrong: no start-up pays for it

    choices = sorted(set(options))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not choices:
        return ""
    shown = ", ".join(f"'{c}'" for c in choices[:8])
    more = ", ..." if len(choices) > 8 else ""
    return f"expected one of {shown}{more}"
