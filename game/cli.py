"""The ``flashpoint`` command: parses arguments and hands them to ``game.commands``.

Exit status: 0 success, 1 problems found (or a file that cannot be used), 2 usage errors.
Every error is printed as a message naming the file and what to do, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from game import __version__
from game.commands import OK, PROBLEMS
from game.commands.arguments import COMMANDS
from game.engine.base.problems import FlashpointError, ScenarioError
from game.engine.base.text import TerminalSafe

GC_THRESHOLDS = (20_000, 10, 10)
"""The cyclic garbage collector's thresholds for every command. A loaded scenario is tens of
thousands of long-lived objects; with Python's default (700 allocations) each young
collection that spills into the older generations walks them all again, so loading a
3,000-point scenario or reading 10,000 records cost time in the square of their size
(docs/performance.md). The interactive commands keep Python's default: a game lives long,
allocates little between keys, and its peak memory counts more than its speed there."""
INTERACTIVE = ("play", "serve", "preview", "match", "teach")
HOME_VARIABLE = (
    "FLASHPOINT_HOME"  # game.engine.records.store reads it; not imported here (see arguments)
)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Every command is listed (for ``--help`` and for the error
    naming a wrong one), but only ``command``'s arguments are declared, or every command's if
    it is ``None``: declaring all of them costs each command's start-up a few milliseconds."""
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
    for name, (summary, declare) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary)
        if command is None or command == name:
            declare(sub)
    return parser


def _command_named(arguments: Sequence[str]) -> str:
    """The command ``arguments`` run: the first word that is not an option (nor the data
    folder); ``play`` when there is none or it names no command (a scenario to offer)."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--data-dir":
            skip = True
        elif not argument.startswith("-"):
            return argument if argument in COMMANDS else "play"
    return "play"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status. Everything it prints goes through one
    sanitiser (:class:`TerminalSafe`): names, ids and text from files never reach the terminal
    as escape sequences."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(out), TerminalSafe(err)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _scenarios_to_offer(arguments: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``flashpoint FILE_OR_FOLDER``: the title screen on those scenarios (``play --offer``)."""
    position = 2 if arguments[:1] == ["--data-dir"] else 0
    if len(arguments) <= position or arguments[position].startswith("-"):
        return arguments
    candidate = arguments[position]
    if candidate in COMMANDS or not Path(candidate).exists():
        return arguments
    from game.engine.scenario.files import scenario_files

    files = scenario_files([Path(candidate)])
    if not files:
        parser.error(f"{candidate} holds no scenario files (*.yaml, *.yml)")
    offered = [item for path in files for item in ("--offer", str(path))]
    return [*arguments[:position], "play", *offered, *arguments[position + 1 :]]


def _run(argv: Sequence[str] | None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(_command_named(given))
    arguments = _scenarios_to_offer(given, parser)
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args([*arguments, "play"])
    batch = argv is None and args.command not in INTERACTIVE  # a real process, run once
    args.batch = batch
    if batch:
        gc.set_threshold(*GC_THRESHOLDS)
    try:
        code: int = args.run(args)
        if batch:
            gc.freeze()  # the process ends now: no last collection over everything it built
        return code
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
