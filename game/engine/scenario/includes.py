"""``include:``: parts of a scenario kept in their own files (sources, notes, a role's points).

Each included file is a mapping of the scenario's lists (``sources``, ``points``...); its
items join the same list of the including file, in order. Included files are read with the
same hardened reader, must stay in the scenario's folder, and may not include others. Every
node keeps the file it came from, so problems name the right file, line and column.
"""

from __future__ import annotations

from pathlib import Path

from game.engine.base.problems import Mark, Problems
from game.engine.base.safefile import MAX_SCENARIO_BYTES, links_below
from game.engine.scenario import safeyaml
from game.engine.scenario.sources import unsafe_reason

LISTS = (
    "learning_goals",
    "discussion",
    "phases",
    "sources",
    "roles",
    "indicators",
    "ladder",
    "points",
    "events",
    "endings",
    "contested",
    "notes",
)
"""The keys an included file may hold: the scenario's lists."""
MAX_INCLUDES = 50


def merge(root: safeyaml.Node, scenario: Path, size: int, problems: Problems) -> list[bytes] | None:
    """Add the lists of every file ``root`` includes to ``root``; the included files' bytes
    (for the scenario's checksum), or ``None`` if one cannot be used (problems recorded).
    ``size`` is the scenario file's: with its parts it must stay within the size cap."""
    if not isinstance(root, safeyaml.Mapping) or "include" not in root.entries:
        return []
    _, listed = root.entries["include"]
    if not isinstance(listed, safeyaml.Sequence) or len(listed.items) > MAX_INCLUDES:
        problems.error(
            listed.mark,
            f"'include' must be a list of at most {MAX_INCLUDES} file names",
            "write include: [sources.yaml, notes.yaml]",
        )
        return None
    contents: list[bytes] = []
    for item in listed.items:
        if not isinstance(item, safeyaml.Scalar) or item.kind != "str":
            problems.error(item.mark, "an included file is named by its path, as text")
            return None
        reason = unsafe_reason(item.text)
        if reason:
            reason = reason.replace("the seeds folder", "the scenario's folder")
            problems.error(item.mark, f"'{item.text}' cannot be included: {reason}")
            return None
        path = scenario.parent / item.text
        link = links_below(scenario.parent, path)
        if link is not None:
            problems.error(
                item.mark,
                f"'{item.text}' cannot be included: '{link.name}' is a link",
                "keep the scenario's parts as plain files beside it",
            )
            return None
        included = _read(path, item.mark, problems)
        if included is None:
            return None
        data, node = included
        size += len(data)
        if size > MAX_SCENARIO_BYTES:
            problems.error(
                item.mark,
                f"the scenario and the files it includes are over {MAX_SCENARIO_BYTES:,} bytes",
                "shorten the text or split the crisis into two scenarios",
            )
            return None
        contents.append(data)
        _join(root, node, problems)
    return contents


def _read(path: Path, mark: Mark, problems: Problems) -> tuple[bytes, safeyaml.Mapping] | None:
    if not path.is_file():  # said at the 'include:' line that names it, with what is there
        import difflib  # only when something is wrong

        there = sorted(p.name for p in path.parent.glob("*.yaml")) if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, there, n=1, cutoff=0.8)
        problems.error(
            mark,
            f"the included file '{path.name}' does not exist",
            f"did you mean '{close[0]}'?"
            if close
            else f"put {path.name} in the scenario's folder ({path.parent.name}), "
            "or take it out of 'include'",
        )
        return None
    own = Problems(str(path))
    data = safeyaml.read_bytes(path, own)
    text = None if data is None else safeyaml.decode(data, own)
    node = None if text is None else safeyaml.parse(text, own, file=str(path))
    problems.items.extend(own.items)
    if data is None or node is None:
        if not own.items:
            problems.error(mark, f"cannot read the included file {path.name}")
        return None
    if not isinstance(node, safeyaml.Mapping):
        problems.error(node.mark, f"{path.name} must be a mapping of lists, such as 'sources:'")
        return None
    return data, node


def _join(root: safeyaml.Mapping, part: safeyaml.Mapping, problems: Problems) -> None:
    for name, (key, value) in part.entries.items():
        if name not in LISTS:
            problems.error(
                key.mark,
                f"'{name}' cannot come from an included file",
                "an included file holds the scenario's lists only: " + ", ".join(LISTS),
            )
            continue
        if not isinstance(value, safeyaml.Sequence):
            problems.error(value.mark, f"'{name}' must be a list")
            continue
        if name in root.entries:
            existing = root.entries[name][1]
            if isinstance(existing, safeyaml.Sequence):
                existing.items.extend(value.items)
        else:
            root.entries[name] = (key, value)
