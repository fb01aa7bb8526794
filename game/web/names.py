"""Names that would show the same: a second student may not sit under a look-alike name.

A student's name is already cleaned (NFKC, so full-width "Ａｎａ" is "Ana", and the same
student whatever the case: :func:`game.engine.records.classfolder.clean_name`). What NFKC keeps
apart is a letter of another script drawn exactly like a Latin one: Cyrillic "Аna Lima" is another
student's folder, yet shows exactly like "Ana Lima" in the live view and the report. Such a
name is refused while the name it imitates is in the class.

The skeleton maps the Cyrillic and Greek letters that are drawn like Latin ones (Unicode's
confusables for those scripts) to those Latin letters, case by case (Greek "Ν" is Latin "N",
its lower case "ν" Latin "v"), then folds case.
"""

from __future__ import annotations

_LOOK_ALIKES = {
    # Cyrillic
    "А": "A", "а": "a", "В": "B", "Е": "E", "е": "e", "Ѐ": "È", "ѐ": "è", "Ё": "Ë", "ё": "ë",
    "К": "K", "М": "M", "Н": "H", "О": "O", "о": "o", "Р": "P", "р": "p", "С": "C", "с": "c",
    "Т": "T", "У": "Y", "у": "y", "Х": "X", "х": "x", "Ү": "Y", "ү": "y", "Ѕ": "S", "ѕ": "s",
    "І": "I", "і": "i", "Ї": "Ï", "ї": "ï", "Ј": "J", "ј": "j", "Һ": "h", "һ": "h",
    "Ԁ": "D", "ԁ": "d", "Ԛ": "Q", "ԛ": "q", "Ԝ": "W", "ԝ": "w", "Ӏ": "I", "ӏ": "l",
    "Ԍ": "G", "ԍ": "g", "ɡ": "g",
    # Greek
    "Α": "A", "α": "a", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "ι": "i",
    "Κ": "K", "κ": "k", "Μ": "M", "Ν": "N", "ν": "v", "Ο": "O", "ο": "o", "Ρ": "P", "ρ": "p",
    "Τ": "T", "Υ": "Y", "υ": "u", "Χ": "X", "χ": "x", "ϲ": "c", "Ϲ": "C", "ϳ": "j",
    # Latin letters drawn like others
    "ɑ": "a", "ı": "i", "ȷ": "j",
}  # fmt: skip
_TABLE = str.maketrans(_LOOK_ALIKES)


def skeleton(name: str) -> str:
    """What ``name`` (already cleaned) looks like: look-alike letters as the Latin ones they
    imitate, case folded."""
    return name.translate(_TABLE).casefold()


class LookAlikes:
    """The names in the class, by what they look like."""

    def __init__(self) -> None:
        self.by_skeleton: dict[str, tuple[str, str]] = {}
        """Skeleton → (student id, name)."""

    def add(self, ident: str, name: str) -> None:
        self.by_skeleton.setdefault(skeleton(name), (ident, name))

    def remove(self, ident: str, name: str) -> None:
        if self.by_skeleton.get(skeleton(name), ("", ""))[0] == ident:
            del self.by_skeleton[skeleton(name)]

    def imitated(self, ident: str, name: str) -> str | None:
        """The name in the class that ``name`` would show like, if it is another student's."""
        held = self.by_skeleton.get(skeleton(name))
        if held is None or held[0] == ident:
            return None
        return held[1]
