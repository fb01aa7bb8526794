"""The command line: exit codes, messages without tracebacks, schema, plain play."""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.cli import _parser, main
from game.commands.arguments import COMMANDS
from tests.conftest import DATA, FLAGSHIP, MINI, ROOT, run_flashpoint


def run(*args: str, stdin: str = "", home: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_flashpoint(*args, home=home, stdin=stdin)


def test_validate_clean_scenarios_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FLAGSHIP), str(MINI)]) == 0
    out = capsys.readouterr().out
    assert f"{FLAGSHIP}: ok (0 error(s), 0 warning(s))" in out


def test_validate_folder_with_errors_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "broken")]) == 1
    out = capsys.readouterr().out
    assert "anchor.yaml:3:8: error: anchors ('&title') are not allowed" in out
    assert "Traceback" not in out


def test_validate_strict_fails_on_warnings() -> None:
    assert main(["validate", str(DATA / "broken" / "unused_source.yaml")]) == 0
    assert main(["validate", "--strict", str(DATA / "broken" / "unused_source.yaml")]) == 1


def test_missing_path_and_usage_errors() -> None:
    missing = run("validate", "no/such/file.yaml")
    assert missing.returncode == 1
    assert "no/such/file.yaml: error: no such file or folder" in missing.stderr
    usage = run("validate")
    assert usage.returncode == 2
    assert "usage:" in usage.stderr
    assert "Traceback" not in missing.stderr + usage.stderr


def test_every_broken_file_fails_cleanly_in_a_subprocess() -> None:
    result = run("validate", str(DATA / "broken"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_schema_is_valid_and_accepts_the_bundled_scenarios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in (FLAGSHIP, MINI):
        document = yaml.safe_load(path.read_text())
        document = json.loads(json.dumps(document, default=str))
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], path


def test_schema_rejects_what_the_loader_rejects(capsys: pytest.CaptureFixture[str]) -> None:
    main(["schema"])
    validator = jsonschema.Draft202012Validator(json.loads(capsys.readouterr().out))
    document = json.loads(json.dumps(yaml.safe_load(MINI.read_text()), default=str))
    document["points"][0]["choices"][0]["efects"] = {}
    document["roles"][0]["id"] = "Not An Id"
    messages = " ".join(e.message for e in validator.iter_errors(document))
    assert "'efects' was unexpected" in messages
    assert "does not match" in messages


def test_committed_schema_file_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    main(["schema"])
    committed = (ROOT / "docs" / "scenario.schema.json").read_text()
    assert json.loads(committed) == json.loads(capsys.readouterr().out), (
        "regenerate with: flashpoint schema > docs/scenario.schema.json"
    )


def test_plain_play_of_the_mini_scenario(tmp_path: Path) -> None:
    result = run(
        "play",
        str(MINI),
        "--plain",
        "--role",
        "north",
        "--name",
        "Ada",
        stdin="1 protect the ships\ny\n1\n\n",
        home=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Calm — the historical outcome" in result.stdout
    assert "What actually happened: The fleet escorted merchant ships." in result.stdout
    results = list((tmp_path / "results").glob("*.json"))
    assert len(results) == 1
    record = json.loads(results[0].read_text())
    assert record["player"] == "Ada"
    assert record["entries"][0]["rationale"] == "protect the ships"
    assert list((tmp_path / "saves").glob("*.json")) == []


def test_plain_play_saves_when_input_ends_and_continues(tmp_path: Path) -> None:
    first = run("play", str(MINI), "--plain", "--role", "north", stdin="1\n\n", home=tmp_path)
    assert first.returncode == 0
    assert "Continue it with --continue" in first.stdout
    assert len(list((tmp_path / "saves").glob("*.json"))) == 1
    second = run("play", str(MINI), "--plain", "--continue", stdin="2\n\n", home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Continuing your round after 1 decision(s)" in second.stdout
    assert "Clash — not historical; 7 on a scale from 0 (what happened) to 10" in second.stdout


def test_plain_play_rejects_bad_input_and_explains(tmp_path: Path) -> None:
    result = run(
        "play",
        str(MINI),
        "--plain",
        "--role",
        "north",
        stdin="9\nhello\n?\ns\n2\n\n",
        home=tmp_path,
    )
    assert result.returncode == 0
    assert result.stdout.count("Please type a number from 1 to 2") == 2
    assert "Sources published before 2 March 2031" in result.stdout
    assert "Fleet enters strait" in result.stdout
    assert (
        "Boats damaged"
        not in result.stdout.split("Sources published before")[1].split("Your decision")[0]
    )


def test_plain_play_by_bundled_id(tmp_path: Path) -> None:
    result = run("play", "iran_pakistan_2024", "--plain", "--role", "iran", stdin="", home=tmp_path)
    assert result.returncode == 0
    assert "Iran's government" in result.stdout


def test_play_unknown_scenario_and_role(tmp_path: Path) -> None:
    unknown = run("play", "atlantis", "--plain", home=tmp_path)
    assert unknown.returncode == 1
    assert "no scenario file or bundled scenario called 'atlantis'" in unknown.stderr
    role = run("play", str(MINI), "--plain", "--role", "east", home=tmp_path)
    assert role.returncode == 1
    assert "'east' is not a role of strait; choose one of: north, south" in role.stderr


def test_validate_a_shell_glob_that_includes_test_plans(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    assert any(f.endswith(".plan.yaml") for f in files)
    assert main(["validate", *files]) == 0
    assert "history.plan.yaml: test plan ok" in capsys.readouterr().out
    broken = tmp_path / "x.broken.plan.yaml"
    broken.write_text("plan: 1\ntitle: t\nrole: r\nsteps: []\nend: {endign: e}\n")
    assert main(["validate", str(broken)]) == 1
    assert "unknown key 'endign' in PlanEnd" in capsys.readouterr().out


def test_a_file_or_folder_opens_the_title_screen_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from game import cli

    seen: dict[str, object] = {}

    def fake_play(args: object) -> int:
        seen["offer"] = [str(p) for p in args.offer]  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr("game.commands.play.play", fake_play)
    folder = ROOT / "docs" / "examples" / "grey-strait"
    assert cli.main([str(folder)]) == 0
    assert seen["offer"] == [str(folder / "grey-strait.yaml")]
    assert cli.main(["--data-dir", "/tmp/x", str(folder / "grey-strait.yaml")]) == 0
    assert seen["offer"] == [str(folder / "grey-strait.yaml")]


def test_the_schema_refuses_a_date_written_another_way() -> None:
    import json

    import jsonschema

    schema = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    date = next(
        prop
        for definition in schema["$defs"].values()
        for name, prop in definition.get("properties", {}).items()
        if name == "published"
    )
    jsonschema.validate("2019-02-27", date)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("27/02/2019", date)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_explains_its_own_arguments(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the running command's arguments are declared: each one's help still has them."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: flashpoint {command}")
    parser = _parser(None)
    full = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in full.choices[command]._actions:
        for option in action.option_strings:
            assert option in out, (command, option)


def test_the_overall_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(f"    {name} " in out for name in COMMANDS)


def test_a_wrong_command_is_named_with_the_right_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["valdate", str(MINI)])
    assert exit_.value.code == 2
    assert "invalid choice: 'valdate'" in capsys.readouterr().err


def test_the_data_folder_option_comes_before_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "validate", str(MINI)]) == 0
    folder = tmp_path / "validate"  # a folder named like a command is still the data folder
    assert main(["--data-dir", str(folder), "results"]) == 0
    assert f"0 result(s) in {folder / 'results'}" in capsys.readouterr().out
