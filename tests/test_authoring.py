"""The authoring toolkit: new, graph, explore (exhaustive and random) and test plans."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.cli import main
from game.engine.checks import loader
from game.engine.checks.explore import explore, random_rounds
from game.engine.checks.plans import plans_for
from game.engine.play.session import Session
from game.reports.diagram import (
    dot_label,
    dot_text,
    mermaid_label,
    mermaid_text,
    to_dot,
    to_mermaid,
)
from scripts.generate_scenario import generate
from tests.conftest import DATA, FLAGSHIP, ROOT

BROKEN = DATA / "broken"


def cli(*args: str) -> int:
    return main(list(args))


def test_new_scaffolds_a_valid_playable_tested_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "border-crisis.yaml"
    assert cli("new", str(path)) == 0
    assert (tmp_path / "seeds" / "example-report.txt").is_file()
    assert (tmp_path / "scenario.schema.json").is_file()
    loaded, problems = loader.check(path)
    assert loaded is not None and list(problems) == []
    assert loaded.scenario.id == "border_crisis"
    assert len(loaded.scenario.roles) == 2 and len(loaded.scenario.points) == 3
    text = path.read_text()
    assert text.count("\n#") >= 5, "the scaffold explains itself in comments"
    assert cli("test", str(path)) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert cli("new", str(path)) == 1
    assert "not overwriting" in capsys.readouterr().err


def test_graph_highlights_history_and_marks_endings(flagship: loader.LoadedScenario) -> None:
    mermaid = to_mermaid(flagship, "pakistan")
    assert mermaid.startswith("flowchart TD")
    assert "linkStyle" in mermaid and "class n" in mermaid
    assert '(["End: Managed de-escalation"])' in mermaid
    assert "ir_strike" not in mermaid and "Jaish al-Adl across" not in mermaid
    dot = to_dot(flagship)
    rounds, match = dot.split("subgraph cluster_match")
    assert rounds.count("penwidth=3") == 9  # every historical choice of both roles
    # the match: the opening, the five turns both seats playing history pass, and the six
    # edges between them and to the managed de-escalation
    assert match.count("penwidth=3") == 1 + 5 + 6
    assert dot.count("doublecircle") == 5


@pytest.mark.parametrize(
    "hostile",
    [
        'x"] --> evil["owned',
        'click n0 href "javascript:alert(1)"',
        "a\nb; style n0 fill:red",
        "<b>x</b> #quot; ]]>",
        "`code` |pipe| {brace} (paren)",
    ],
)
def test_graph_labels_cannot_inject_syntax(hostile: str) -> None:
    label = re.sub(r"#\w+;", "", mermaid_text(hostile))  # Mermaid's own entity codes
    assert not set(label) & set('"<>[]{}()|`;\n\\')
    assert "\n" not in dot_text(hostile)
    assert re.fullmatch(r'(?:[^"\\]|\\.)*', dot_text(hostile))
    wrapped = re.sub(r"#\w+;", "", mermaid_label(hostile * 3)).replace("<br/>", "")
    assert not set(wrapped) & set('"<>[]{}()|`;\n\\')  # only our own line breaks
    assert re.fullmatch(r'(?:[^"\\]|\\.)*', dot_label(hostile * 3))


def test_graph_labels_are_whole_and_say_what_is_invented_and_conditional(
    flagship: loader.LoadedScenario,
) -> None:
    dot = to_dot(flagship, "pakistan")
    unwrapped = dot.replace("\\n", " ")
    assert "Strike further hideouts before the fighters can move, and announce that the" in (
        unwrapped
    )  # the whole label, no longer cut at 60 characters
    assert "After the strike (not historical)" in unwrapped
    assert "[if tension >= 90]" in unwrapped and "[otherwise]" in unwrapped
    assert "End: Escalation spiral (not historical)" in unwrapped


def test_graph_svg_uses_graphviz_or_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert cli("graph", str(FLAGSHIP), "--format", "svg") == 1
    assert "apt install graphviz" in capsys.readouterr().err
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\ncat > /dev/null\necho '<svg>drawn</svg>'\n")
    fake.chmod(0o755)
    assert cli("graph", str(FLAGSHIP), "--format", "svg") == 0
    assert capsys.readouterr().out.strip() == "<svg>drawn</svg>"


def test_graph_command_writes_each_format(tmp_path: Path) -> None:
    for fmt, start in (("mermaid", "flowchart TD"), ("dot", "digraph")):
        output = tmp_path / f"graph.{fmt}"
        assert cli("graph", str(FLAGSHIP), "--format", fmt, "-o", str(output)) == 0
        assert output.read_text().startswith(start)
    assert cli("graph", str(FLAGSHIP), "--role", "nobody") == 1


def test_explore_the_flagship(flagship: loader.LoadedScenario) -> None:
    report = explore(flagship)
    by_role = {r.role: r for r in report.roles}
    assert set(by_role) == {"pakistan", "iran"}
    for role in by_role.values():
        assert role.unreachable_endings == []
        assert role.historical_ending == "managed_deescalation"
        assert role.nearest_endings[0] == ("managed_deescalation", 0)
        assert sum(role.paths_by_ending.values()) == role.paths
    assert by_role["pakistan"].historical_points == [
        "pk_response",
        "pk_military",
        "pk_deescalate",
        "pk_visit",
    ]
    assert (by_role["pakistan"].shortest, by_role["pakistan"].longest) == (3, 5)
    assert report.never_chosen == [] and report.never_taken == [] and report.never_fired == []


def test_explore_counts_paths_exactly_on_a_small_graph(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(generate(points=9, width=2, choices=2))
    loaded = loader.load(path)
    report = explore(loaded).roles[0]
    lengths = list(walk_every_path(loaded, loaded.scenario.roles[0].start, 0))
    assert report.paths == len(lengths) == 60
    assert (report.shortest, report.longest) == (min(lengths), max(lengths))


def walk_every_path(loaded: loader.LoadedScenario, node: str, depth: int) -> Iterator[int]:
    """Enumerate every (choice, destination) path by brute force: only for small graphs."""
    point = loaded.scenario.point_by_id.get(node)
    if point is None:
        yield depth
        return
    for choice in point.choices:
        targets = (
            [choice.next] if choice.next else list(dict.fromkeys(b.next for b in choice.branches))
        )
        for target in targets:
            yield from walk_every_path(loaded, target, depth + 1)


def test_explore_reports_unreachable_endings_and_impossible_conditions() -> None:
    unreachable = explore(loader.load(BROKEN / "unreachable_ending.yaml"))
    assert unreachable.roles[0].unreachable_endings == ["lost_end"]
    impossible = explore(loader.load(BROKEN / "impossible_condition.yaml"))
    assert impossible.never_taken == [("n1", "press", "clash_end")]
    assert impossible.roles[0].paths_by_ending == {"calm_end": 2}


def test_explore_refuses_a_dead_end_with_its_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("explore", str(BROKEN / "dead_end_branch.yaml")) == 1
    assert "dead_end_branch.yaml:45:20: error: the last branch must leave out 'when'" in (
        capsys.readouterr().err
    )


def test_a_thousand_point_scenario_explores_exactly_and_fast(tmp_path: Path) -> None:
    path = tmp_path / "layered.yaml"
    path.write_text(generate(points=1000, width=4, choices=3))
    loaded = loader.load(path)
    started = time.perf_counter()
    report = explore(loaded).roles[0]
    elapsed = time.perf_counter() - started
    assert report.paths > 10**100
    assert report.paths == expected_layered_paths(loaded)
    assert elapsed < 30  # generous: a failure here means the explorer enumerates paths


def expected_layered_paths(loaded: loader.LoadedScenario) -> int:
    """Paths counted backwards from the endings, independently of the explorer."""
    scenario = loaded.scenario
    count = {e.id: 1 for e in scenario.endings}
    for point in reversed(scenario.points):
        total = 0
        for choice in point.choices:
            targets = {choice.next} if choice.next else {b.next for b in choice.branches}
            total += sum(count[t] for t in targets)
        count[point.id] = total
    return count[scenario.roles[0].start]


def test_explore_command_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("explore", str(FLAGSHIP)) == 0
    out = capsys.readouterr().out
    assert "Distinct paths: 270" in out and "Historical path: pk_response" in out
    assert cli("explore", str(FLAGSHIP), "--format", "md", "-o", str(tmp_path / "x.md")) == 0


def test_random_rounds_are_seeded_and_counted(flagship: loader.LoadedScenario) -> None:
    first = random_rounds(flagship, 40, seed=5)
    second = random_rounds(flagship, 40, seed=5)
    assert first.endings == second.endings and first.choices == second.choices
    assert sum(first.endings.values()) == 40
    assert set(first.endings) <= {e.id for e in flagship.scenario.endings}
    for name, (low, high) in first.ranges.items():
        indicator = flagship.scenario.indicator_by_id[name]
        assert indicator.min <= low <= high <= indicator.max


def test_random_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("explore", str(FLAGSHIP), "--random", "30", "--seed", "2") == 0
    out = capsys.readouterr().out
    assert "Rounds: 30 (seed 2)" in out and "Indicator ranges seen" in out


def test_flagship_ships_history_and_escalation_plans_per_role() -> None:
    names = sorted(p.name for p in plans_for(FLAGSHIP))
    assert names == sorted(
        [
            f"iran-pakistan-2024.{role}-{kind}.plan.yaml"
            for role in ("iran", "pakistan")
            for kind in ("escalation", "history")
        ]
        + ["iran-pakistan-2024.pakistan-early-strike.plan.yaml"]
        + [
            f"iran-pakistan-2024.match-{kind}.plan.yaml"
            for kind in ("history", "spiral", "cooperation", "silent")
        ]
    )
    assert cli("test", str(FLAGSHIP)) == 0


def test_an_immediate_strike_has_more_than_one_answer(flagship: loader.LoadedScenario) -> None:
    """Striking at once does not fix Iran's reply: what Pakistan does next decides it."""
    fired: dict[str, str] = {}
    for then in ("explain_and_call", "alert_and_wait", "strike_again"):
        session = Session.start(flagship, "pakistan")
        session.choose("strike_today")
        assert session.node == "pk_strike_aftermath"
        session.choose(then)
        fired[then] = session.node
    assert fired == {
        "explain_and_call": "pk_deescalate",
        "alert_and_wait": "pk_escalation",
        "strike_again": "pk_escalation",
    }


def test_a_failing_plan_reports_each_differing_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "wrong.plan.yaml"
    plan.write_text(
        (ROOT / "scenarios" / "iran-pakistan-2024.pakistan-history.plan.yaml")
        .read_text()
        .replace("tension: 55, pressure: 60", "tension: 54, pressure: 60")
        .replace("events: [iran_demands_explanation]", "events: []")
        .replace("ending: managed_deescalation", "ending: escalation_spiral")
    )
    assert cli("test", str(FLAGSHIP), str(plan)) == 1
    out = capsys.readouterr().out
    assert "wrong.plan.yaml:9:17: error: step 1: expected tension = 54, but it is 55" in out
    assert "step 3: expected events [] on arrival, but ['iran_demands_explanation'] fired" in out
    assert (
        "end: expected ending 'escalation_spiral', but the round ended at "
        "'managed_deescalation'" in out
    )
    assert "0 passed, 1 failed" in out


def test_a_broken_plan_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "broken.plan.yaml"
    plan.write_text("plan: 1\ntitle: t\nrole: pakistan\nsteps:\n  - chose: x\nend: {ending: y}\n")
    assert cli("test", str(FLAGSHIP), str(plan)) == 1
    out = capsys.readouterr().out
    assert (
        "broken.plan.yaml:5:5: error: unknown key 'chose' in PlanStep (did you mean "
        "'choose'?)" in out
    )


def test_no_plans_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "solo.yaml"
    assert cli("new", str(scenario)) == 0
    (tmp_path / "solo.example.plan.yaml").unlink()
    assert cli("test", str(scenario)) == 1
    assert "no test plans found; write solo.NAME.plan.yaml" in capsys.readouterr().out


def test_huge_path_counts_are_written_from_logarithms() -> None:
    """5^6300 has 4,404 digits: past Python's limit for str() of an int, and still printed."""
    from game.reports.explore_report import big

    assert big(5**6300) == "3.244 × 10^4403 (4404 digits)"
    assert big(999_999_999_999_999) == "999,999,999,999,999"
    assert big(10**15) == "1.000 × 10^15 (16 digits)"


def test_explore_reports_a_wording_no_round_can_show() -> None:
    from tests.conftest import run_flashpoint

    broken = Path(__file__).parent / "data" / "broken" / "variant_never_shown.yaml"
    done = run_flashpoint("explore", str(broken))
    assert done.returncode == 0, done.stderr
    assert "wording of escort when 'tension > 100': no round can show it" in done.stdout
    flagship = run_flashpoint("explore", "scenarios/iran-pakistan-2024.yaml")
    assert "no round can show it" not in flagship.stdout  # both flagship wordings can appear


def test_validate_json_lists_every_problem_for_editors(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import jsonschema

    broken = sorted((ROOT / "tests" / "data" / "broken").glob("*.yaml"))
    assert cli("validate", "--format", "json", *map(str, broken)) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, json.loads((ROOT / "docs" / "validate.schema.json").read_text()))
    assert len(report["files"]) == len(broken)
    assert all(f["status"] == "failed" or f["warnings"] for f in report["files"])
    by_code = {p["code"] for p in report["problems"]}
    assert {"the-quote-is-not-in-source", "unknown-point-or-ending"} <= by_code
    assert cli("validate", "--format", "json", str(FLAGSHIP)) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []


def test_validate_watch_runs_again_when_the_file_changes(tmp_path: Path) -> None:
    import os
    import select
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "s"
    shutil.copytree(ROOT / "docs" / "examples" / "grey-strait", folder)
    scenario = folder / "grey-strait.yaml"
    process = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "validate", "--watch", str(scenario)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    pending = [b""]

    def line() -> str:
        """The next line of output, failing after 20 s rather than hanging."""
        assert process.stdout is not None
        while b"\n" not in pending[0]:
            ready, _, _ = select.select([process.stdout], [], [], 20)
            assert ready, "validate --watch printed nothing"
            pending[0] += os.read(process.stdout.fileno(), 4096)
        first, pending[0] = pending[0].split(b"\n", 1)
        return first.decode()

    try:
        assert "ok (0 error(s)" in line()
        assert line().startswith("watching for changes")
        scenario.write_text(
            scenario.read_text().replace("next: north_talks", "next: north_talk", 1)
        )
        seen = [line() for _ in range(3)]
        assert any("a file changed; validating again" in line for line in seen)
        assert any("unknown point or ending 'north_talk'" in line for line in seen)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_played_round_recorded_as_a_plan_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    plan = tmp_path / "mine.plan.yaml"
    monkeypatch.setattr("sys.stdin", io.StringIO("4\n\n3\n\n2\n\n"))  # strike now, again, back
    home = ["--data-dir", str(tmp_path / "home")]
    argv = [*home, "play", str(FLAGSHIP), "--role", "pakistan", "--plain"]
    assert cli(*argv, "--record-plan", str(plan)) == 0
    text = plan.read_text()
    assert "choose: strike_today" in text and "ending: escalation_spiral" in text
    assert "events: [iran_vows_answer]" in text
    capsys.readouterr()
    assert cli("test", str(FLAGSHIP), str(plan)) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_an_unfinished_round_writes_no_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    plan = tmp_path / "mine.plan.yaml"
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n\n"))
    argv = ["--data-dir", str(tmp_path / "home"), "play", str(FLAGSHIP), "--role", "iran"]
    assert cli(*argv, "--plain", "--record-plan", str(plan)) == 1
    assert "did not reach an ending" in capsys.readouterr().err
    assert not plan.exists()


def test_explore_path_shows_each_step(capsys: pytest.CaptureFixture[str]) -> None:
    path = "recall_and_bar,targeted_strikes,open_channels,host_visit"
    assert cli("explore", str(FLAGSHIP), "--path", path) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Role: Pakistan's caretaker government" in out
    assert "1. pk_response — tension 55, pressure 60, standing 50, civilian_harm 10" in out
    assert "events on arrival: iran_strikes_balochistan → choose recall_and_bar" in out
    assert "Ending: Managed de-escalation (distance 0)" in out
    assert cli("explore", str(FLAGSHIP), "--path", "recall_and_bar,bogus") == 1
    assert "choice 2: 'bogus' is not a choice at 'pk_military'" in capsys.readouterr().err


def test_a_test_round_starts_anywhere_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    home = tmp_path / "home"
    monkeypatch.setattr("sys.stdin", io.StringIO("3\n\n"))  # warn again at tension 85
    argv = ["--data-dir", str(home), "play", str(FLAGSHIP), "--plain"]
    assert cli(*argv, "--from", "pk_deescalate", "--set", "tension=85") == 0
    out = capsys.readouterr().out
    assert "Test round from 'pk_deescalate': nothing is saved or recorded." in out
    assert "Iran strikes back" in out  # 85 + 20 >= 90: the escalation branch
    assert list((home / "results").glob("*")) == [] and list((home / "saves").glob("*")) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "pk_deescalat"], "did you mean 'pk_deescalate'?"),
        (["--from", "pk_visit", "--set", "tensoin=5"], "did you mean 'tension'?"),
        (["--from", "pk_visit", "--set", "tension=500"], "tension runs from 0 to 100"),
        (["--from", "pk_visit", "--set", "rung=calm"], "no rung 'calm'"),
        (["--from", "pk_visit", "--set", "tension"], "write NAME=VALUE"),
    ],
)
def test_a_test_round_names_what_is_wrong(
    tmp_path: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--data-dir", str(tmp_path), "play", str(FLAGSHIP), "--plain"]
    assert cli(*base, *argv) == 1
    assert message in capsys.readouterr().err
