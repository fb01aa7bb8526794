"""A class report loads only what it uses: the debrief and the match report (a round replayed
in full) cost a 10,000-record report about 3% of its time to import, and it uses neither
(docs/performance.md, the class report against its floor)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

MODULES = (
    "import sys, json; from game.cli import main; sys.stdout = open('/dev/null', 'w'); "
    "code = main({argv!r}); sys.stdout = sys.__stdout__; "
    "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('game.'))]))"
)
UNUSED = {"game.engine.classroom.debrief", "game.reports.match_report"}


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv", "json", "gradebook"])
def test_the_class_report_does_not_load_the_debrief(fmt: str, tmp_path: Path) -> None:
    argv = ["--data-dir", str(tmp_path), "class", "docs/examples/sample-results"]
    argv += ["--format", fmt, "-o", str(tmp_path / f"class.{fmt}")]
    result = subprocess.run(
        [sys.executable, "-c", MODULES.format(argv=argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    code, modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert code == 0, result.stderr
    assert "game.engine.classroom.class_report" in modules  # (the report ran)
    assert not UNUSED & set(modules), sorted(UNUSED & set(modules))
