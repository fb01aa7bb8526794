"""The smallest terminal the game supports, 80×24, as a student meets it: the title screen,
the role screen and the decision screen's heading and status line."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Button, Input

from game.ui.screens.decision import DecisionScreen
from game.ui.screens.dialogs import LeaveDialog
from game.ui.screens.outcome import OutcomeScreen
from game.ui.screens.role import RoleScreen
from tests.conftest import FLAGSHIP
from tests.ui_helpers import make_app, screen_lines, session_of

SIZE = (80, 24)


async def test_title_screen_offers_enter_and_quits_without_talk_of_a_round(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Enter starts or continues" in " ".join(screen_lines(app))
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, LeaveDialog)
        shown = " ".join(screen_lines(app))
        assert "Your round is saved" not in shown and "Your result is saved" not in shown
        assert not app.screen.query("#title")  # no "Title screen" button on the title screen


async def test_enter_in_the_name_field_starts_and_tab_skips_the_briefing(home: Path) -> None:
    app = make_app(home, FLAGSHIP)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoleScreen)
        shown = "\n".join(screen_lines(app))
        assert "Objectives" in shown  # above the fold
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
            assert not isinstance(app.focused, VerticalScroll)
        if not isinstance(app.focused, Input):
            await pilot.press("tab")
        await pilot.press(*"Ada", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        assert session_of(app).player == "Ada"


async def test_the_heading_keeps_the_role_and_the_status_line_every_indicator(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = screen_lines(app)
        assert rows[0].rstrip().endswith("Pakistan's caretaker government")
        status = " ".join(" ".join(rows[1:3]).split())
        scenario = session_of(app).loaded.scenario
        for indicator in scenario.indicators:
            assert indicator.name in status
        assert "Ladder:" in status


async def test_the_continue_button_covers_no_outcome_text(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        outcome = app.screen.query_one("#outcome", VerticalScroll).region
        button = app.screen.query_one("#continue", Button).region
        assert not outcome.overlaps(button)
        assert button.y >= outcome.bottom


async def test_the_debrief_opens_with_its_summary_on_one_screen(home: Path) -> None:
    """The ending, the verdict at each decision and the labelled chart, before any scrolling,
    on the historical path and on an invented one, for both roles."""
    from game.ui.screens.debrief import DebriefScreen
    from tests.ui_helpers import decide, historical_number

    for role in ("pakistan", "iran"):
        for pick_history in (True, False):
            app = make_app(home / f"{role}{pick_history}", FLAGSHIP, role)
            async with app.run_test(size=SIZE) as pilot:
                while isinstance(app.screen, DecisionScreen):
                    await decide(pilot, historical_number(app) if pick_history else 1)
                await pilot.pause()
                assert isinstance(app.screen, DebriefScreen)
                shown = " ".join(" ".join(screen_lines(app)).split())
                reviews = app.screen.debrief.reviews
                assert "Ending: " in shown
                for review in reviews:
                    assert f"{review.number}. " in shown
                assert "Escalation ladder: one bar per decision" in shown
                last = reviews[-1].point.date.strftime("%d %b").lstrip("0")
                assert shown.count(last) >= 2, (role, pick_history)  # under both charts


async def test_d_unfolds_the_disputes_new_to_the_round(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert "d: sources disagree" in " ".join(screen_lines(app))
        assert "Sources disagree:" not in " ".join(screen_lines(app))  # folded
        await pilot.press("d")
        await pilot.pause()
        await pilot.pause()
        assert "Sources disagree:" in " ".join(screen_lines(app))
