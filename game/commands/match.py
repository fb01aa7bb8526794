"""Head-to-head: create a match or join one, then play one seat of it, full screen or plain."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from game.commands import store_of
from game.engine import catalog
from game.engine.problems import FlashpointError

if TYPE_CHECKING:
    from game.engine.loader import LoadedScenario
    from game.engine.matches import MatchStore

DEFAULT_SCENARIO = "iran_pakistan_2024"


def match(args: argparse.Namespace) -> int:
    """``flashpoint match [SCENARIO] [--seat ROLE] [--name NAME]`` creates a match (the
    full-screen game asks what is left out); ``--join CODE`` joins or rejoins one."""
    from game.engine.matches import MatchStore

    rounds = store_of(args)
    notes = tuple(rounds.prepare())
    if args.plain:
        for note in notes:
            print(note, file=sys.stderr)
    path = args.store or rounds.home / "matches.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    store = MatchStore(path)
    try:
        if args.join:
            info = store.info(args.join.strip().upper())
            loaded = catalog.load(str(args.scenario) if args.scenario else info.scenario)
        else:
            loaded = catalog.load(str(args.scenario) if args.scenario else DEFAULT_SCENARIO)
        if loaded.scenario.head_to_head is None:
            raise FlashpointError(f"{loaded.scenario.id} has no head-to-head mode")
        if not args.plain:
            return _full_screen(args, store, loaded, notes)
        return _plain(args, store, loaded)
    except FlashpointError:
        if not args.plain:  # the screen never opened to show them
            for note in notes:
                print(note, file=sys.stderr)
        raise
    finally:
        store.close()


def _full_screen(
    args: argparse.Namespace, store: MatchStore, loaded: LoadedScenario, notes: tuple[str, ...]
) -> int:
    from game.ui.match_app import MatchApp, MatchRequest

    request = MatchRequest(
        loaded=loaded,
        name=args.name.strip(),
        seat=args.seat,
        code=args.join.strip().upper() if args.join else None,
        deadline=args.deadline,
        reveal=args.reveal,
        notes=notes,
    )
    MatchApp(store, store_of(args), request).run()
    return 0


def _plain(args: argparse.Namespace, store: MatchStore, loaded: LoadedScenario) -> int:
    from game.plain_match import PlainMatch

    if not args.name.strip():
        raise FlashpointError("give your name with --name: it is how you rejoin the match")
    mode = loaded.scenario.head_to_head
    assert mode is not None
    if args.join:
        code = args.join.strip().upper()
        info = store.info(code)
        if loaded.scenario.id != info.scenario or loaded.sha256 != info.sha256:
            raise FlashpointError(
                f"match {code} was created with another version of {info.scenario}; "
                "both seats must play the same scenario file (give it with SCENARIO)"
            )
        seat = store.join(code, args.name, args.seat)
    else:
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
        results=store_of(args).results,
        reveal=args.reveal or loaded.scenario.reveal,
    )
    return game.run()
