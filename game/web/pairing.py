"""Head-to-head in a served class (``flashpoint serve --matches``).

Every student's game is a match seat, played under the name of their class seat (not one they
type: a match seat is found by that name). Students pair by code (one starts a match in the
game and reads its code out; the other joins with it), or the teacher pairs them in a text file
(``--pairs``: two names per line). Each of the teacher's pairs gets its match when the
server starts, its seats kept for those two students; the pairs and their codes are kept in
the class folder, so a server started again on the same folder keeps them. The match file is
the class folder's ``matches.sqlite``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.base.problems import FlashpointError
from game.engine.records.class_caps import FolderKept
from game.engine.records.classfolder import ClassFolder, ClassFolderError, clean_name, student_id
from game.engine.records.matches import MatchStore
from game.engine.records.storage import ClassStorage, Matches
from game.engine.scenario.loaded import LoadedScenario

MATCH_FILE = "matches.sqlite"
PAIRS_FILE = "pairs.json"
MAX_PAIRS = 500


@dataclass(frozen=True)
class Seating:
    """A match for every student: the scenario, the deadline, the teacher's pairs."""

    scenario: LoadedScenario
    deadline: float
    assigned: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Student id → (match code, seat), for the students the teacher paired."""

    def argv(self, folder: ClassFolder, student_id: str) -> list[str]:
        """The ``match`` command's arguments for one student (after ``--data-dir``)."""
        argv = [
            "match",
            str(self.scenario.path),
            "--store",
            str(folder.path / MATCH_FILE),
            "--deadline",
            str(self.deadline),
            "--class-seat",  # the name is the class seat's (passed by the server), not typed
            "--class-folder",  # the teacher's pacing
            str(folder.path),
        ]
        if student_id in self.assigned:
            code, seat = self.assigned[student_id]
            argv += ["--join", code, "--seat", seat]
        return argv


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """The teacher's pairs: two names per line, separated by a comma; ``#`` starts a comment.
    Raises :class:`FlashpointError` naming the file, line and fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FlashpointError(f"{path}: cannot read the pairs ({error})") from None
    pairs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = line.split(",")
        if len(names) != 2:
            raise FlashpointError(
                f"{path}:{number}: write two names separated by a comma, e.g. 'Ana, Ben'"
            )
        try:
            first, second = (clean_name(name) for name in names)
        except ClassFolderError as error:
            raise FlashpointError(f"{path}:{number}: {error}") from None
        for name in (first, second):
            key = student_id(name)
            if key in seen:
                raise FlashpointError(
                    f"{path}:{number}: {name} is already paired on line {seen[key]}; "
                    "each student plays one match"
                )
            seen[key] = number
        pairs.append((first, second))
    if len(pairs) > MAX_PAIRS:
        raise FlashpointError(f"{path}: at most {MAX_PAIRS} pairs")
    return pairs


def prepare(
    folder: ClassFolder,
    scenario: LoadedScenario,
    deadline: float,
    pairs: Path | None,
    storage: ClassStorage | None = None,
) -> Seating:
    """Open the class's match store and give each of the teacher's pairs its match, kept where
    the class is kept (the class folder's ``pairs.json``, or the database ``storage``), so that
    starting a server again, or another server of the class, keeps the same codes. Done under
    the class's lock: two servers started together make each pair one match."""
    mode = scenario.scenario.head_to_head
    if mode is None:
        raise FlashpointError(f"{scenario.scenario.id} has no head-to-head mode")
    kept: ClassStorage | FolderKept = storage if storage is not None else FolderKept(folder.path)
    try:
        with kept.exclusive("pairs"):
            assigned = _assigned(kept.kept(PAIRS_FILE.removesuffix(".json")), mode.seats)
            if pairs is not None:
                wanted = read_pairs(pairs)
                if storage is None:
                    store: Matches = MatchStore(folder.path / MATCH_FILE)
                else:
                    store = storage.new_matches()
                try:
                    _match_each(store, scenario, deadline, wanted, assigned)
                finally:
                    store.close()
                text = json.dumps({k: list(v) for k, v in assigned.items()}, indent=1)
                kept.keep(PAIRS_FILE.removesuffix(".json"), text)
    except (OSError, ValueError) as error:
        raise FlashpointError(f"the teacher's pairs cannot be kept: {error}") from None
    return Seating(scenario, deadline, assigned)


def _assigned(text: str | None, seats: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """The pairs kept: student id → (match code, seat); what is not one is left out."""
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        raise FlashpointError(f"{PAIRS_FILE}: damaged; delete it and start again") from None
    if not isinstance(data, dict):
        return {}
    return {
        str(k): (str(v[0]), str(v[1]))
        for k, v in data.items()
        if isinstance(v, list) and len(v) == 2 and v[1] in seats
    }


def _match_each(
    store: Matches,
    scenario: LoadedScenario,
    deadline: float,
    pairs: list[tuple[str, str]],
    assigned: dict[str, tuple[str, str]],
) -> None:
    """A match for each pair not yet given one, its seats kept for the two students."""
    mode = scenario.scenario.head_to_head
    assert mode is not None
    for first, second in pairs:
        ids = (student_id(first), student_id(second))
        if all(i in assigned for i in ids):
            continue
        code = store.create(scenario.scenario.id, scenario.sha256, mode.seats, deadline)
        for name, ident, seat in zip((first, second), ids, mode.seats, strict=True):
            assigned[ident] = (code, seat)
            store.reserve(code, seat, name)  # nobody else takes it before they come
