"""Reads untrusted YAML into a small node tree that remembers where each value stood.

The libyaml C parser (or PyYAML's pure parser when libyaml is missing) only turns the text into
events; the tree is composed here, without recursion, so that nothing recursive ever sees a
deeply nested document (libyaml's own composer overflows the C stack at ~50,000 brackets) and
so that anchors, aliases, tags, merge keys, duplicate keys and non-string keys are refused before
any value is built. No value is ever constructed by a YAML constructor: no tag can run code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from game.engine.base.problems import Mark, Problems
from game.engine.base.safefile import MAX_SCENARIO_BYTES as MAX_BYTES
from game.engine.base.safefile import UnsafeFile, read_regular
from game.engine.scenario.yaml_words import plain_words

MAX_DEPTH = 24
"""Deepest nesting of mappings and sequences; a scenario needs about eight."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_TAG_NAMES = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
    "tag:yaml.org,2002:merge": "merge",
    "tag:yaml.org,2002:value": "str",
}
_FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


@dataclass(eq=False, slots=True)
class Node:
    """A value read from YAML, with the position where it starts."""

    mark: Mark


@dataclass(eq=False, slots=True)
class Scalar(Node):
    """A scalar, kept as text; ``kind`` is what YAML 1.1 would have made of it."""

    text: str = ""
    kind: str = "str"
    """'str' for quoted, block and plain text; 'int', 'float', 'bool', 'null' or 'timestamp'
    for plain scalars that YAML 1.1 reads as those."""


@dataclass(eq=False, slots=True)
class Mapping(Node):
    """A mapping with string keys, in file order."""

    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class Sequence(Node):
    """A sequence, in file order."""

    items: list[Node] = field(default_factory=list)


def describe(node: Node) -> str:
    """A short name for what a node is, for messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    assert isinstance(node, Scalar)
    names = {
        "str": "text",
        "int": "a whole number",
        "float": "a number",
        "bool": "a yes/no value",
        "null": "nothing (null)",
        "timestamp": "a date",
    }
    return names.get(node.kind, node.kind)


def _mark(yaml_mark: Any, file: str = "") -> Mark:
    if yaml_mark is None:
        return Mark(file=file)
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1, file)


def _position(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Mark(line, column)


def read_bytes(path: Path, problems: Problems) -> bytes | None:
    """The file's bytes, or ``None`` after recording why it cannot be read."""
    try:
        return read_regular(path, MAX_BYTES)
    except UnsafeFile as error:
        hint = "split the scenario or shorten its text" if "limit" in str(error.strerror) else ""
        problems.error(Mark(), f"cannot read the file: {error.strerror}", hint)
    except IsADirectoryError:
        problems.error(Mark(), "this is a folder, not a file")
    except OSError as error:
        problems.error(Mark(), f"cannot read the file: {error.strerror or error}")
    return None


def decode(data: bytes, problems: Problems) -> str | None:
    """The UTF-8 text in ``data``, or ``None`` after recording why it is not usable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = data[: error.start].decode("utf-8", errors="replace")
        problems.error(
            _position(start, len(start)),
            f"byte 0x{data[error.start]:02x} is not UTF-8",
            "save the file as UTF-8",
        )
        return None
    if not text.strip():
        problems.error(Mark(), "the file is empty", "start from 'flashpoint new PATH'")
        return None
    return text


def _check_text(value: str, mark: Mark, problems: Problems) -> None:
    found = _FORBIDDEN_CHARS.search(value)
    if found:
        char = found.group()
        name = unicodedata.name(char, "control character")
        problems.error(
            mark,
            f"text holds the invisible character U+{ord(char):04X} ({name})",
            "delete it: terminal control and text-direction override characters "
            "are not allowed in scenarios",
        )


class _Composer:
    """Builds the node tree from parser events, refusing what a scenario never needs."""

    def __init__(self, problems: Problems, file: str = "", check_every_text: bool = True) -> None:
        self.problems = problems
        self.file = file
        self.stack: list[Node] = []
        self.pending_key: list[Scalar | None] = []
        self.root: Node | None = None
        self.documents = 0
        self.kinds: dict[str, str] = {}
        self.check_every_text = check_every_text
        """Whether each scalar's text is checked for forbidden characters; ``False`` for a file
        whose text holds none, where only a double-quoted scalar's escapes could make one."""

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; ``False`` means stop reading (the document cannot be used)."""
        kind = type(event)
        if kind is yaml.ScalarEvent:
            scalar = cast(yaml.ScalarEvent, event)
            mark = _mark(scalar.start_mark, self.file)
            if scalar.anchor is not None or scalar.tag is not None:
                return self._acceptable_node(scalar, mark)
            self._add(self._scalar(scalar, mark))
            return True
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._close()
            return True
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            return self._open(cast(yaml.CollectionStartEvent, event))
        mark = _mark(event.start_mark, self.file)
        if kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.problems.error(
                    mark,
                    "the file holds several YAML documents",
                    "keep one scenario per file and remove the '---' separator",
                )
                return False
            return True
        if kind is yaml.AliasEvent:
            anchor = cast(yaml.AliasEvent, event).anchor
            self.problems.error(
                mark, f"aliases ('*{anchor}') are not allowed", "write the value out in full"
            )
            return False
        return True  # stream and document ends

    def _open(self, event: yaml.CollectionStartEvent) -> bool:
        mark = _mark(event.start_mark, self.file)
        if not self._acceptable_node(event, mark):
            return False
        if len(self.stack) >= MAX_DEPTH:
            _too_deep(self.problems, mark)
            return False
        node: Node = Mapping(mark) if type(event) is yaml.MappingStartEvent else Sequence(mark)
        self._add(node)
        self.stack.append(node)
        self.pending_key.append(None)
        return True

    def _acceptable_node(self, event: yaml.NodeEvent, mark: Mark) -> bool:
        if event.anchor is not None:
            self.problems.error(
                mark,
                f"anchors ('&{event.anchor}') are not allowed",
                "write each value out in full instead of reusing it",
            )
            return False
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.problems.error(
                mark,
                f"YAML tags ('{tag}') are not allowed",
                "remove the tag; scenarios hold plain text, numbers and lists",
            )
            return False
        return True

    def _scalar(self, event: yaml.ScalarEvent, mark: Mark) -> Scalar:
        kind = "str"
        value = event.value
        if not event.style and event.implicit[0]:
            kind = self.kinds.get(value) or self._kind(value)
        if self.check_every_text or event.style == '"':  # only escapes can add characters
            _check_text(value, mark, self.problems)
        return Scalar(mark, value, kind)

    def _kind(self, value: str) -> str:
        """What YAML 1.1 makes of a plain scalar (remembered: keys repeat all through a file)."""
        tag = cast(Any, _RESOLVER).resolve(yaml.ScalarNode, value, (True, False))
        kind = _TAG_NAMES.get(tag, "str")
        if len(self.kinds) < 10_000:
            self.kinds[value] = kind
        return kind

    def _add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = self.pending_key[-1]
        if key is None:
            self._take_key(parent, node)
            return
        self.pending_key[-1] = None
        if key.text in parent.entries:
            first = parent.entries[key.text][0].mark.line
            self.problems.error(
                key.mark,
                f"the key '{key.text}' appears twice in this mapping",
                f"it was first given on line {first}; keep one, or, if this line starts "
                "a new item of a list, begin it with '- '",
            )
            return
        parent.entries[key.text] = (key, node)

    def _take_key(self, parent: Mapping, node: Node) -> None:
        if not isinstance(node, Scalar):
            self.problems.error(
                node.mark,
                "a mapping key must be plain text, not " + describe(node),
                "use a simple name as the key",
            )
            self.pending_key[-1] = Scalar(node.mark, f"\0{id(node)}", "str")
            return
        if node.kind == "merge":
            self.problems.error(
                node.mark, "merge keys ('<<') are not allowed", "write the keys out in full"
            )
        elif node.kind != "str":
            self.problems.error(
                node.mark,
                f"the key '{node.text}' is read as {describe(node)}, not text",
                f"quote it: '\"{node.text}\"'",
            )
        self.pending_key[-1] = node

    def _close(self) -> None:
        if self.stack:
            self.stack.pop()
            self.pending_key.pop()


def _too_deep(problems: Problems, mark: Mark) -> None:
    """The one wording of the nesting limit, whichever parser met it first."""
    problems.error(
        mark,
        f"nesting is deeper than {MAX_DEPTH} levels",
        "a scenario never needs this much nesting; flatten the structure",
    )


def parse(text: str, problems: Problems, file: str = "", loader: Any = None) -> Node | None:
    """The node tree of one YAML document, or ``None`` with the reasons in ``problems``."""
    loader = loader or _Loader
    composer = _Composer(problems, file, _FORBIDDEN_CHARS.search(text) is not None)
    try:
        for event in yaml.parse(text, Loader=loader):
            if not composer.feed(event):
                return None
    except yaml.MarkedYAMLError as error:
        mark = _mark(error.problem_mark or error.context_mark, file)
        problem = str(error.problem or error.context)
        if "nesting depth" in problem and loader is not yaml.SafeLoader:
            # libyaml 0.2.6 and newer stop at 1,000 levels, scanning ahead of the events: the
            # pure parser (no such limit, no recursion) finds where our own limit is passed.
            return parse(text, problems, file, yaml.SafeLoader)
        if "nesting depth" in problem:
            _too_deep(problems, mark)
            return None
        plain = plain_words(text, problem, mark)
        if plain is not None:
            where, message, hint = plain
            problems.error(where, f"this is not valid YAML: {message}", hint)
        else:
            hint = "check the indentation and quoting on this line and the one before"
            problems.error(mark, f"this is not valid YAML: {problem}", hint)
        return None
    except yaml.YAMLError as error:
        problems.error(Mark(), f"this is not valid YAML: {error}")
        return None
    if composer.root is None:
        problems.error(Mark(), "the file holds no YAML document")
    return composer.root


def load(path: Path, problems: Problems) -> Node | None:
    """Read and parse ``path`` with every safety check; ``None`` when it cannot be used."""
    data = read_bytes(path, problems)
    text = None if data is None else decode(data, problems)
    return None if text is None else parse(text, problems)
