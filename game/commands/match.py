"""Head-to-head: create a match or join one, then play one seat of it (plain text)."""

from __future__ import annotations

import argparse
import sys

from game.commands import store_of
from game.engine import catalog
from game.engine.problems import FlashpointError

DEFAULT_SCENARIO = "iran_pakistan_2024"


def match(args: argparse.Namespace) -> int:
    """``flashpoint match [SCENARIO] --seat ROLE --name NAME`` creates a match and plays its
    first seat; ``flashpoint match --join CODE --name NAME`` joins (or rejoins) one."""
    from game.engine.matches import MatchStore
    from game.plain_match import PlainMatch

    if not args.name.strip():
        raise FlashpointError("give your name with --name: it is how you rejoin the match")
    rounds = store_of(args)
    for note in rounds.prepare():
        print(note, file=sys.stderr)
    path = args.store or rounds.home / "matches.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    store = MatchStore(path)
    try:
        if args.join:
            code = args.join.strip().upper()
            info = store.info(code)
            loaded = catalog.load(str(args.scenario) if args.scenario else info.scenario)
            if loaded.scenario.id != info.scenario or loaded.sha256 != info.sha256:
                raise FlashpointError(
                    f"match {code} was created with another version of {info.scenario}; "
                    "both seats must play the same scenario file (give it with SCENARIO)"
                )
            seat = store.join(code, args.name, args.seat)
        else:
            loaded = catalog.load(str(args.scenario) if args.scenario else DEFAULT_SCENARIO)
            mode = loaded.scenario.head_to_head
            if mode is None:
                raise FlashpointError(f"{loaded.scenario.id} has no head-to-head mode")
            if args.seat not in mode.seats:
                raise FlashpointError(f"choose your seat with --seat: {' or '.join(mode.seats)}")
            code = store.create(loaded.scenario.id, loaded.sha256, mode.seats, args.deadline)
            seat = store.join(code, args.name, args.seat)
            print(
                f"Match code: {code}. The other student joins with: "
                f"flashpoint match --join {code} --name NAME",
                flush=True,
            )
        game = PlainMatch(
            sys.stdin,
            sys.stdout,
            store=store,
            loaded=loaded,
            code=code,
            seat=seat,
            results=rounds.results,
            reveal=args.reveal or loaded.scenario.reveal,
        )
        return game.run()
    finally:
        store.close()
