"""A date that does not exist is named as the calendar would name it (without `calendar`)."""

from __future__ import annotations

import calendar

from game.engine.scenario.decode import _impossible_day


def test_every_month_of_sample_years_has_the_calendars_days() -> None:
    for year in (1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 9996, 9999):
        for month in range(1, 13):
            days = calendar.monthrange(year, month)[1]
            for day in range(1, 33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                expected = (
                    "" if day <= days else f"{calendar.month_name[month]} {year} has {days} days"
                )
                assert _impossible_day(text) == expected, text


def test_a_month_that_does_not_exist_and_text_that_is_no_date() -> None:
    assert _impossible_day("2024-13-01") == "there is no month 13; months run from 01 to 12"
    assert _impossible_day("2024-00-10") == "there is no month 0; months run from 01 to 12"
    assert _impossible_day("17 January 2024") == ""
