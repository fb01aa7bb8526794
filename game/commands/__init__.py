"""What each ``flashpoint`` command does; ``game.cli`` only parses arguments and dispatches."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.records.store import RoundStore

OK, PROBLEMS, USAGE = 0, 1, 2


def store_of(args: argparse.Namespace) -> RoundStore:
    """The round store of ``--data-dir`` or the default data folder."""
    from game.engine.records.store import RoundStore, default_home

    return RoundStore(args.data_dir or default_home())


def settle(args: argparse.Namespace) -> None:
    """What the command has loaded lives until it ends: in a batch process (``args.batch``,
    set by ``game.cli``), move it out of the cyclic collector's walks. Exploring a
    3,000-point scenario walked the whole loaded scenario again at each collection, so its
    cost per point grew with the scenario's size (docs/performance.md)."""
    if getattr(args, "batch", False):
        gc.freeze()


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output."""
    if output is None:
        sys.stdout.write(text)
    else:
        from game.engine.base.safefile import SHARED_FILE
        from game.engine.records.store import atomic_write

        atomic_write(output, text, SHARED_FILE)
        print(f"wrote {output}", file=sys.stderr)
