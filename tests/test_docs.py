"""The documentation cannot drift from the code."""

from __future__ import annotations

import re

from game.engine.schema import field_reference
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


def test_readme_names_exactly_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    play = [b for b in blocks if "flashpoint" in b and "pytest" not in b]
    tests = [b for b in blocks if "pytest" in b]
    assert play and tests
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = tests[0].strip().splitlines()[-1]
    assert test_command.split("&&")[-1].strip().split(" ")[-1] in ci
