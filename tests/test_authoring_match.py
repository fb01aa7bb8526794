"""The authoring tools on head-to-head scenarios: checks, explorer, test rounds and plans that
understand matches."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.engine.checks import loader
from game.engine.checks.explore import explore
from game.engine.play.match_order import match_points
from tests.conftest import DATA, FLAGSHIP

MATCH_ONLY = DATA / "match_only" / "strait_match_only.yaml"


def cli(*argv: str) -> int:
    return main(list(argv))


def test_a_correct_match_with_match_only_text_validates_strictly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    loaded, problems = loader.check(MATCH_ONLY)
    assert loaded is not None and list(problems) == []
    assert cli("validate", "--strict", str(MATCH_ONLY)) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
    report = explore(loaded)
    assert not (report.never_chosen or report.never_taken or report.never_fired)
    assert report.never_worded == []


def test_an_event_at_a_match_only_point_must_be_a_world_event(tmp_path: Path) -> None:
    text = MATCH_ONLY.read_text(encoding="utf-8").replace(
        "world_events: [patrol_sighted]", "world_events: []"
    )
    copy = tmp_path / "strait.yaml"
    copy.write_text(text, encoding="utf-8")
    shutil.copytree(MATCH_ONLY.parent / "seeds", tmp_path / "seeds")
    loaded, problems = loader.check(copy)
    assert loaded is not None
    found = [str(p) for p in problems.warnings]
    assert any(
        "event 'patrol_sighted' can never fire: 'n_quiet' is faced only in a match" in p
        and "add 'patrol_sighted' to head_to_head.world_events" in p
        for p in found
    ), found
    assert "patrol_sighted" in explore(loaded).never_fired


def _play_from(home: Path, scenario: Path, point: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n\n" * 40))  # the first choice, always
    return cli("--data-dir", str(home), "play", str(scenario), "--plain", "--from", point)


@pytest.mark.parametrize("point", sorted(match_points(loader.load(FLAGSHIP).scenario.head_to_head)))
def test_every_match_point_of_the_flagship_plays_from_to_an_ending(
    point: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    assert _play_from(home, FLAGSHIP, point, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Debrief:" in out and "Ending" in out, out[-2000:]
    assert "nothing was saved or recorded" in out
    assert "saved to nowhere" not in out
    assert list(home.glob("results/*")) == [] and list(home.glob("saves/*")) == []


def test_a_test_match_labels_the_moves_it_did_not_ask_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _play_from(tmp_path, MATCH_ONLY, "n_quiet", monkeypatch) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Test match from 'n_quiet', a point only a match faces" in out
    assert "Your escort is in the strait" in out  # its variant reads the seat's own facts
    assert "A patrol is sighted" in out  # the world event fires at the match-only point
    assert "The South (not joined) moved (no move in time" in out  # automatic, labelled
    assert "Standoff" in out


QUIET_PLAN = MATCH_ONLY.parent / "strait_match_only.match-quiet.plan.yaml"


def test_a_match_plan_checks_each_seat(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("test", str(MATCH_ONLY), str(QUIET_PLAN)) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      indicators: {tension: 45}",
            "      indicators: {tension: 10}",
            ":21:19: error: end, north: expected tension = 10, but it is 45",
        ),
        ("      rung: protest\n      events", "      rung: clash\n      events", "expected the "),
        (
            "      events: [south_mediates]",
            "      events: []",
            "end, north: expected events [] on arrival, but ['south_mediates'] fired",
        ),
        (
            "shown: [Your escort is in the strait,",
            "shown: [Your fleet is at the mouth,",
            "turn 2, north: 'Your fleet is at the mouth' is not in what the seat was shown",
        ),
        (
            "  ending: standoff_end\n",
            "  ending: standoff_end\n  indicators: {tension: 10}\n",
            "'end.indicators' is for a plan of one student; a match plan says whose",
        ),
        ("  ending: standoff_end\n", "  ending: standoff_end\n  rung: clash\n", "'end.rung' is"),
        ("    south:\n      indicators", "    sout:\n      indicators", "unknown seat 'sout'"),
        ("{north: hold, south: mediate}", "{north: hold, soth: mediate}", "did you mean 'south'?"),
        ("plan: 1\n", "plan: 1\nrole: north\n", "'role' is for a plan of one student"),
        ("        rung: protest", "        rnug: protest", "unknown key 'rnug' in SeatExpectation"),
    ],
)
def test_a_wrong_match_plan_fails(
    old: str, new: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = QUIET_PLAN.read_text(encoding="utf-8")
    assert old in text
    plan = tmp_path / "wrong.plan.yaml"
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert cli("test", str(MATCH_ONLY), str(plan)) == 1
    out = capsys.readouterr().out
    assert message in out, out
    assert "0 passed, 1 failed" in out


def test_a_flagship_match_plan_with_a_wrong_end_value_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (FLAGSHIP.parent / "iran-pakistan-2024.match-spiral.plan.yaml").read_text()
    plan = tmp_path / "spiral.plan.yaml"
    plan.write_text(text + "  seats:\n    pakistan:\n      indicators: {tension: 10}\n")
    assert cli("test", str(FLAGSHIP), str(plan)) == 1
    assert "end, pakistan: expected tension = 10, but it is" in capsys.readouterr().out


def test_a_turn_without_a_seat_s_point_comes_first_and_its_knock_ons_are_marked() -> None:
    _, problems = loader.check(DATA / "broken" / "match_point_missing.yaml")
    ordered = problems.sorted()
    assert "turn 'quiet' has no point for seat 'north'" in str(ordered[0])
    assert not ordered[0].follows
    assert len(ordered) > 5 and all(p.follows for p in ordered[1:]), [str(p) for p in ordered]


def test_graph_draws_the_match_turns_routes_and_historical_pairing() -> None:
    from game.reports.diagram import to_dot, to_mermaid

    loaded = loader.load(MATCH_ONLY)
    mermaid = to_mermaid(loaded)
    assert 'subgraph h2h ["Head-to-head match"]' in mermaid
    assert "Turn 3 · 3 Mar · Silence<br/>The North: Silence from the South" in mermaid
    assert "#40;only in a match#41;" in mermaid  # the match-only point, marked
    assert "history: Escort the merchant ships" in mermaid  # the historical pairing
    assert 'm2 -.->|"if north.chose#40;n_quiet.hold#41;"| n' in mermaid  # route, condition
    lines = mermaid.splitlines()
    links = [line for line in lines if "-->" in line or "-.->" in line]
    bold = lines[-1].removeprefix("    linkStyle ").split(" ")[0].split(",")
    historical_routes = {links[int(n)].split()[0] + links[int(n)].split()[-1] for n in bold}
    assert {"m0m1", "m1n2"} <= historical_routes  # t1 -> t2 -> calm_end, both seats history
    assert "m0n2" not in historical_routes
    standoff = next(line for line in lines if "End: Standoff" in line).split("(")[0].strip()
    assert f'm2 -.->|"if north.chose#40;n_quiet.hold#41;"| {standoff}' in mermaid  # only a match
    dot = to_dot(loaded)
    assert "subgraph cluster_match" in dot
    assert 'm0 -> m1 [label="otherwise", color="#1f5fa8", penwidth=3];' in dot
    assert "(not historical) (only in a match)" in dot
    assert "Head-to-head" not in to_mermaid(loaded, "north").split("subgraph")[0]


def test_graph_of_one_role_that_is_no_seat_has_no_match() -> None:
    from game.reports.diagram import to_mermaid

    assert "subgraph" not in to_mermaid(loader.load(DATA / "mini" / "strait.yaml"))


def test_explore_path_follows_a_match_seat_by_seat(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("explore", str(MATCH_ONLY), "--path", "escort/ignore,hold/mediate") == 0
    out = " ".join(capsys.readouterr().out.split())
    north, south = out.split("The South ---")[0], out.split("The South ---")[1]
    assert "2. n_quiet — tension 55, standing 50; rung protest; events on arrival: " in north
    assert "south_ignores, patrol_sighted → choose hold" in north
    assert "end: standoff_end — tension 45" in north
    assert "2. s2 — tension 45" in south and "end: standoff_end — tension 15" in south
    assert cli("explore", str(MATCH_ONLY), "--path", "escort/ignore,hold") == 1
    assert "turn 2 ('quiet'): give one move per seat, north/south" in capsys.readouterr().err
    assert cli("explore", str(MATCH_ONLY), "--path", "escort/ignor") == 1
    assert "'ignor' is not a choice at 's1'" in capsys.readouterr().err


def test_debrief_finds_the_data_folder_s_own_scenario_or_names_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n\n" * 6))
    grey = DATA.parent.parent / "docs" / "examples" / "grey-strait"
    argv = ["--data-dir", str(home)]
    assert cli(*argv, "play", str(grey / "grey-strait.yaml"), "--role", "north", "--plain") == 0
    (record,) = (home / "results").glob("*.json")
    capsys.readouterr()
    assert cli(*argv, "debrief", str(record)) == 1
    assert "give the scenario's file with --scenario FILE" in capsys.readouterr().err
    shutil.copytree(grey, home / "scenarios")
    assert cli(*argv, "debrief", str(record)) == 0
    assert "Debrief: Patrols in the Grey Strait" in capsys.readouterr().out


@pytest.mark.ui
@pytest.mark.asyncio
async def test_the_match_briefing_is_left_with_enter_or_escape(tmp_path: Path) -> None:
    from game.engine.records.matches import MatchStore
    from game.engine.records.store import RoundStore
    from game.ui.match_app import MatchApp, MatchRequest
    from game.ui.screens.decision import DecisionScreen
    from game.ui.screens.dialogs import LeaveDialog
    from game.ui.screens.match import BriefingScreen
    from tests.ui_helpers import until

    loaded = loader.load(FLAGSHIP)
    for key, then in (("escape", LeaveDialog), ("enter", DecisionScreen)):
        home = tmp_path / key
        home.mkdir()
        store = MatchStore(home / "matches.sqlite")
        request = MatchRequest(loaded=loaded, name="Ali", seat="pakistan")
        app = MatchApp(store, RoundStore(home), request)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda a=app: isinstance(a.screen, BriefingScreen))  # type: ignore[misc]
            MatchStore(home / "matches.sqlite").join(app.code, "Bea")
            await pilot.press(key)
            await until(pilot, lambda a=app, t=then: isinstance(a.screen, t))  # type: ignore[misc]


@pytest.mark.ui
@pytest.mark.asyncio
async def test_preview_match_plays_both_seats_and_reloads_on_save(tmp_path: Path) -> None:
    from game.ui.preview_match import PreviewMatchApp
    from game.ui.screens.decision import DecisionScreen
    from game.ui.screens.dialogs import LeaveDialog
    from game.ui.screens.outcome import OutcomeScreen
    from tests.ui_helpers import screen_lines, until

    shutil.copytree(DATA.parent.parent / "docs" / "examples" / "grey-strait", tmp_path / "d")
    draft = tmp_path / "d" / "grey-strait.yaml"
    app = PreviewMatchApp(draft, loader.load(draft))

    def shown() -> str:
        return " ".join(" ".join(screen_lines(app)).split())

    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: "Northland's government decides (then Southland" in shown())
        assert "Southland is about to answer" in shown()  # the seat's situation
        for seat in ("north", "south"):
            assert app.seat == seat and isinstance(app.screen, DecisionScreen)
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        await until(pilot, lambda: isinstance(app.screen, OutcomeScreen))
        assert app.seat == "north" and "Southland" in shown()  # the other seat's move first
        await pilot.press("enter")
        await until(pilot, lambda: app.seat == "south" and isinstance(app.screen, OutcomeScreen))
        await pilot.press("enter")
        await until(pilot, lambda: "turn 2 · Northland's government decides" in shown())
        text = draft.read_text()
        draft.write_text(text.replace("Southland has answered.", "Southland has spoken.", 1))
        await until(pilot, lambda: "Southland has spoken." in shown())
        assert app.match.number == 2 and app.turns[0][0] == "protest"  # the turn was replayed
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LeaveDialog))
        assert "not saved or recorded" in shown() and "Your round is saved" not in shown()


@pytest.mark.ui
@pytest.mark.asyncio
async def test_the_preview_s_quit_dialog_does_not_say_the_round_is_saved(tmp_path: Path) -> None:
    from game.engine.records.store import RoundStore
    from game.ui.preview import PreviewApp
    from game.ui.screens.decision import DecisionScreen
    from game.ui.screens.dialogs import LeaveDialog
    from game.ui.start import StartRequest
    from tests.ui_helpers import screen_lines, until

    draft = DATA.parent.parent / "docs" / "examples" / "grey-strait" / "grey-strait.yaml"
    request = StartRequest(scenario=draft, loaded=loader.load(draft), role="north")
    app = PreviewApp(RoundStore(tmp_path / "home"), request)
    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LeaveDialog))
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "This is a test round: it is not saved or recorded." in text
        assert "Your round is saved" not in text


def test_play_from_a_match_only_point_takes_set_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n\n"))
    argv = ["--data-dir", str(tmp_path), "play", str(MATCH_ONLY), "--plain", "--from", "n_quiet"]
    assert cli(*argv, "--set", "tension=90", "--set", "rung=clash") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Tension: 90 (of 0-100)" in out and "Escalation: Clash" in out
    assert "Calm" in out  # leaving the strait: the route's 'otherwise', to calm_end
    assert cli(*argv, "--set", "tensoin=5") == 1
    assert "did you mean 'tension'?" in capsys.readouterr().err


@pytest.mark.ui
@pytest.mark.asyncio
async def test_a_full_screen_test_match_from_a_match_only_point() -> None:
    from game.engine.seats.match_from import match_from
    from game.ui.preview_match import PreviewMatchApp
    from game.ui.screens.debrief import DebriefScreen
    from game.ui.screens.outcome import OutcomeScreen
    from tests.ui_helpers import screen_lines, until

    loaded = loader.load(MATCH_ONLY)
    seat, match = match_from(loaded, "n_quiet", ["tension=90"])
    app = PreviewMatchApp(MATCH_ONLY, loaded, match, seat)

    def shown() -> str:
        return " ".join(" ".join(screen_lines(app)).split())

    async with app.run_test(size=(110, 32)) as pilot:
        await until(pilot, lambda: "Test match · turn 2 · The North decides" in shown())
        assert "The South's fallback move stands" in shown()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OutcomeScreen))
        assert "no move in time" in shown()  # the other seat's move, labelled as automatic
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        assert "Standoff" in shown()


def test_a_match_briefing_keeps_its_paragraph_breaks(tmp_path: Path) -> None:
    from game.engine.play.match import Match, SeatView
    from game.reports.match_report import briefing_blocks
    from game.reports.writers import text_blocks

    text = MATCH_ONLY.read_text(encoding="utf-8").replace(
        "  seats: [north, south]\n",
        "  seats: [north, south]\n  briefings:\n    north: |-\n"
        "      You command the northern fleet.\n\n      The South is watching.\n",
    )
    copy = tmp_path / "strait.yaml"
    copy.write_text(text, encoding="utf-8")
    shutil.copytree(MATCH_ONLY.parent / "seeds", tmp_path / "seeds")
    view = SeatView(Match(loader.load(copy), {}, 0.0), "north")
    shown = text_blocks(briefing_blocks(view, "ABC123"))
    assert "You command the northern fleet.\n\nThe South is watching." in shown


def test_a_plan_of_one_student_with_seats_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "solo.plan.yaml"
    history = FLAGSHIP.parent / "iran-pakistan-2024.pakistan-history.plan.yaml"
    plan.write_text(history.read_text() + "  seats: {pakistan: {rung: calm}}\n")
    assert cli("test", str(FLAGSHIP), str(plan)) == 1
    assert "'seats' is for a match plan (one with 'turns')" in capsys.readouterr().out


def test_explore_says_which_ending_only_a_match_reaches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli("explore", str(MATCH_ONLY)) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Endings this role can never reach: standoff_end (a match reaches it)" in out
    assert "Shortest match: 1 turn." in out and "Longest match: 2 turns." in out


@pytest.mark.parametrize("hostile", ['x"] --> evil["owned', "a; click m0 href 'javascript:x'"])
def test_a_turn_title_cannot_inject_into_the_graph(hostile: str, tmp_path: Path) -> None:
    from game.reports.diagram import to_dot, to_mermaid

    copy = tmp_path / "strait.yaml"
    text = MATCH_ONLY.read_text(encoding="utf-8")
    copy.write_text(text.replace("title: Silence\n", f"title: {json.dumps(hostile)}\n"))
    shutil.copytree(MATCH_ONLY.parent / "seeds", tmp_path / "seeds")
    loaded = loader.load(copy)
    mermaid = to_mermaid(loaded)
    assert not re.findall(r'"\](?![)\n])', mermaid)  # no label is closed early
    assert not any(line.strip().startswith(("click", "evil")) for line in mermaid.splitlines())
    assert all(line.count('"') % 2 == 0 for line in mermaid.splitlines())
    assert sum(line.strip().startswith("m") for line in mermaid.splitlines()) == 10
    dot = to_dot(loaded)
    quotes = [line.replace('\\"', "").count('"') for line in dot.splitlines()]
    assert all(count % 2 == 0 for count in quotes)  # every quote inside a label is escaped
