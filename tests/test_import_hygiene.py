"""The engine core runs without Textual or Rich: each module is imported in a fresh interpreter."""

from __future__ import annotations

import json
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


COMMAND = (
    "import sys, json; from game.cli import main; sys.stdout = open('/dev/null', 'w'); "
    "code = main({argv!r}); sys.stdout = sys.__stdout__; "
    "print(json.dumps([code, sorted(sys.modules)]))"
)
SAMPLE = "docs/examples/sample-results"


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["validate", "scenarios/iran-pakistan-2024.yaml"], set()),
        (["schema"], set()),
        (["explore", "scenarios/iran-pakistan-2024.yaml"], {"transitions"}),
        (["class", SAMPLE], {"transitions"}),
        (["class", SAMPLE, "--format", "csv"], {"transitions"}),
        (["debrief", f"{SAMPLE}/sample-00001.json"], {"transitions"}),
        (["results"], set()),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_commands_import_only_what_they_need(
    argv: list[str], allowed: set[str], tmp_path: Path
) -> None:
    """No command but play and serve loads the UI; only those that replay rounds (through
    the state machine) load ``transitions``."""
    modules = {name.split(".")[0] for name in command_modules(argv, tmp_path)}
    heavy = {"textual", "rich", "transitions", "markdown_it", "platformdirs"} & modules
    if argv[0] in ("class", "debrief", "results"):
        allowed = allowed | {"platformdirs"}  # they read the data folder
    assert heavy <= allowed, f"{argv[0]} imports {sorted(heavy - allowed)}"


def command_modules(argv: list[str], tmp_path: Path) -> list[str]:
    """Every module the ``flashpoint`` command ``argv`` imports, run in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", COMMAND.format(argv=["--data-dir", str(tmp_path), *argv])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    code, modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert code == 0, result.stderr
    return list(modules)


WITHOUT_PSYCOPG = (
    "import sys, json, tempfile, pathlib; sys.modules['psycopg'] = None  # not installed\n"
    "import game.cli, game.web.server\n"
    "from game.engine.records.storage import StorageError, open_class\n"
    "folder = pathlib.Path(tempfile.mkdtemp()) / 'class'\n"
    "kept = open_class(None, folder, scenarios=('mini',))\n"
    "kept.seats.join('Ana'); kept.close()\n"
    "try:\n"
    "    open_class('postgresql://teacher:s3cret@db.example/flashpoint', name='x')\n"
    "except StorageError as error:\n"
    "    print(json.dumps(str(error)))\n"
)


def test_the_embedded_default_needs_no_database_driver() -> None:
    """``pip install .`` is enough to serve a class: psycopg is imported only for a database,
    and a database named without it installed says how to install it."""
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_PSYCOPG], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    message = json.loads(result.stdout.strip().splitlines()[-1])
    assert "pip install 'flashpoint[postgresql]'" in message and "s3cret" not in message
