"""The map names the places the crisis hits only from the day they are news (trial F12)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from game.engine.scenario.known import map_known_at
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Reveal
from game.engine.seats.lifecycle import Round
from game.plain import PlainGame
from game.plain_outcome import map_lines
from game.web.page import views
from tests.conftest import FLAGSHIP, ROOT

LATER = ("Koh-e-Sabz", "Sabz Koh", "village", "Saravan")


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
@pytest.mark.parametrize("role", ["iran", "pakistan"])
def test_the_first_decision_names_no_later_place(
    flagship: LoadedScenario, role: str, reveal: Reveal
) -> None:
    scenario = dataclasses.replace(flagship.scenario, reveal=reveal)
    loaded = dataclasses.replace(flagship, scenario=scenario)
    session = Session.start(loaded, role, clock=lambda: 0.0)
    point = session.point
    assert point is not None
    drawing = map_known_at(scenario, point)
    page = views.map_page(session)  # the class page's map, a list of places
    shown = "\n".join([drawing, *map_lines(drawing), *page["places"]])
    hidden = {"iran": LATER, "pakistan": ("Saravan",)}[role]
    assert not [word for word in hidden if word in shown], (role, point.id)
    for place in ("Zahedan", "Chabahar", "Panjgur", "PAKISTAN", "BALOCHISTAN", "900 km"):
        assert place in shown  # plain geography stays
    assert len(drawing.splitlines()) == len(scenario.map.rstrip().splitlines())  # same shape
    if role == "pakistan":  # the day after Iran's strike: the village is news
        assert "Koh-e-Sabz / Sabz Koh" in shown


def test_each_place_is_shown_from_its_strike_and_everything_after_the_round(
    flagship: LoadedScenario,
) -> None:
    scenario = flagship.scenario
    dates = {place.name: place.known_since.date.isoformat() for place in scenario.map_places}
    assert dates == {"Koh-e-Sabz": "2024-01-17", "Saravan": "2024-01-18"}
    assert map_known_at(scenario, None) == scenario.map
    strike = scenario.point_by_id["ir_answer"]  # Iran, after Pakistan's strike of 18 January
    assert "Saravan" in map_known_at(scenario, strike)
    for point in scenario.points:  # the decisions to strike see neither target
        if point.id in ("ir_strike", "pk_military"):
            assert "Saravan" not in map_known_at(scenario, point)
        if point.id == "ir_strike":
            assert "Sabz" not in map_known_at(scenario, point)


def test_the_plain_map_at_irans_first_decision(tmp_path: Path) -> None:
    played = Round.start(RoundStore(tmp_path), loader.load(FLAGSHIP), "iran")
    out = io.StringIO()
    PlainGame(io.StringIO("\nm\n"), out, pauses=True).play(played)
    shown = out.getvalue()
    assert "Zahedan" in shown and "Panjgur." in shown
    assert not [word for word in LATER if word in shown.split("It names:")[1]]


def test_the_format_documents_map_places() -> None:
    text = (ROOT / "docs" / "scenario-format.md").read_text()
    assert "map_places:" in text and "labels:" in text
