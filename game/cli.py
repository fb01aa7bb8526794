"""The ``flashpoint`` command: a thin layer that parses arguments and calls the engine or UI.

Exit status: 0 success, 1 problems found (or a file that cannot be used), 2 usage errors.
Every error is printed as a message naming the file and what to do; never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from game import __version__
from game.engine import catalog, loader
from game.engine.problems import FlashpointError, ScenarioError
from game.engine.session import Session
from game.engine.store import HOME_VARIABLE, RoundStore, default_home

OK, PROBLEMS, USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashpoint",
        description="Crisis-simulation rounds for teaching international relations. "
        "With no command, opens the game.",
    )
    parser.add_argument("--version", action="version", version=f"flashpoint {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where saves and results go (default: ${HOME_VARIABLE} or the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", help="play a round of a scenario")
    play.add_argument(
        "scenario", nargs="?", default=None, help="a scenario file or the id of a bundled scenario"
    )
    play.add_argument("--role", help="the role to play (asked if left out)")
    play.add_argument("--name", default="", help="your name, recorded in the result")
    play.add_argument(
        "--reveal",
        choices=("immediate", "debrief"),
        help="when to show what actually happened (default: the scenario's)",
    )
    play.add_argument(
        "--plain",
        action="store_true",
        help="play as plain numbered text on standard input and output",
    )
    play.add_argument(
        "--continue",
        dest="resume",
        action="store_true",
        help="continue the latest saved round of this scenario",
    )

    validate = commands.add_parser("validate", help="check scenario files and folders")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")

    schema = commands.add_parser("schema", help="print the JSON Schema of the scenario format")
    schema.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="'markdown' prints the field reference of docs/scenario-format.md",
    )
    return parser


def _store(args: argparse.Namespace) -> RoundStore:
    return RoundStore(args.data_dir or default_home())


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every scenario named; print each problem as file:line:col."""
    files = loader.scenario_files(args.paths)
    if not files:
        print("no scenario files (*.yaml, *.yml) found", file=sys.stderr)
        return PROBLEMS
    failed = False
    for path in files:
        loaded, problems = loader.check(path)
        for problem in problems:
            print(problem)
        errors, warnings = len(problems.errors), len(problems.warnings)
        failed |= loaded is None or (args.strict and warnings > 0)
        status = "ok" if loaded is not None else "failed"
        print(f"{path}: {status} ({errors} error(s), {warnings} warning(s))")
    return PROBLEMS if failed else OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema, or the field reference in Markdown."""
    from game.engine.schema import field_reference, scenario_schema

    if args.format == "markdown":
        print(field_reference(), end="")
    else:
        print(json.dumps(scenario_schema(), indent=2))
    return OK


def cmd_play(args: argparse.Namespace) -> int:
    """Play a round: plain text with --plain, the full-screen game otherwise."""
    if not args.plain:
        return _open_ui(args)
    from game.plain import EndOfInput, PlainGame

    name = args.scenario or _default_scenario()
    loaded = loader.load(catalog.resolve(name))
    store = _store(args)
    for note in store.prepare():
        print(note, file=sys.stderr)
    reveal = args.reveal or loaded.scenario.reveal
    game = PlainGame(loaded, store, reveal, sys.stdin, sys.stdout)
    if args.resume:
        session = _latest_round(store, loaded, args.role)
        if session is not None:
            return game.play(session, resumed=True)
    try:
        role = args.role or game.choose_role()
    except EndOfInput:
        return OK
    session = Session.start(loaded, role, args.name)
    store.save(session)
    return game.play(session)


def _latest_round(
    store: RoundStore, loaded: loader.LoadedScenario, role: str | None
) -> Session | None:
    rounds, warnings = store.saved_rounds()
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for saved in rounds:
        if saved.scenario_id == loaded.scenario.id and role in (None, saved.role):
            return Session.resume(loaded, store.load(saved.path))
    return None


def _default_scenario() -> str:
    listings = catalog.bundled()
    if not listings:
        raise FlashpointError(
            "no bundled scenario could be loaded; run 'flashpoint validate' on the scenarios folder"
        )
    return str(listings[0].path)


def _open_ui(args: argparse.Namespace) -> int:
    from game.ui.app import FlashpointApp, StartRequest

    scenario = catalog.resolve(args.scenario) if args.scenario else None
    if scenario is not None:
        loader.load(scenario)  # report a broken scenario here, before the screen opens
    store = _store(args)
    store.prepare()
    request = StartRequest(scenario=scenario, role=args.role, player=args.name, reveal=args.reveal)
    FlashpointApp(store, request).run()
    return OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "validate": cmd_validate,
    "schema": cmd_schema,
    "play": cmd_play,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "play"])
    try:
        return COMMANDS[args.command](args)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return PROBLEMS
    except FlashpointError as error:
        print(f"flashpoint: {error}", file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return OK


if __name__ == "__main__":
    sys.exit(main())
