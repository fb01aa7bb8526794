"""The map layout (scenario key ``map_layout``): the validator refuses a broken one where it
is, and the drawing never names what the student's list of places does not (trial F12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from game.engine.base.problems import Severity
from game.engine.checks import loader
from game.engine.scenario.known import layout_known_at, map_known_at
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.map_text import list_of, map_names, name_and_notes
from game.engine.scenario.model_map import MapLayout
from game.plain_outcome import map_lines
from tests.conftest import FLAGSHIP, ROOT
from tests.test_broken_files import expectation

LAYOUTS = Path(__file__).resolve().parent / "data" / "map_layout"
VALID = LAYOUTS / "strait.yaml"
CASES = sorted(p for p in LAYOUTS.glob("*.yaml") if p != VALID)


def names_drawn(layout: MapLayout) -> list[str]:
    """Every name and note the layout would write on the drawing."""
    return [
        *(r.name for r in layout.regions),
        *(p.name for p in layout.places),
        *(p.note for p in layout.places if p.note),
        *(b.name for b in layout.borders if b.name),
        *(s.name for s in layout.seas if s.name),
    ]


def test_the_valid_layout_loads_without_a_problem() -> None:
    loaded, problems = loader.check(VALID)
    assert loaded is not None and not list(problems)
    layout = loaded.scenario.map_layout
    assert layout is not None
    assert (layout.width, layout.height, len(layout.places)) == (40, 30, 2)
    assert layout.borders[0].points == ((20, 0), (20, 24))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_a_broken_layout_is_reported_at_its_line(path: Path) -> None:
    severity, line, message = expectation(path)
    loaded, problems = loader.check(path)
    found = [p for p in problems if p.severity is severity and message in str(p)]
    assert found, "\n".join(str(p) for p in problems)
    assert str(found[0]).startswith(f"{path}:{line}:"), str(found[0])
    assert (loaded is None) == (severity is Severity.ERROR)


def written(text: str, tmp_path: Path) -> Path:
    """``text`` as a scenario file beside the valid layout's seeds."""
    path = tmp_path / "strait.yaml"
    path.write_text(text)
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "report.txt").write_text((LAYOUTS / "seeds" / "report.txt").read_text())
    return path


def replaced(old: str, new: str, tmp_path: Path) -> Path:
    """The valid layout's scenario with ``old`` (found once) replaced by ``new``."""
    text = VALID.read_text()
    assert text.count(old) == 1
    return written(text.replace(old, new), tmp_path)


def test_a_line_of_too_many_points_is_refused_once(tmp_path: Path) -> None:
    points = ", ".join(f"[{i % 40}, {i % 30}, 1]" for i in range(50_000))
    path = replaced("[[20, 0], [20, 24]]", f"[{points}]", tmp_path)
    loaded, problems = loader.check(path)
    assert loaded is None
    errors = [str(p) for p in problems.errors]
    assert errors == [
        f"{path}:80:15: error: a line has 50,000 points; it needs 2 to 200 "
        + ("(give each corner once, as [x, y]; a rough outline is enough, the map is not to scale)")
    ]
    points = ", ".join(f"[{i % 40}, {i % 30}, 1]" for i in range(200))  # within the limit:
    loaded, problems = loader.check(replaced("[[20, 0], [20, 24]]", f"[{points}]", tmp_path))
    assert [p.message for p in problems.errors] == ["point 1 of a line has 3 numbers, not 2"]


def test_too_many_places_are_refused(tmp_path: Path) -> None:
    many = "".join(
        f"    - {{name: Reef Point, x: {i % 40}, y: 14}}\n" for i in range(100)
    )  # and North Harbor
    path = replaced(
        "    - {name: Reef Point, note: where the ships met, x: 22, y: 14}\n", many, tmp_path
    )
    loaded, problems = loader.check(path)
    assert loaded is None
    assert [p.message for p in problems.errors] == [
        "the map layout has 101 places; at most 100 can be drawn"
    ]


def test_the_list_of_a_map_joins_brackets_continued_below() -> None:
    drawing = "Title\n\n  * Port  |  * Reef (a long\n            note)\n  ~~ Sea ~~\n"
    assert map_names(drawing) == ["Title", "Port", "Reef (a long note)", "Sea"]
    assert list_of(drawing) == {"Port": [""], "Reef": ["a long note"], "Sea": [""]}
    assert name_and_notes("Zahedan (provincial capital)") == ("Zahedan", "provincial capital")
    assert map_names("  --- | ---  ") == [] and map_lines("  --- ") == ["This scenario has no map."]


def test_the_flagship_draws_every_place_its_list_names(flagship: LoadedScenario) -> None:
    layout = flagship.scenario.map_layout
    assert layout is not None
    listed = [line.rstrip(".") for line in map_lines(flagship.scenario.map)[1:]]
    drawn = layout_known_at(flagship.scenario, None)
    assert drawn == layout  # after the round: all of it
    for item in listed:
        name, note = name_and_notes(item)
        assert name in names_drawn(layout), item
        assert not note or note in names_drawn(layout), item


@pytest.mark.parametrize(
    ("point", "shown", "hidden"),
    [
        ("ir_strike", ["Panjgur", "Zahedan", "provincial capital"], ["Koh-e-Sabz", "Saravan"]),
        ("pk_response", ["Koh-e-Sabz / Sabz Koh", "~90 km from the village"], ["Saravan"]),
        ("pk_after_strike", ["Koh-e-Sabz / Sabz Koh", "Saravan"], []),
    ],
)
def test_a_place_is_drawn_only_from_its_known_since(
    flagship: LoadedScenario, point: str, shown: list[str], hidden: list[str]
) -> None:
    scenario = flagship.scenario
    at = scenario.point_by_id[point]
    layout = layout_known_at(scenario, at)
    assert layout is not None
    drawn = " | ".join(names_drawn(layout))
    assert all(word in drawn for word in shown), drawn
    assert not [word for word in hidden if word in drawn], drawn
    if "Koh-e-Sabz" in hidden:  # the note that measures from the village goes with it
        assert "village" not in drawn
        (panjgur,) = [p for p in layout.places if p.name == "Panjgur"]
        assert panjgur.note == ""


def test_at_every_decision_the_drawing_names_only_what_the_list_does(
    flagship: LoadedScenario,
) -> None:
    scenario = flagship.scenario
    for point in scenario.points:
        listed = "\n".join(map_lines(map_known_at(scenario, point)))
        layout = layout_known_at(scenario, point)
        assert layout is not None
        assert [name for name in names_drawn(layout) if name not in listed] == [], point.id
        for place in layout.places:  # a dot is drawn only with its name
            assert place.name in listed


@pytest.mark.parametrize("doc", ["scenario-format.md", "authoring.md"])
def test_the_docs_layout_examples_are_the_flagships(doc: str) -> None:
    flagship = yaml.safe_load(FLAGSHIP.read_text())["map_layout"]
    blocks = re.findall(r"```yaml\n(map_layout:\n.*?)```", (ROOT / "docs" / doc).read_text(), re.S)
    assert blocks
    for block in blocks:
        example = yaml.safe_load(block)["map_layout"]
        for key, value in example.items():
            if isinstance(value, list):
                assert all(item in flagship[key] for item in value), (doc, key)
            else:
                assert flagship[key] == value, (doc, key)


def test_a_name_too_long_to_draw_is_refused(tmp_path: Path) -> None:
    long = " ".join(["North Harbor"] * 20)
    text = VALID.read_text().replace("* North Harbor    ", f"* {long}  ")
    path = written(text.replace("{name: North Harbor,", f"{{name: {long},"), tmp_path)
    loaded, problems = loader.check(path)
    assert loaded is None
    assert [p.message for p in problems.errors] == [
        f"the name '{long[:40]}...' has {len(long)} characters; at most 200 fit on the drawing"
    ]
    assert problems.errors[0].mark.line == 76  # the place's name
