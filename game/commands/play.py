"""Playing: the full-screen game, or plain text with --plain."""

from __future__ import annotations

import argparse
import sys

from game.commands import OK, store_of
from game.engine import catalog, loader
from game.engine.problems import FlashpointError
from game.engine.session import Session
from game.engine.store import RoundStore


def play(args: argparse.Namespace) -> int:
    """Play a round: plain text with --plain, the full-screen game otherwise."""
    return play_plain(args) if args.plain else play_screen(args)


def play_screen(args: argparse.Namespace) -> int:
    """Open the Textual game, on the title screen or straight into a scenario."""
    from game.ui.app import FlashpointApp, StartRequest

    scenario = catalog.resolve(args.scenario) if args.scenario else None
    if scenario is not None:  # report a broken scenario or role here, before the screen opens
        roles = loader.load(scenario).scenario.role_by_id
        if args.role is not None and args.role not in roles:
            raise FlashpointError(
                f"'{args.role}' is not a role of this scenario; choose one of: {', '.join(roles)}"
            )
    store = store_of(args)
    store.prepare()
    request = StartRequest(scenario=scenario, role=args.role, player=args.name, reveal=args.reveal)
    FlashpointApp(store, request).run()
    return OK


def play_plain(args: argparse.Namespace) -> int:
    """Play over standard input and output."""
    from game.plain import EndOfInput, PlainGame

    loaded = loader.load(catalog.resolve(args.scenario or default_scenario()))
    store = store_of(args)
    for note in store.prepare():
        print(note, file=sys.stderr)
    game = PlainGame(loaded, store, args.reveal or loaded.scenario.reveal, sys.stdin, sys.stdout)
    if args.resume:
        session = latest_round(store, loaded, args.role)
        if session is None:
            raise FlashpointError(
                f"no saved round of {loaded.scenario.id} to continue; "
                "start a new one without --continue"
            )
        return game.play(session, resumed=True)
    try:
        role = args.role or game.choose_role()
    except EndOfInput:
        return OK
    session = Session.start(loaded, role, args.name)
    store.save(session)
    return game.play(session)


def latest_round(
    store: RoundStore, loaded: loader.LoadedScenario, role: str | None
) -> Session | None:
    """The most recent saved round of ``loaded`` (and ``role``, if given), resumed."""
    rounds, warnings = store.saved_rounds()
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for saved in rounds:
        if saved.scenario_id == loaded.scenario.id and role in (None, saved.role):
            return Session.resume(loaded, store.load(saved.path))
    return None


def default_scenario() -> str:
    """The first bundled scenario."""
    listings = catalog.bundled()
    if not listings:
        raise FlashpointError(
            "no bundled scenario could be loaded; run 'flashpoint validate' on the scenarios folder"
        )
    return str(listings[0].path)
