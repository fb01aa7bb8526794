"""The documentation cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from game.engine.scenario.schema import field_reference
from tests.conftest import ROOT

FORMAT_DOC = ROOT / "docs" / "scenario-format.md"


def test_field_reference_is_current() -> None:
    text = FORMAT_DOC.read_text()
    found = re.search(
        r"<!-- field-reference:start -->\n\n(.*)\n<!-- field-reference:end -->", text, re.S
    )
    assert found, "markers missing from docs/scenario-format.md"
    assert found[1] == field_reference(), (
        "regenerate the field reference with: flashpoint schema --format markdown"
    )


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = [b.strip() for b in re.findall(r"```sh\n(.*?)```", readme, re.S)]
    tests = [b for b in blocks if "pytest" in b]
    assert len(tests) == 1 and "\n" not in tests[0], "the README gives one test command"
    assert any(b.startswith("python3 -m venv .venv &&") and "flashpoint" in b for b in blocks)
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines() if line.strip() and line[0] != "#"]
    assert [line for line in lines if "pytest" in line] == tests, ".ci/run runs another command"
    assert lines[-1] == tests[0]  # the last thing it does, with nothing changing its options
    assert "PYTEST" not in ci.upper().replace(tests[0].upper(), "")


def test_development_md_gives_the_fast_command_and_every_mark() -> None:
    text = (ROOT / "docs" / "development.md").read_text()
    assert 'python -m pytest -m "not process and not slow"' in text
    pyproject = (ROOT / "pyproject.toml").read_text()
    marks = re.findall(r'^    "(\w+): ', pyproject, re.M)
    assert marks == ["process", "ui", "browser", "slow"]
    assert all(f"`{mark}`" in text for mark in marks)


TUTORIAL = ROOT / "docs" / "authoring.md"
TUTORIAL_SCENARIO = ROOT / "docs" / "examples" / "grey-strait" / "grey-strait.yaml"


def test_tutorial_snippets_are_in_the_finished_scenario() -> None:
    blocks = re.findall(r"```yaml\n# from grey-strait.yaml\n(.*?)```", TUTORIAL.read_text(), re.S)
    assert len(blocks) >= 5
    final = TUTORIAL_SCENARIO.read_text()
    for block in blocks:
        assert block in final, f"tutorial snippet no longer in the scenario:\n{block}"


def test_tutorial_plan_is_the_committed_plan() -> None:
    plan = re.search(r"```yaml\n(plan: 1\n.*?)```", TUTORIAL.read_text(), re.S)
    assert plan is not None
    committed = (TUTORIAL_SCENARIO.parent / "grey-strait.history.plan.yaml").read_text()
    assert plan[1] in committed


def test_tutorial_scenario_validates_and_its_plans_pass() -> None:
    from game.cli import main
    from game.engine.checks import loader

    loaded, problems = loader.check(TUTORIAL_SCENARIO)
    assert loaded is not None and list(problems) == []
    assert len([p for p in loaded.scenario.points if p.role == "north"]) == 3
    assert main(["test", str(TUTORIAL_SCENARIO)]) == 0


def test_common_mistakes_say_what_the_validator_says() -> None:
    from game.engine.checks import loader

    section = TUTORIAL.read_text().split("### Common mistakes", 1)[1].split("\n## ", 1)[0]
    pairs = re.findall(
        r"[Ss]ays\s+`([^`]+)`\s+\(example:\s+`tests/data/broken/([\w]+)\.yaml`", section
    )
    assert len(pairs) >= 10
    for message, name in pairs:
        _, problems = loader.check(ROOT / "tests" / "data" / "broken" / f"{name}.yaml")
        shown = "\n".join(str(p) for p in problems)
        assert message in shown, f"{name}: the docs say {message!r}; the validator says {shown}"


def test_the_editor_problem_matcher_reads_the_validators_lines() -> None:
    import json

    from game.engine.checks import loader

    block = re.search(r"```json\n(\{\n  \"version\": \"2.0.0\".*?)```", TUTORIAL.read_text(), re.S)
    assert block is not None
    pattern = json.loads(block[1])["tasks"][0]["problemMatcher"]["pattern"]
    _, problems = loader.check(ROOT / "tests" / "data" / "broken" / "quote_not_verbatim.yaml")
    found = re.match(pattern["regexp"], str(problems.errors[0]))
    assert found is not None
    assert found[pattern["line"]] == "50" and found[pattern["severity"]] == "error"


def test_the_tutorials_commands_run(tmp_path: Path) -> None:
    """Every 'flashpoint' command of the tutorial that reads the example scenario works."""
    import io
    import shlex
    import sys
    from contextlib import redirect_stderr, redirect_stdout

    from game.cli import main

    folder = TUTORIAL_SCENARIO.parent
    commands = re.findall(
        r"^(flashpoint (?:explore|play|graph|validate|test) [^\n#|>]+)", TUTORIAL.read_text(), re.M
    )
    assert len(commands) >= 6
    for command in commands:
        words = shlex.split(command)[1:]
        words = [str(folder / w) if w.endswith(".yaml") and "plan" not in w else w for w in words]
        words = [str(tmp_path / w) if w.endswith(".plan.yaml") else w for w in words]
        if words[0] == "play":
            words = ["--data-dir", str(tmp_path / "home"), *words]
            if "--plain" not in words:
                continue  # the full-screen game is tested through Pilot
        sys.stdin = io.StringIO("1\n\n" * 6)
        try:
            with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
                code = main(words)
        finally:
            sys.stdin = sys.__stdin__
        assert code == 0, f"{command}: {err.getvalue()}"


def test_tutorial_match_plan_is_the_committed_match_plan() -> None:
    chapter = TUTORIAL.read_text().split("## 11. Add a head-to-head match", 1)[1]
    plan = re.search(r"```yaml\n(plan: 1\n.*?)```", chapter, re.S)
    assert plan is not None
    committed = TUTORIAL_SCENARIO.parent / "grey-strait.match-history.plan.yaml"
    assert plan[1] in committed.read_text()
