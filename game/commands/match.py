"""Head-to-head: create a match or join one, then play one seat of it, full screen or plain.

Creating and joining are the engine's (:meth:`game.engine.seats.match_seat.MatchSeat.enter`), as is
leaving: however the front end ends, a seat in play is left and recorded as abandoned."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from game.commands import store_of
from game.engine.base.problems import FlashpointError
from game.engine.records import catalog

if TYPE_CHECKING:
    from pathlib import Path

    from game.engine.records.matches import MatchStore
    from game.engine.records.store import RoundStore
    from game.engine.scenario.loaded import LoadedScenario

DEFAULT_SCENARIO = "iran_pakistan_2024"


def match(args: argparse.Namespace) -> int:
    """``flashpoint match [SCENARIO] [--seat ROLE] [--name NAME]`` creates a match (the
    full-screen game asks what is left out); ``--join CODE`` joins or rejoins one."""
    from game.engine.records.matches import MatchStore

    rounds = _class_rounds(args) or store_of(args)
    notes = tuple(rounds.prepare())
    if args.plain:
        for note in notes:
            print(note, file=sys.stderr)
    storage = None
    if args.database is not None:  # a class's matches in PostgreSQL: seats on any machine
        import datetime as dt

        from game.engine.records.storage import open_class

        name = args.class_name or dt.date.today().isoformat()
        storage = open_class(args.database, name=name)
        store: MatchStore = storage.new_matches()  # type: ignore[assignment]
    else:
        path = args.store or _class_matches(args) or rounds.home / "matches.sqlite"
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
            return _full_screen(args, store, rounds, loaded, notes)
        return _plain(args, store, rounds, loaded)
    except FlashpointError:
        if not args.plain:  # the screen never opened to show them
            for note in notes:
                print(note, file=sys.stderr)
        raise
    finally:
        store.close()
        if storage is not None:
            storage.close()


def _class_matches(args: argparse.Namespace) -> Path | None:
    """A seat in a class (``--class-folder``) plays in the class's match file, as the class
    page and the terminal page do: classmates join it by code, the console lists it (trial 2,
    F12: it was the data folder's, where nobody in the class could join it)."""
    if args.class_folder is None:
        return None
    from game.engine.records.classfolder import ClassFolder

    return ClassFolder.read(args.class_folder).path / "matches.sqlite"


def _class_rounds(args: argparse.Namespace) -> RoundStore | None:
    """A named seat in a class (``--class-folder``, no ``--data-dir``) keeps its records in
    its own folder of the class, so that the class report has the match; a name the class
    page has seated is another student's, and refused."""
    if args.class_folder is None or args.data_dir is not None or not args.name.strip():
        return None
    from game.engine.records.classfolder import ClassFolder, clean_name, student_id
    from game.engine.records.seat_keys import SeatKeys
    from game.engine.records.store import RoundStore

    folder = ClassFolder.read(args.class_folder)
    name = clean_name(args.name)
    if SeatKeys(folder).has_seat(student_id(name)):
        raise FlashpointError(
            f"{name!r} is a classmate's seat on the class page: choose another name with "
            "--name, or play on the class page"
        )
    return RoundStore(folder.join(name).folder)


def _full_screen(
    args: argparse.Namespace,
    store: MatchStore,
    rounds: RoundStore,
    loaded: LoadedScenario,
    notes: tuple[str, ...],
) -> int:
    from game.ui.match_app import MatchApp, MatchRequest

    request = MatchRequest(
        loaded=loaded,
        name=args.name.strip(),
        class_seat=args.class_seat,
        seat=args.seat,
        code=args.join.strip().upper() if args.join else None,
        deadline=args.deadline,
        reveal=args.reveal,
        class_folder=args.class_folder,
        notes=notes,
    )
    app = MatchApp(store, rounds, request)
    try:
        app.run()
    finally:
        app.leave_match()  # however the app ended, a seat in play is recorded as left
    return 0


def _plain(
    args: argparse.Namespace, store: MatchStore, rounds: RoundStore, loaded: LoadedScenario
) -> int:
    from game.commands.play import pacing_of, warn
    from game.engine.seats.match_seat import MatchSeat
    from game.plain_match import PlainMatch

    if not args.name.strip():
        raise FlashpointError("give your name with --name: it is how you rejoin the match")
    mode = loaded.scenario.head_to_head
    assert mode is not None
    if not args.join and args.seat not in mode.seats:
        raise FlashpointError(f"choose your seat with --seat: {' or '.join(mode.seats)}")
    played = MatchSeat.enter(
        store,
        rounds,
        loaded,
        args.name,
        args.seat,
        args.join,
        args.deadline,
        args.reveal,
        warn,
        pacing_of(args),
    )
    try:
        if not args.join:
            print(
                f"Match code: {played.code}. The other student joins with: "
                f"flashpoint match --join {played.code} --name NAME",
                flush=True,
            )
        return PlainMatch(sys.stdin, sys.stdout, played=played).run()
    finally:
        played.leave()  # however it ended, a seat in play is recorded as left
