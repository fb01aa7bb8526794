"""What each ``flashpoint`` command does; ``game.cli`` only parses arguments and dispatches."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.store import RoundStore

OK, PROBLEMS, USAGE = 0, 1, 2


def store_of(args: argparse.Namespace) -> RoundStore:
    """The round store of ``--data-dir`` or the default data folder."""
    from game.engine.store import RoundStore, default_home

    return RoundStore(args.data_dir or default_home())


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output."""
    if output is None:
        sys.stdout.write(text)
    else:
        from game.engine.store import atomic_write

        atomic_write(output, text)
        print(f"wrote {output}", file=sys.stderr)
