"""Playing whole rounds through the Textual UI with keys only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandList

from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.dialogs import HelpScreen, LeaveDialog
from game.ui.screens.notes import NotesScreen
from game.ui.screens.outcome import OutcomeScreen
from game.ui.screens.role import RoleScreen
from game.ui.screens.sources import SourceViewer
from game.ui.screens.title import TitleScreen
from tests.conftest import FLAGSHIP
from tests.ui_helpers import decide, make_app, play_history, screen_lines, session_of, until


def screen_text(app: App[None]) -> str:
    """Everything the current screen shows, as plain text."""
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.screen.query(Static))


@pytest.mark.parametrize(
    ("role_key", "role", "decisions"), [("enter", "pakistan", 4), ("down", "iran", 5)]
)
async def test_a_full_historical_round_from_the_title_screen(
    home: Path, role_key: str, role: str, decisions: int
) -> None:
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, RoleScreen)
        if role_key == "down":
            await pilot.press("down")
        await pilot.press("tab", *"Ada", "enter")  # Enter in the name field starts
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        assert session_of(app).role == role
        assert session_of(app).player == "Ada"
        await play_history(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        debrief = app.screen.debrief
        assert debrief.ending is not None and debrief.ending.id == "managed_deescalation"
        assert debrief.matched == decisions and debrief.divergence == 0
        shown = screen_text(app)
        assert "Managed de-escalation" in shown
        assert f"Decisions that matched history: {decisions} of {decisions}." in shown
        assert "Sources disagree" in shown and "Questions for discussion" in shown
        words = " ".join(shown.split())
        for note in debrief.loaded.scenario.notes:  # every background note, in full
            assert note.title in words and " ".join(note.text.split()) in words, note.id
        await pilot.press("e")
        await pilot.pause()
    results = list((home / "results").glob("*.json"))
    assert len(results) == 1
    record = json.loads(results[0].read_text())
    assert record["role"] == role and record["status"] == "finished"
    assert record["state"]["ending"] == "managed_deescalation"
    assert [e["rationale"] for e in record["entries"] if e["kind"] == "decision"] == [
        "ok"
    ] * decisions
    assert list((home / "saves").glob("*.json")) == []
    exports = sorted(p.name for p in (home / "exports").iterdir())
    name = f"ada-{results[0].stem}"  # the student, then the round: scenario, role, when
    assert exports == [f"{name}.html", f"{name}.md"]
    assert "Debrief: Border Strikes" in (home / "exports" / exports[1]).read_text()


async def test_an_escalation_round_reaches_the_spiral(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await decide(pilot, 4)  # strike today
        await decide(pilot, 3)  # strike again
        await decide(pilot, 2)  # strike back
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.debrief.ending.id == "escalation_spiral"  # type: ignore[union-attr]


async def test_back_out_of_a_choice_and_reveal_only_in_the_debrief(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "iran", reveal="debrief")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.press("escape")
        assert isinstance(app.screen, DecisionScreen)
        assert session_of(app).decisions == []
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert "revealed in the debrief" in screen_text(app)
        assert "What the government did" not in screen_text(app)


async def test_sources_notes_map_help_and_quit(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "iran")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SourceViewer)
        assert app.screen.sources == []  # nothing was published by 16 January
        await pilot.press("escape", "n")
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("escape", "m")
        assert isinstance(app.screen, NotesScreen) and app.screen.tab == "map"
        assert "Zahedan" in app.screen.map and "Sabz" not in app.screen.map  # not yet news
        assert "Saravan" not in app.screen.map
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "q")
        assert isinstance(app.screen, LeaveDialog)
        await pilot.press("n")
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_citation_opens_its_source_at_the_quote(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("1")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceViewer)
        from textual.widgets import TextArea

        area = viewer.query_one(TextArea)
        assert area.selected_text == (
            "recalling its ambassador from Iran and suspending all Iranian high-level visits"
        )
        # CNN published this on 18 January; the round stands on 17 January: the passage only.
        assert app.round is not None
        scenario = app.round.session.loaded
        whole = scenario.texts.text(scenario.scenario.source_by_id["cnn"].file)
        # The words cited alone: the sentence around them tells of later days.
        assert area.text == (
            "[…] recalling its ambassador from Iran and suspending all Iranian "
            "high-level visits […]"
        )
        assert len(whole) > 1000
        assert "only the words cited are shown" in str(viewer.query_one("#source-about").render())
        assert [s.id for s in viewer.sources] == ["cnn"]  # nothing else is published yet


async def test_quit_mid_round_and_continue_from_the_title_screen(home: Path) -> None:
    first = make_app(home, FLAGSHIP, "pakistan")
    async with first.run_test(size=(100, 30)) as pilot:
        await decide(pilot, 2, "firm")
        await decide(pilot, 3)
        await pilot.press("q", "y")
        await pilot.pause()
    second = make_app(home)
    async with second.run_test(size=(100, 30)) as pilot:
        assert isinstance(second.screen, TitleScreen)
        assert len(second.screen.saved) == 1
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(second.screen, DecisionScreen)
        session = session_of(second)
        assert [d.choice for d in session.decisions] == ["recall_and_bar", "targeted_strikes"]
        assert session.decisions[0].rationale == "firm"
        await play_history(pilot, second)
        assert isinstance(second.screen, DebriefScreen)
        assert second.screen.debrief.ending.id == "managed_deescalation"  # type: ignore[union-attr]


@pytest.mark.parametrize("size", [(1, 1), (40, 10), (79, 24)])
async def test_a_small_terminal_gets_a_clear_message(home: Path, size: tuple[int, int]) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        await decide(pilot, 2)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert app.screen.has_class("-too-small")


async def test_resizing_on_every_screen_does_not_crash(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        for keys in (("s",), ("escape", "n"), ("escape", "2")):
            await pilot.press(*keys)
            for size in ((300, 100), (40, 10), (80, 24)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
        await pilot.press("enter", "enter")
        await play_history(pilot, app)
        for size in ((300, 100), (1, 1), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_theme_toggle(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_escape_from_a_role_screen_opened_directly_goes_to_the_title(home: Path) -> None:
    app = make_app(home, FLAGSHIP)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, RoleScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, RoleScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)


def test_play_with_an_unknown_role_fails_before_the_screen_opens(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from game.cli import main

    assert main(["play", "iran_pakistan_2024", "--role", "nobody"]) == 1
    assert "'nobody' is not a role of this scenario" in capsys.readouterr().err


async def test_command_palette_offers_the_games_commands(home: Path) -> None:
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(100, 30)) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Sources", "Background notes", "Map", "Help", "Quit"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Map")
        results = app.screen.query_one(CommandList)  # the palette's matches
        await until(pilot, lambda: results.option_count > 0 and results.highlighted is not None)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen) and app.screen.tab == "map"


def test_escalation_bars_share_the_ladders_scale() -> None:
    from game.ui.render import curve_bars

    low = curve_bars((1, 0), top=5, colour="cyan").plain.splitlines()
    high = curve_bars((5, 1), top=5, colour="cyan").plain.splitlines()
    assert low[0].strip() == "" and high[0].startswith("██████")  # only rung 5 reaches the top
    assert low[-1][:6] == high[-1][7:13]  # rung 1 is drawn the same in both curves
    assert curve_bars((), top=5, colour="cyan").plain == "no decisions"


async def test_the_full_screen_game_records_a_round_as_a_plan(home: Path, tmp_path: Path) -> None:
    from game.cli import main
    from game.engine.records.store import RoundStore
    from game.ui.app import FlashpointApp
    from game.ui.start import StartRequest

    plan = tmp_path / "screen.plan.yaml"
    request = StartRequest(scenario=FLAGSHIP, role="pakistan", record_plan=plan)
    app = FlashpointApp(RoundStore(home), request)
    async with app.run_test(size=(100, 30)) as pilot:
        await decide(pilot, 4)  # strike today
        await decide(pilot, 3)  # strike again
        await decide(pilot, 2)  # strike back
        assert isinstance(app.screen, DebriefScreen)
        await until(
            pilot, lambda: any("Wrote the test plan" in n.message for n in app._notifications)
        )
    assert "ending: escalation_spiral" in plan.read_text()
    assert main(["test", str(FLAGSHIP), str(plan)]) == 0


async def test_the_title_lists_the_data_folders_own_scenarios(home: Path) -> None:
    import shutil

    from tests.conftest import ROOT

    mine = home / "scenarios"
    mine.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "examples" / "grey-strait" / "grey-strait.yaml", mine)
    shutil.copytree(ROOT / "docs" / "examples" / "grey-strait" / "seeds", mine / "seeds")
    (mine / "draft.yaml").write_text("title: [unfinished\n")
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        titles = [listing.title for listing in app.screen.listings]
        assert titles[-1] == "Patrols in the Grey Strait" and len(titles) == 2
        notices = app.screen.warnings
        assert len(notices) == 1 and "Could not open" in notices[0]
        assert notices[0].endswith("draft.yaml' to see why")
        assert "Could not open" in " ".join(screen_lines(app))  # and it is on the screen


async def test_a_test_round_shows_its_variables_and_saves_nothing(home: Path) -> None:
    from game.engine.checks import loader
    from game.engine.records.store import RoundStore
    from game.engine.seats.recording import test_start
    from game.ui.app import FlashpointApp
    from game.ui.start import StartRequest

    loaded = loader.load(FLAGSHIP)
    role, test = test_start(loaded, "pk_visit", ["tension=70"])
    request = StartRequest(scenario=FLAGSHIP, loaded=loaded, role=role, test=test)
    app = FlashpointApp(RoundStore(home), request)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        variables = app.screen.query_one("#variables")
        assert not variables.display
        await pilot.press("v")
        assert variables.display
        assert "tension 70" in " ".join(screen_lines(app))
        await decide(pilot, 3)  # host the visit: at 70 - 15 it goes ahead
        assert isinstance(app.screen, DebriefScreen)
    assert list(RoundStore(home).results.glob("*")) == []
    assert list(RoundStore(home).saves.glob("*")) == []


async def test_a_save_that_cannot_be_continued_leaves_the_student_on_the_title(
    home: Path,
) -> None:
    """``--continue`` on a save naming a point the scenario no longer has: the title screen,
    and why, instead of an empty screen."""
    from game.engine.records.store import RoundStore
    from game.ui.app import FlashpointApp
    from game.ui.start import StartRequest
    from tests.conftest import MINI, ROOT

    saves = home / "saves"
    saves.mkdir(parents=True)
    data = ROOT / "tests" / "hostile" / "data" / "removed-point-save.json"
    (saves / "removed.json").write_text(data.read_text())
    app = FlashpointApp(RoundStore(home), StartRequest(scenario=MINI, resume=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TitleScreen))
        await until(pilot, lambda: any("Cannot continue" in n.message for n in app._notifications))
        assert [type(screen).__name__ for screen in app.screen_stack] == ["Screen", "TitleScreen"]
