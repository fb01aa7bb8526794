"""One broken scenario per rejection: each file's first line says what must be reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.engine.base.problems import Severity
from game.engine.checks import loader

BROKEN = Path(__file__).resolve().parent / "data" / "broken"
EXPECT = re.compile(r"# expect: (error|warning) at line (\d+): (.+)")
CASES = sorted(p for p in BROKEN.glob("*.yaml") if p.name != "empty.yaml")


def expectation(path: Path) -> tuple[Severity, int, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    found = EXPECT.fullmatch(first)
    assert found, f"{path.name} must start with '# expect: error at line N: message'"
    return Severity(found[1]), int(found[2]), found[3]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_broken_file_reports_the_problem_where_it_is(path: Path) -> None:
    severity, line, message = expectation(path)
    loaded, problems = loader.check(path)
    matching = [
        p for p in problems if p.severity is severity and p.mark.line == line and message in str(p)
    ]
    assert matching, f"expected {severity.value} at line {line}: {message!r}; got:\n" + "\n".join(
        str(p) for p in problems
    )
    assert str(matching[0]).startswith(f"{path}:{line}:")
    if severity is Severity.ERROR:
        assert loaded is None
    else:
        assert loaded is not None and not problems.errors


def test_empty_file_is_reported() -> None:
    loaded, problems = loader.check(BROKEN / "empty.yaml")
    assert loaded is None
    assert [str(p) for p in problems] == [
        f"{BROKEN / 'empty.yaml'}: error: the file is empty (start from 'flashpoint new PATH')"
    ]


def test_every_problem_in_a_file_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = (BROKEN / "unknown_key.yaml").read_text()
    text = text.replace("phase: standoff", "phase: standof").replace("role: north\n", "role: 7\n")
    path = tmp_path / "many.yaml"
    path.write_text(text)
    _, problems = loader.check(path)
    messages = " | ".join(str(p) for p in problems.errors)
    assert "unknown key 'efects'" in messages
    assert "'7' is read as a whole number" in messages


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.engine.scenario import safeyaml

    monkeypatch.setattr(safeyaml, "MAX_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * 2000)
    _, problems = loader.check(path)
    assert "over the 1,000-byte limit" in str(problems.errors[0])


def test_hundred_thousand_nested_brackets_are_refused_without_crashing(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("title: " + "[" * 100_000 + "]" * 100_000)
    _, problems = loader.check(path)
    assert "nesting is deeper than" in str(problems.errors[0])


def test_deep_block_mappings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep_block.yaml"
    path.write_text(
        "".join("  " * depth + f"k{depth}:\n" for depth in range(1200)) + "  " * 1200 + "v\n"
    )
    _, problems = loader.check(path)
    assert "nesting is deeper than" in str(problems.errors[0])
    assert problems.errors[0].mark.line == 25


def test_causes_come_first_and_consequences_are_marked() -> None:
    """A misspelt history.choice makes every real choice look invented: the misspelling is
    reported first, with its fix; what follows from it comes after, marked as such."""
    _, problems = loader.check(BROKEN / "misspelt_history_choice.yaml")
    shown = [str(p) for p in problems]
    assert "did you mean 'escort'?" in shown[0]
    assert "choice 'escort' did not happen" in shown[1]
    assert shown[1].endswith("[may follow from a problem above]")
    assert not shown[0].endswith("[may follow from a problem above]")


@pytest.mark.parametrize("loader_name", ["CSafeLoader", "SafeLoader"])
def test_deep_nesting_is_refused_in_our_words_whichever_parser_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader_name: str
) -> None:
    """libyaml 0.2.6 refuses 1,000 levels itself, 0.2.5 and the pure parser do not: either way
    the refusal is the project's own, at the bracket that passes the limit."""
    import yaml

    from game.engine.scenario import safeyaml

    if not hasattr(yaml, loader_name):
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(safeyaml, "_Loader", getattr(yaml, loader_name))
    path = tmp_path / "deep.yaml"
    path.write_text("title: " + "[" * 5_000 + "]" * 5_000)
    _, problems = loader.check(path)
    assert [str(p) for p in problems.errors] == [
        f"{path}:1:31: error: nesting is deeper than 24 levels"
        " (a scenario never needs this much nesting; flatten the structure)"
    ]
