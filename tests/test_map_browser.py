"""The class page's map in a real browser (Debian's Chromium): axe-core finds no WCAG 2.1 AA
violation on a laptop and a phone, light and dark; the accessibility tree holds the drawing as
one named image and the list of its places as text; the drawing fits a 360-pixel phone and its
names stay readable there, none of them on or touching the border line."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from benchmarks.class_load import Served
from tests.test_page_browser import LAPTOP, PHONE, ROLE, axe_violations, fits, shot, tree
from tests.test_serve_browser import browser, pytestmark

__all__ = ["browser", "pytestmark"]  # the browser fixture; skipped without Debian's chromium
IMAGE = "A sketch of the places named (not to scale)"
CLEAR = 6
"""How far (in the drawing's units) every name and note keeps from a border line: the line's
half width and the words' halo, with room to spare."""


def crosses(box: tuple[float, float, float, float], a: list[float], b: list[float]) -> bool:
    """Whether the segment from ``a`` to ``b`` enters the rectangle ``box`` (left, top, right,
    bottom): the segment clipped to the rectangle's slabs (Liang-Barsky) keeps some length."""
    low, high = 0.0, 1.0
    (x, y), (dx, dy) = a, (b[0] - a[0], b[1] - a[1])
    for p, q in ((-dx, x - box[0]), (dx, box[2] - x), (-dy, y - box[1]), (dy, box[3] - y)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    return low <= high


def test_a_border_crossing_a_box_is_found() -> None:
    box = (10.0, 10.0, 20.0, 20.0)
    assert crosses(box, [15, 0], [15, 30])  # through it
    assert crosses(box, [0, 0], [30, 30])  # across a corner to corner
    assert crosses(box, [12, 12], [14, 14])  # inside it
    assert not crosses(box, [21, 0], [21, 30])  # beside it
    assert not crosses(box, [15, 21], [15, 30])  # under it
    assert not crosses(box, [0, 12], [8, 30])  # slanting past it


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path / "class", page="html")
    yield server
    server.stop()


def map_page(browser: Any, served: Served, name: str, **options: Any) -> Any:
    """A new student's map page at their first decision (Pakistan, 17 January 2024)."""
    page = browser.new_context(**options).new_page()
    page.goto(served.base + "/")
    page.get_by_label("Class code").fill(served.code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the class").click()
    page.get_by_role("button", name=ROLE).click()
    page.get_by_role("heading", name="What do you decide?").wait_for()
    page.get_by_role("link", name="Map").click()
    page.get_by_role("heading", name="Map", exact=True).wait_for()
    return page


@pytest.mark.parametrize(
    ("size", "scheme"),
    [(LAPTOP, "light"), (PHONE, "dark")],
    ids=["1280x800-light", "360x640-dark"],
)
def test_the_map_page_passes_axe_and_its_tree_names_image_and_places(
    browser: Any, served: Served, size: dict[str, int], scheme: str
) -> None:
    page = map_page(browser, served, f"Map {scheme.title()}", viewport=size, color_scheme=scheme)
    shot(page, f"map-{scheme}-{size['width']}")
    assert axe_violations(page) == []
    seen = tree(page)
    assert f'- img "{IMAGE}"\n' in seen  # one image, named by its title, its words not repeated
    listed = seen.split("- list:")[1].split("- navigation")[0]
    for place in ("Zahedan (provincial capital).", "Panjgur (~90 km from the village)."):
        assert f"- listitem: {place}\n" in listed
    assert "- listitem: Koh-e-Sabz / Sabz Koh (a village in Panjgur district" in listed
    assert "Saravan" not in seen  # news only from 18 January
    assert "not to scale" in seen.split(f'- img "{IMAGE}"')[1]  # the caption, as text
    image = page.get_by_role("img", name=IMAGE)
    description = image.evaluate(
        "svg => document.getElementById(svg.getAttribute('aria-describedby')).textContent"
    )
    assert "A drawing, not to scale, of AFGHANISTAN" in description
    assert fits(page)
    box = image.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('figure.map text')]"
        ".map(t => t.getBoundingClientRect().height / t.querySelectorAll('tspan').length))"
    )
    assert smallest >= 12  # each line of a note, even on a phone (CSS pixels)
    boxes = page.evaluate(
        "[...document.querySelectorAll('figure.map text')].map(t => {"
        " const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent];"
        "})"
    )
    width, height = (float(n) for n in image.get_attribute("viewBox").split()[2:])
    lines = page.evaluate(
        "[...document.querySelectorAll('figure.map polyline.map-border')]"
        ".map(l => [...l.points].map(p => [p.x, p.y]))"
    )
    assert lines  # the Iran–Pakistan border
    for i, (left, top, right, bottom, text) in enumerate(boxes):
        assert min(left, top) >= 0 and right <= width and bottom <= height, text
        for other in boxes[i + 1 :]:  # no two names drawn over each other
            apart = right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top
            assert apart, (text, other[4])
        clear = (left - CLEAR, top - CLEAR, right + CLEAR, bottom + CLEAR)
        for line in lines:  # no name or note on (or touching) a border line
            assert not any(crosses(clear, a, b) for a, b in pairwise(line)), text
    page.context.close()


def test_the_drawing_follows_dark_mode(browser: Any, served: Served) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = map_page(browser, served, f"Colour {scheme.title()}", color_scheme=scheme)
        colours[scheme] = page.evaluate(
            "[...document.querySelectorAll('figure.map .map-name, figure.map .map-sea')]"
            ".map(e => getComputedStyle(e).fill)"
        )
        page.context.close()
    assert colours["light"] and colours["light"] != colours["dark"]
