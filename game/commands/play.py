"""Playing: the full-screen game, or plain text with --plain."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from game.commands import OK, store_of
from game.engine.base.problems import FlashpointError
from game.engine.records import catalog

if TYPE_CHECKING:
    from game.engine.records.pacing_file import ControlReader
    from game.engine.seats.lifecycle import Round


def play(args: argparse.Namespace) -> int:
    """Play a round: plain text with --plain, the full-screen game otherwise."""
    return play_plain(args) if args.plain else play_screen(args)


def warn(message: str) -> None:
    """A problem with the student's files, said on standard error."""
    print(f"warning: {message}", file=sys.stderr)


def play_screen(args: argparse.Namespace) -> int:
    """Open the Textual game, on the title screen or straight into a scenario."""
    from game.ui.app import FlashpointApp
    from game.ui.start import StartRequest

    loaded = catalog.load(args.scenario) if args.scenario else None
    if loaded is not None:  # report a broken scenario or role here, before the screen opens
        roles = loaded.scenario.role_by_id
        if args.role is not None and args.role not in roles:
            raise FlashpointError(
                f"'{args.role}' is not a role of this scenario; choose one of: {', '.join(roles)}"
            )
    test = None
    if args.from_point:
        if loaded is None:
            raise FlashpointError("--from needs the scenario file: play FILE --from POINT")
        from game.engine.seats.match_from import only_in_match
        from game.engine.seats.recording import test_start

        if only_in_match(loaded, args.from_point):  # a test match, full screen
            from game.engine.seats.match_from import match_from
            from game.ui.preview_match import PreviewMatchApp

            seat, match = match_from(loaded, args.from_point, args.settings)
            PreviewMatchApp(loaded.path, loaded, match, seat).run()
            return OK

        args.role, test = test_start(loaded, args.from_point, args.settings)
    store = store_of(args)
    notes = store.prepare()
    request = StartRequest(
        scenario=loaded.path if loaded is not None else None,
        loaded=loaded,
        role=args.role,
        player=args.name,
        reveal=args.reveal,
        resume=args.resume,
        offered=tuple(args.offer),
        test=test,
        record_plan=args.record_plan,
        notes=tuple(notes),
        class_folder=args.class_folder,
    )
    app = FlashpointApp(store, request)
    try:
        app.run()
    finally:
        app.leave_round()  # however the app ended, a round in progress is recorded as left
    return OK


def play_plain(args: argparse.Namespace) -> int:
    """Play over standard input and output."""
    from game.engine.seats.lifecycle import Round, latest_saved
    from game.plain import EndOfInput, PlainGame

    loaded = catalog.load(args.scenario or default_scenario())
    store = store_of(args)
    for note in store.prepare():
        print(note, file=sys.stderr)
    game = PlainGame(sys.stdin, sys.stdout)
    if args.resume:
        saved = latest_saved(store, loaded.scenario.id, args.role, warn)
        if saved is None:
            raise FlashpointError(
                f"no saved round of {loaded.scenario.id} to continue; "
                "start a new one without --continue"
            )
        played = Round.resume(
            store, saved, loaded, reveal=args.reveal, warn=warn, pacing=pacing_of(args)
        )
        return _recorded(args, played, game.play(played, resumed=True))
    test = None
    if args.from_point:
        from game.engine.seats.match_from import match_from, only_in_match
        from game.engine.seats.recording import test_start

        if only_in_match(loaded, args.from_point):
            from game.plain_test_match import play_test_match

            seat, match = match_from(loaded, args.from_point, args.settings)
            return play_test_match(game, match, seat, args.from_point)
        args.role, test = test_start(loaded, args.from_point, args.settings)
        print(f"Test round from '{test.point}': nothing is saved or recorded.")
    try:
        role = args.role or game.choose_role(loaded.scenario)
    except EndOfInput:
        return OK
    pacing = pacing_of(args) if test is None else None
    played = Round.start(store, loaded, role, args.name, args.reveal, warn, test, pacing)
    return _recorded(args, played, game.play(played))


def pacing_of(args: argparse.Namespace) -> ControlReader | None:
    """The class's control for a game played in a class (``--class-folder``)."""
    if getattr(args, "class_folder", None) is None:
        return None
    from game.engine.records.pacing_file import ControlReader

    return ControlReader(args.class_folder)


def _recorded(args: argparse.Namespace, played: Round, code: int) -> int:
    """With --record-plan, write the finished round as a test plan."""
    if args.record_plan is not None:
        from game.engine.seats.recording import record_plan

        written = record_plan(args.record_plan, played.session)
        scenario = played.session.loaded.path
        print(f"wrote the test plan {written}; run: flashpoint test {scenario} {written}")
    return code


def default_scenario() -> str:
    """The first bundled scenario."""
    listings = catalog.listings()
    if not listings:
        raise FlashpointError(
            "no bundled scenario could be loaded; run 'flashpoint validate' on the scenarios folder"
        )
    return str(listings[0].path)


def preview(args: argparse.Namespace) -> int:
    """The game on one scenario file, reloaded whenever it or its sources change."""
    from game.ui.preview import PreviewApp
    from game.ui.start import StartRequest

    loaded = catalog.load(str(args.scenario))
    if args.match:
        from game.ui.preview_match import PreviewMatchApp

        if loaded.scenario.head_to_head is None:
            raise FlashpointError(
                f"{loaded.path.name} has no head-to-head match; add a 'head_to_head' section"
            )
        PreviewMatchApp(loaded.path, loaded).run()
        return OK
    if args.role is not None and args.role not in loaded.scenario.role_by_id:
        roles = ", ".join(loaded.scenario.role_by_id)
        raise FlashpointError(
            f"'{args.role}' is not a role of this scenario; choose one of: {roles}"
        )
    store = store_of(args)
    notes = tuple(store.prepare())
    request = StartRequest(scenario=loaded.path, loaded=loaded, role=args.role, notes=notes)
    app = PreviewApp(store, request)
    try:
        app.run()
    finally:
        app.leave_round()
    return OK
