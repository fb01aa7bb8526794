"""A class report loads only what it uses: the debrief and the match report (a round replayed
in full) cost a 10,000-record report about 3% of its time to import, and it uses neither
(docs/performance.md, the class report against its floor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_import_hygiene import SAMPLE, command_modules

UNUSED = {"game.engine.classroom.debrief", "game.reports.match_report"}


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv", "json", "gradebook"])
def test_the_class_report_does_not_load_the_debrief(fmt: str, tmp_path: Path) -> None:
    argv = ["class", SAMPLE, "--format", fmt, "-o", str(tmp_path / f"class.{fmt}")]
    modules = set(command_modules(argv, tmp_path))
    assert "game.engine.classroom.class_report" in modules  # (the report ran)
    assert not UNUSED & modules, sorted(UNUSED & modules)
