"""include: a scenario's lists kept in their own files, with problems located in them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from game.engine.checks import loader
from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "grey-strait"


def split_out(folder: Path, key: str, into: str) -> None:
    """Move the top-level list ``key`` of the example into its own file, included."""
    main = folder / "grey-strait.yaml"
    text = main.read_text()
    block = re.search(rf"(?ms)^{key}:\n.*?(?=^[a-z_]+:)", text)
    assert block is not None
    (folder / into).write_text(block[0])
    text = text.replace(block[0], "")
    if "include:" not in text:
        text = text.replace("\nphases:", f"\ninclude: [{into}]\nphases:", 1)
    else:
        text = text.replace("include: [", f"include: [{into}, ", 1)
    main.write_text(text)


@pytest.fixture
def parts(tmp_path: Path) -> Path:
    folder = tmp_path / "grey"
    shutil.copytree(EXAMPLE, folder)
    split_out(folder, "sources", "sources.yaml")
    split_out(folder, "contested", "contested.yaml")
    return folder


def test_included_lists_join_the_scenario(parts: Path) -> None:
    whole = loader.load(EXAMPLE / "grey-strait.yaml").scenario
    split = loader.load(parts / "grey-strait.yaml")
    assert [s.id for s in split.scenario.sources] == [s.id for s in whole.sources]
    assert [c.id for c in split.scenario.contested] == [c.id for c in whole.contested]
    assert split.scenario.include == ("contested.yaml", "sources.yaml")
    changed = (parts / "contested.yaml").read_text().replace("claim:", "claim: Changed,", 1)
    (parts / "contested.yaml").write_text(changed)
    assert loader.load(parts / "grey-strait.yaml").sha256 != split.sha256  # parts count


def test_problems_in_an_included_file_name_it(parts: Path) -> None:
    sources = parts / "sources.yaml"
    lines = sources.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if "publisher:" in line)
    lines[number] = lines[number].replace("publisher:", "publsher:")
    sources.write_text("\n".join(lines) + "\n")
    _, problems = loader.check(parts / "grey-strait.yaml")
    found = [p for p in problems.errors if "publsher" in p.message]
    assert found and found[0].file == str(sources) and found[0].mark.line == number + 1
    assert str(found[0]).startswith(f"{sources}:{number + 1}:")


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ("[../elsewhere.yaml]", "'..' would leave the scenario's folder"),
        ("[missing.yaml]", "missing.yaml"),
        ("[title.yaml]", "'title' cannot come from an included file"),
    ],
)
def test_included_files_are_checked(parts: Path, include: str, message: str) -> None:
    (parts / "title.yaml").write_text("title: Another\n")
    main = parts / "grey-strait.yaml"
    main.write_text(re.sub(r"include: \[[^\]]*\]", f"include: {include}", main.read_text()))
    loaded, problems = loader.check(main)
    assert loaded is None
    assert message in "\n".join(str(p) for p in problems)


def test_an_included_link_or_an_oversized_whole_is_refused(parts: Path) -> None:
    main = parts / "grey-strait.yaml"
    secret = parts.parent / "elsewhere.yaml"
    secret.write_text("notes: []\n")
    (parts / "linked.yaml").symlink_to(secret)
    main.write_text(re.sub(r"include: \[[^\]]*\]", "include: [linked.yaml]", main.read_text()))
    _, problems = loader.check(main)
    assert "'linked.yaml' is a link" in "\n".join(str(p) for p in problems)
    big = "\n".join(f"  - wordy line {n} " + "x" * 200 for n in range(5000))
    for number in range(3):
        (parts / f"big{number}.yaml").write_text(f"discussion:\n{big}\n")
    listed = ", ".join(f"big{n}.yaml" for n in range(3))
    main.write_text(re.sub(r"include: \[[^\]]*\]", f"include: [{listed}]", main.read_text()))
    _, problems = loader.check(main)
    assert "over 2,097,152 bytes" in "\n".join(str(p) for p in problems)
