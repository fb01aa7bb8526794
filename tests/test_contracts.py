"""The architecture's contracts, checked by the suite: types, layers, module size."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 420
"""Modules stay under about 400 lines; past this one is due to be split."""


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_mypy_strict_passes() -> None:
    """Over game/ and tests/ (pyproject.toml lists the test modules not yet annotated)."""
    result = run(sys.executable, "-m", "mypy", "--strict", "game", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers_hold() -> None:
    """engine <- reports <- ui | plain <- commands <- cli; no Textual or Rich below the UI."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command is not None, "import-linter is part of the test extras"
    result = run(command, "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = (ROOT / "pyproject.toml").read_text().count("[[tool.importlinter.contracts]]")
    assert f"Contracts: {contracts} kept, 0 broken." in result.stdout


def test_modules_stay_small() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "game").rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
