"""The statistics every report uses, defined once (docs/debrief.md, "How figures are computed").

Figures are computed exactly (fractions, never floats) and rounded by one rule: half away from
zero, so 82.5 % shows as 83 % and 57.5 % as 58 %. A median is the true median: the middle
value of an odd count, the mean of the two middle values of an even count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

Number = int | Fraction


def whole_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (both at least 0, the denominator above 0) rounded half up
    to a whole number, in integers only (what a class report computes for every record)."""
    return (2 * numerator + denominator) // (2 * denominator)


def half_up(value: Number, places: int = 0) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, as text."""
    scale = 10**places
    scaled = abs(Fraction(value)) * scale
    whole = whole_half_up(scaled.numerator, scaled.denominator)
    sign = "-" if value < 0 and whole else ""
    if places == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole // scale}.{whole % scale:0{places}d}"


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage, rounded half up ("–" of nothing)."""
    return f"{half_up(Fraction(100 * part, whole))}%" if whole else "–"


def count(histogram: Mapping[int, int]) -> int:
    """How many values a histogram holds."""
    return sum(histogram.values())


def mean(histogram: Mapping[int, int]) -> Fraction | None:
    """The exact mean of a histogram of whole numbers (``None`` if empty)."""
    total = count(histogram)
    if not total:
        return None
    return Fraction(sum(value * times for value, times in histogram.items()), total)


def middle_pair(histogram: Mapping[int, int]) -> tuple[int, int] | None:
    """The two middle values (equal for an odd count) of a histogram (``None`` if empty)."""
    total = count(histogram)
    if not total:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return low, high


def median(histogram: Mapping[int, int]) -> Fraction | None:
    """The true median of a histogram of whole numbers (``None`` if empty)."""
    pair = middle_pair(histogram)
    return None if pair is None else Fraction(pair[0] + pair[1], 2)


CalendarKey = tuple[dt.date, int]
"""Where a decision sits on the calendar: its in-game date and its number among the round's
decisions on that date (0 for the first)."""


def on_calendar(dates: Sequence[dt.date]) -> list[CalendarKey]:
    """The calendar key of each of a round's decisions, given their dates in order."""
    keys: list[CalendarKey] = []
    today: dict[dt.date, int] = {}
    for day in dates:
        keys.append((day, today.get(day, 0)))
        today[day] = today.get(day, 0) + 1
    return keys
