"""Escalation curves on the in-game calendar: placing them, and drawing them as text and SVG.

A point sits at its decision's date; a round's second decision on the same day sits a
fraction of a day later, so every decision keeps its own point and every curve shares one
calendar. Curves differ by line style and marker as well as colour, so they can be told apart
in print, in dark mode and by readers who do not see colour.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from game.engine.base.stats import CalendarKey
from game.engine.base.text import printable, short_date
from game.reports.document import Curves, Series


@dataclass(frozen=True)
class Line:
    """One curve to place: its label, its value at each calendar key, and optionally how many
    rounds each value rests on."""

    label: str
    values: Mapping[CalendarKey, float]
    counts: Mapping[CalendarKey, int] | None = None


def _ordinal(number: int) -> str:
    return {1: "2nd", 2: "3rd"}.get(number, f"{number + 1}th")


def key_label(key: CalendarKey) -> str:
    """A calendar key as a reader sees it: "17 Jan", or "17 Jan (2nd)" for a second
    decision on that day."""
    day, number = key
    return short_date(day) if number == 0 else f"{short_date(day)} ({_ordinal(number)})"


QUIET_GAP = 2
"""Days without decisions longer than this are drawn as a break in the calendar axis."""


def calendar_curves(lines: Sequence[Line], levels: tuple[str, ...]) -> Curves:
    """Curves whose x is the in-game date: one unit per day, with stretches of more than
    :data:`QUIET_GAP` days without any decision drawn shorter, as a marked break."""
    keys = sorted({key for line in lines for key in line.values})
    if not keys:
        return Curves(tuple(Series(line.label, ()) for line in lines), levels)
    per_day: dict[dt.date, int] = {}
    for day, number in keys:
        per_day[day] = max(per_day.get(day, 0), number + 1)
    day_x: dict[dt.date, float] = {}
    breaks: list[float] = []
    previous: dt.date | None = None
    for day in sorted(per_day):
        if previous is None:
            day_x[day] = 0.0
        else:
            gap = (day - previous).days
            step = float(gap) if gap <= QUIET_GAP else QUIET_GAP - 0.5
            day_x[day] = day_x[previous] + step
            if gap > QUIET_GAP:
                breaks.append(day_x[previous] + step / 2)
        previous = day

    def x_of(key: CalendarKey) -> float:
        day, number = key
        return day_x[day] + number / (per_day[day] + 1)

    series = []
    for line in lines:
        mine = sorted(line.values)
        series.append(
            Series(
                line.label,
                tuple((x_of(k), float(line.values[k])) for k in mine),
                tuple(line.counts.get(k, 0) for k in mine) if line.counts is not None else (),
                tuple(key_label(k) for k in mine),
            )
        )
    ticks = tuple((day_x[day], day.strftime("%-d %b")) for day in sorted(per_day))
    years = sorted({day.year for day in per_day})
    label = f"In-game date ({'–'.join(map(str, years))})"
    return Curves(tuple(series), levels, ticks, tuple(breaks), x_label=label)


def level_name(levels: tuple[str, ...], value: float) -> str:
    """A ladder position in words; a value between two rungs (a mean, a median of an even
    count) says so instead of being rounded to one of them."""
    if value == int(value):
        return levels[int(value)]
    low, high = math.floor(value), math.ceil(value)
    return f"{value:g} (between {levels[low]} and {levels[high]})"


def curve_lines(curves: Curves) -> list[str]:
    """Each curve as one line of text: date, level and, for class curves, rounds."""
    lines = []
    for series in curves.series:
        parts = []
        for number, (_, value) in enumerate(series.points):
            day = series.dates[number] if number < len(series.dates) else ""
            rounds = f" (rounds: {series.counts[number]})" if series.counts else ""
            parts.append(f"{day}: {level_name(curves.levels, value)}{rounds}".strip(": "))
        lines.append(f"{series.label}: " + (" → ".join(parts) or "(none)"))
    return lines


# --- SVG ---------------------------------------------------------------------------------

_COLOURS = ("#1f5fa8", "#b03a2e", "#1e8449", "#7d3c98", "#b9770e")
_COLOURS_DARK = ("#7fb3ff", "#ff8a7a", "#6fd89a", "#d0a4f5", "#f3bd62")
_DASHES = ("", "8 5", "2 4", "10 4 2 4", "4 4")
_MARKERS = ("circle", "square", "triangle", "diamond", "cross")


def _h(text: str) -> str:
    import html  # only the SVG needs it; the screens' text curves do not load html.entities

    return html.escape(printable(text), quote=True)


def _marker(kind: str, x: float, y: float, colour: str, style: int) -> str:
    cls = f'class="m{style}"'
    if kind == "circle":
        return f'<circle {cls} cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect {cls} x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon {cls} points="{x:.1f},{y - 5.5:.1f} {x - 5:.1f},{y + 4:.1f} '
            f'{x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    if kind == "diamond":
        return (
            f'<polygon {cls} points="{x:.1f},{y - 5.5:.1f} {x + 5.5:.1f},{y:.1f} {x:.1f},'
            f'{y + 5.5:.1f} {x - 5.5:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return (
        f'<path {cls} d="M{x - 4:.1f},{y - 4:.1f}L{x + 4:.1f},{y + 4:.1f}M{x - 4:.1f},'
        f'{y + 4:.1f}L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2.5"/>'
    )


def svg_curves(curves: Curves) -> str:
    """Inline SVG: rungs up the side, dates along the bottom, both axes labelled, a legend
    that shows each line's style and marker; text takes the page's colour (light or dark), and
    each line's colour has a lighter twin in dark mode (classes ``l0``-``l4``/``m0``-``m4``,
    styled by the page)."""
    span = max([x for s in curves.series for x, _ in s.points] + [t for t, _ in curves.ticks] + [1])
    levels = max(len(curves.levels) - 1, 1)
    left, top, width, height = 200, 16, 440, 26 * (levels + 1)
    bottom = top + height
    counted = next((s for s in curves.series if s.counts), None)
    rounds_row = 22 if counted else 0

    def x_of(x: float) -> float:
        return left + 20 + (width - 40) * x / span

    def y_of(v: float) -> float:
        return bottom - height * v / levels

    legend_top = bottom + 60 + rounds_row
    total_height = legend_top + 20 * ((len(curves.series) + 1) // 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + width + 20} '
        f'{total_height}" role="img" aria-label="{_h(curves.y_label)} by {_h(curves.x_label)}" '
        'font-family="system-ui,sans-serif">'
    ]
    for position, name in enumerate(curves.levels):
        y = y_of(position)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" '
            'stroke="currentColor" stroke-opacity=".2" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="currentColor">{_h(name)}</text>'
        )
    for x, label in curves.ticks:
        parts.append(
            f'<line x1="{x_of(x):.1f}" y1="{bottom}" x2="{x_of(x):.1f}" y2="{bottom + 5}" '
            'stroke="currentColor" stroke-width="1"/>'
            f'<text x="{x_of(x):.1f}" y="{bottom + 18}" font-size="11" text-anchor="middle" '
            f'fill="currentColor">{_h(label)}</text>'
        )
    for x in curves.breaks:
        parts.append(
            f'<text x="{x_of(x):.1f}" y="{bottom + 4}" font-size="14" text-anchor="middle" '
            'fill="currentColor">≈</text>'
        )
    if counted:
        parts.append(
            f'<text x="{left - 8}" y="{bottom + 36}" font-size="11" text-anchor="end" '
            f'fill="currentColor">Rounds</text>'
        )
        parts.extend(
            f'<text x="{x_of(x):.1f}" y="{bottom + 36}" font-size="11" text-anchor="middle" '
            f'fill="currentColor">{count}</text>'
            for (x, _), count in zip(counted.points, counted.counts, strict=True)
        )
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{left + width}" y2="{bottom}" '
        'stroke="currentColor" stroke-width="1"/>'
        f'<text x="{left + width / 2:.1f}" y="{bottom + 40 + rounds_row}" font-size="12" '
        f'text-anchor="middle" fill="currentColor" font-weight="bold">{_h(curves.x_label)}</text>'
        f'<text x="14" y="{top + height / 2:.1f}" font-size="12" text-anchor="middle" '
        f'fill="currentColor" font-weight="bold" transform="rotate(-90 14 '
        f'{top + height / 2:.1f})">{_h(curves.y_label)}</text>'
    )
    for number, series in enumerate(curves.series):
        style = number % 5
        colour, dash, marker = _COLOURS[style], _DASHES[style], _MARKERS[style]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        width_px = 3.5 if number == 0 else 2.5
        coords = [(x_of(x), y_of(v)) for x, v in series.points]
        if len(coords) > 1:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(
                f'<polyline class="l{style}" points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="{width_px}"{dashed} stroke-linejoin="round"/>'
            )
        parts.extend(_marker(marker, x, y, colour, style) for x, y in coords)
        legend_y = legend_top + 20 * (number // 2)
        legend_x = left + (number % 2) * 230
        parts.append(
            f'<line class="l{style}" x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 34}" '
            f'y2="{legend_y}" stroke="{colour}" stroke-width="{width_px}"{dashed}/>'
            + _marker(marker, legend_x + 17, legend_y, colour, style)
            + f'<text x="{legend_x + 42}" y="{legend_y + 4}" font-size="12" '
            f'fill="currentColor">{_h(series.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


CURVE_STYLE = "".join(
    f".l{n}{{stroke:{c}}}.m{n}{{fill:{c};stroke:{c}}}" for n, c in enumerate(_COLOURS)
)
"""The lines' colours for the page's stylesheet."""
CURVE_STYLE_DARK = "".join(
    f".l{n}{{stroke:{c}}}.m{n}{{fill:{c};stroke:{c}}}" for n, c in enumerate(_COLOURS_DARK)
)
"""Their lighter twins for dark mode."""
