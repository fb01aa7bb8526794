"""The engine core runs without Textual or Rich: each module is imported in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "game").rglob("*.py")
    if not {"ui", "web"} & set(p.relative_to(ROOT).parts)  # the front ends
)
CHECK = (
    "import sys, importlib; importlib.import_module({module!r}); "
    "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
    "print(','.join(bad))"
)


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_the_ui(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_validate_does_not_import_textual() -> None:
    code = (
        "import sys; from game.cli import main; code = main(['validate', "
        "'scenarios/iran-pakistan-2024.yaml']); "
        "assert code == 0, code; "
        "print('ui modules:', sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "ui modules: []"
