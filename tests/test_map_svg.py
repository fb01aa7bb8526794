"""The class page's map drawn as SVG from the map layout: beside the list, never ahead of it,
named for a screen reader, and every name written as text, never as markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from game.engine.checks import loader
from game.engine.play.session import Session
from game.engine.records.classfolder import ClassFolder
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model_map import MapLayout, MapMarker
from game.web.page import map_svg, views
from game.web.server import ClassServer, Settings
from tests.page_client import Browser, client, folder
from tests.test_map_layout import VALID, written

__all__ = ["client", "folder"]  # the class page's fixtures (tests/page_client.py)
SVG = "{http://www.w3.org/2000/svg}"
DRAWN = {"svg", "title", "desc", "g", "polygon", "polyline", "circle", "text", "tspan", "line"}
HOSTILE = '<script>alert(1)</script> & "Co"'


def map_html(session: Session, tmp_path: Path) -> str:
    """The class page's map of ``session``, written by the server's own templates."""
    server = ClassServer(Settings(ClassFolder.open_or_create(tmp_path / "class", (), None)))
    return server.pages.get_template("map.html").render(**views.map_page(session))


def svg_of(html: str) -> ET.Element:
    """The page's one drawing, parsed as XML (it must be well formed)."""
    (found,) = re.findall(r"<svg .*?</svg>", html, re.S)
    return ET.fromstring(found)


def words(svg: ET.Element) -> list[str]:
    """The text of each ``<text>`` of the drawing, its lines joined."""
    return [" ".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def list_items(html: str) -> list[str]:
    """The list of places beside the drawing, each item as the reader hears it."""
    found = re.findall(r"<li>(.*?)</li>", html.split('<ul class="places">')[1].split("</ul>")[0])
    return [unescape(item) for item in found]


def test_the_drawing_is_one_named_image_beside_the_list(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    html = map_html(Session.start(flagship, "pakistan", clock=lambda: 0.0), tmp_path)
    svg = svg_of(html)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "map-title"
    assert svg.get("aria-describedby") == "map-desc"
    assert svg.findtext(f"{SVG}title") == "A sketch of the places named (not to scale)"
    desc = svg.findtext(f"{SVG}desc") or ""
    assert desc.startswith("A drawing, not to scale, of AFGHANISTAN, IRAN,")
    assert "A dashed line shows the Iran–Pakistan border, about 900 km long." in desc
    assert {element.tag.removeprefix(SVG) for element in svg.iter()} <= DRAWN
    assert not [e for e in svg.iter() if e.get("style") is not None]  # classes, no style
    assert "not to scale" in html.split("</svg>")[1].split("</figure>")[0]  # the caption
    assert html.index("</figure>") < html.index('<ul class="places">')  # the list stays
    items = list_items(html)
    assert "Zahedan (provincial capital)." in items and len(items) == 12
    for text in words(svg):  # every word drawn is on the list beside it
        assert any(text.replace(" ", "") in item.replace(" ", "") for item in items), text


@pytest.mark.parametrize(
    ("role", "choices", "shown", "hidden"),
    [
        ("iran", [], ["Panjgur", "Zahedan"], ["Koh-e-Sabz", "Saravan", "village"]),
        ("pakistan", [], ["Koh-e-Sabz", "village"], ["Saravan"]),
        ("pakistan", ["recall_and_bar", "targeted_strikes"], ["Koh-e-Sabz", "Saravan"], []),
    ],
    ids=["iran-16-january", "pakistan-17-january", "pakistan-18-january"],
)
def test_a_place_is_left_off_the_drawing_and_the_list_until_it_is_news(
    flagship: LoadedScenario,
    tmp_path: Path,
    role: str,
    choices: list[str],
    shown: list[str],
    hidden: list[str],
) -> None:
    session = Session.start(flagship, role, clock=lambda: 0.0)
    for choice in choices:
        session.choose(choice)
    html = map_html(session, tmp_path)
    drawn = " | ".join(words(svg_of(html)))
    listed = " | ".join(list_items(html))
    for text in (drawn, listed):
        assert all(word in text for word in shown), text
        assert not [word for word in hidden if word in text], text
    dots = len(list(svg_of(html).iter(f"{SVG}circle")))
    assert dots == 6 - sum(name in hidden for name in ("Koh-e-Sabz", "Saravan"))


def test_names_from_the_file_are_text_never_markup(tmp_path: Path) -> None:
    text = VALID.read_text().replace("* North Harbor    ", f"* {HOSTILE}  ")
    path = written(text.replace("{name: North Harbor,", f"{{name: '{HOSTILE}',"), tmp_path)
    loaded = loader.load(path)
    html = map_html(Session.start(loaded, "north", clock=lambda: 0.0), tmp_path)
    assert (
        "<script>" not in html
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;" in html
    )
    svg = svg_of(html)
    assert HOSTILE in words(svg)  # drawn as the very words, escaped
    assert {element.tag.removeprefix(SVG) for element in svg.iter()} <= DRAWN
    assert f"{HOSTILE} (a fishing port)." in list_items(html)


async def test_the_class_page_serves_the_drawing_with_its_csp(
    client: TestClient[Any, Any], folder: ClassFolder
) -> None:
    browser = Browser(client, folder.code)
    round_url = await browser.playing("Ana")
    response = await client.get(f"{round_url}/map")
    page = await response.text()
    assert response.status == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    svg = svg_of(page)
    assert svg.get("role") == "img"
    assert "Koh-e-Sabz / Sabz Koh" in words(svg) and "Saravan" not in page
    assert not re.search(r"<script(?! src=)", page)  # no inline script


def test_names_wrap_to_the_room_beside_their_dot_on_either_side() -> None:
    note = "a long note that cannot fit on one line beside a dot near the edge"
    layout = MapLayout(
        width=40,
        height=40,
        places=(
            MapMarker(name="Left Port", note=note, x=38, y=10, side="left"),
            MapMarker(name="Right Port", note=note, x=30, y=30),
        ),
    )
    found = map_svg.drawing(layout)
    left_name, left_note, right_name, right_note = found.words
    (dot_x, _), (right_x, _) = found.dots
    assert left_name.anchor == left_note.anchor == "end" and left_name.x < dot_x
    assert right_name.anchor == "start" and right_name.x > right_x
    assert len(left_note.lines) > 1 and len(right_note.lines) > len(left_note.lines)
    assert " ".join(right_note.lines) == note == " ".join(left_note.lines)
    assert found.height >= right_note.bottom  # the drawing grows to hold its words
