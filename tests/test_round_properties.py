"""Property tests: any field of a real save or result record, changed to anything JSON can
hold, is either read correctly or refused with Flashpoint's own error naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from game.engine.base.problems import FlashpointError
from game.engine.checks import loader
from game.engine.classroom.debrief import debrief
from game.engine.play.session import Session
from game.engine.records.results import read_record, summarise
from game.engine.records.store import RoundStore
from game.engine.seats.lifecycle import Round
from tests.conftest import MINI

LOADED = loader.load(MINI)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["../../x", "/etc/passwd", "\x1b]52;c;aGk=\x07", "[/]", "n1", "north"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def real_round() -> dict[str, Any]:
    session = Session.start(LOADED, "north", "Ada")
    session.round_id = "prop-round"
    session.choose(session.choices[0].id, "because")
    return session.to_dict()


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(data))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


ROUND = real_round()
PATHS = paths(ROUND)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(PATHS), VALUES)
def test_a_mutated_save_or_record_is_read_or_refused_cleanly(
    tmp_path: Path, path: tuple[Any, ...], value: Any
) -> None:
    store = RoundStore(tmp_path)
    store.prepare()
    mutated = replaced(ROUND, path, value)
    file = store.saves / "prop-round.json"
    file.write_text(json.dumps(mutated, allow_nan=True))
    try:
        played = Round.resume(store, file, LOADED)
        try:
            debrief(played.session)
        finally:
            played.release()
        event("save read")
    except FlashpointError as error:
        event(f"save refused: {str(error).split(': ', 1)[1][:40]}")
        assert "prop-round.json" in str(error), error  # every refusal names the file
    result = store.results / "prop-round.json"
    result.write_text(json.dumps(mutated, allow_nan=True))
    try:
        summarise(read_record(result), LOADED.scenario)
        event("record read")
    except FlashpointError as error:
        event("record refused")
        assert "prop-round.json" in str(error), error
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")}
    assert written <= {"saves", "results"}, written  # nothing written anywhere else
    for leftover in (*store.saves.iterdir(), *store.results.iterdir()):
        leftover.unlink()
