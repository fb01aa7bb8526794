"""The ``flashpoint`` command: parses arguments and hands them to ``game.commands``.

Exit status: 0 success, 1 problems found (or a file that cannot be used), 2 usage errors.
Every error is printed as a message naming the file and what to do, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from game import __version__
from game.commands import OK, PROBLEMS
from game.engine.problems import FlashpointError, ScenarioError
from game.engine.text import TerminalSafe

Command = Callable[[argparse.Namespace], int]
GC_THRESHOLDS = (20_000, 10, 10)
"""The cyclic garbage collector's thresholds for every command. A loaded scenario is tens of
thousands of long-lived objects; with Python's default (700 allocations) each young
collection that spills into the older generations walks them all again, so loading a
3,000-point scenario or reading 10,000 records cost time in the square of their size
(docs/performance.md). The interactive commands keep Python's default: a game lives long,
allocates little between keys, and its peak memory counts more than its speed there."""
INTERACTIVE = ("play", "serve", "preview", "match")
HOME_VARIABLE = "FLASHPOINT_HOME"  # game.engine.store reads it; not imported here, see _command


def _command(name: str) -> Command:
    """The command ``module.function`` of :mod:`game.commands`, imported only when it runs, so
    that ``flashpoint validate`` loads neither the game's screens nor the reports."""

    def run(args: argparse.Namespace) -> int:
        module, _, function = name.partition(".")
        found: Command = getattr(importlib.import_module(f"game.commands.{module}"), function)
        return found(args)

    return run


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
    _play_parser(commands)
    _authoring_parsers(commands)
    _report_parsers(commands)
    return parser


def _play_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser("play", help="play a round of a scenario")
    sub.add_argument(
        "scenario", nargs="?", default=None, help="a scenario file or the id of a bundled scenario"
    )
    sub.add_argument("--role", help="the role to play (asked if left out)")
    sub.add_argument(
        "--from",
        dest="from_point",
        metavar="POINT",
        help="an author's test round starting at this decision point (nothing is saved)",
    )
    sub.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --from: an indicator's value (or rung=ID) at the start (repeatable)",
    )
    sub.add_argument(
        "--record-plan",
        type=Path,
        metavar="PLAN",
        help="when the round ends, write it as a test plan (NAME.plan.yaml) for 'flashpoint test'",
    )
    sub.add_argument("--name", default="", help="your name, recorded in the result")
    _reveal_argument(sub)
    sub.add_argument(
        "--plain",
        action="store_true",
        help="play as plain numbered text on standard input and output",
    )
    sub.add_argument(
        "--continue",
        dest="resume",
        action="store_true",
        help="continue the latest saved round (of this scenario and role, if given)",
    )
    sub.add_argument(
        "--offer",
        action="append",
        type=Path,
        default=[],
        metavar="SCENARIO",
        help="list only these scenario files on the title screen (repeatable)",
    )
    sub.set_defaults(run=_command("play.play"))
    _match_parser(commands)
    _serve_parser(commands)


def _reveal_argument(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--reveal",
        choices=("immediate", "debrief"),
        help="when to show what actually happened (default: the scenario's)",
    )


def _match_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser(
        "match", help="head-to-head: two students, one seat each (docs/head-to-head.md)"
    )
    sub.add_argument(
        "scenario", nargs="?", type=Path, help="the scenario (default: the bundled flagship)"
    )
    sub.add_argument("--join", metavar="CODE", help="join (or rejoin) the match with this code")
    sub.add_argument("--seat", help="the role to take (asked if left out)")
    sub.add_argument("--name", default="", help="your name: it is how you rejoin the match")
    sub.add_argument(
        "--deadline",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="time for each move before the scenario's fallback stands (default 300)",
    )
    sub.add_argument(
        "--store",
        type=Path,
        metavar="FILE",
        help="the match file both seats share (default: matches.sqlite in the data folder; "
        "a class folder's for a lesson)",
    )
    _reveal_argument(sub)
    sub.add_argument(
        "--plain",
        action="store_true",
        help="play as plain numbered text on standard input and output",
    )
    sub.set_defaults(run=_command("match.match"))


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser(
        "serve", help="open a class: students play in their browsers (docs/classroom.md)"
    )
    sub.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help="scenarios to offer: files or ids of bundled scenarios (default: all bundled)",
    )
    sub.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this computer only; "
        "0.0.0.0 for every network the computer is on)",
    )
    sub.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sub.add_argument(
        "--public-url", help="the address students use, if a proxy is in front (https://...)"
    )
    sub.add_argument(
        "--reveal",
        choices=("immediate", "debrief"),
        help="when every student sees what actually happened (default: each scenario's)",
    )
    sub.add_argument("--max-students", type=int, default=40, help="seats in the class (default 40)")
    sub.add_argument(
        "--class-folder",
        type=Path,
        help="where the class's saves and results go (default: a new dated folder in the "
        "data folder; give an existing one to carry on a lesson with the same code)",
    )
    sub.add_argument(
        "--grace",
        type=float,
        default=5.0,
        help="seconds a closed tab's game has to save and quit before it is ended (default 5)",
    )
    sub.add_argument(
        "--matches",
        action="store_true",
        help="head-to-head: every student plays one seat of a match (pairs by match code)",
    )
    sub.add_argument(
        "--pairs",
        type=Path,
        metavar="FILE",
        help="with --matches: the teacher's pairs, two names per line ('Ana, Ben')",
    )
    sub.add_argument(
        "--deadline",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="with --matches: time for each move before the fallback stands (default 300)",
    )
    sub.set_defaults(run=_command("serve.serve"))


def _authoring_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser(
        "preview", help="play a scenario you are writing; it reloads whenever you save it"
    )
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument("--role", help="the role to play (asked if left out)")
    sub.set_defaults(run=_command("play.preview"))
    sub = commands.add_parser("validate", help="check scenario files and folders")
    sub.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="scenario files or folders of them"
    )
    sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    sub.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: every problem as data, for editors and CI (docs/validate.schema.json)",
    )
    sub.add_argument(
        "--watch", action="store_true", help="validate again whenever a file changes (Ctrl+C)"
    )
    sub.set_defaults(run=_command("authoring.validate"))
    sub = commands.add_parser("schema", help="print the JSON Schema of the scenario format")
    sub.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="'markdown' prints the field reference of docs/scenario-format.md",
    )
    sub.set_defaults(run=_command("authoring.schema"))
    sub = commands.add_parser("new", help="start a new scenario from a commented example")
    sub.add_argument("path", type=Path, help="the scenario file to create, e.g. crisis.yaml")
    sub.set_defaults(run=_command("authoring.new"))
    sub = commands.add_parser("graph", help="draw the decision graph (Mermaid or DOT)")
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument("--role", help="only this role's part of the graph")
    sub.add_argument("--format", choices=("mermaid", "dot", "svg"), default="mermaid")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.set_defaults(run=_command("authoring.graph"))
    sub = commands.add_parser("explore", help="every path, ending and range, or random rounds")
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument("--role", help="only this role")
    sub.add_argument("--random", type=int, metavar="N", help="play N seeded random rounds")
    sub.add_argument("--seed", type=int, default=1, help="seed for --random (default 1)")
    sub.add_argument(
        "--path",
        metavar="CHOICE,CHOICE,...",
        help="follow these choices from the role's first decision and show the indicators, "
        "rung and events at each step",
    )
    sub.add_argument("--format", choices=("text", "md", "html"), default="text")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.set_defaults(run=_command("authoring.explore"))
    sub = commands.add_parser("test", help="run a scenario's test plans")
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PLAN",
        help="plan files (default: SCENARIO-STEM.*.plan.yaml beside it)",
    )
    sub.set_defaults(run=_command("authoring.test"))


def _report_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser("results", help="list the result records in the data folder")
    sub.set_defaults(run=_command("reports.results"))
    sub = commands.add_parser("debrief", help="one student's debrief from a result record")
    sub.add_argument("result", help="a result file, or a round id from 'flashpoint results'")
    sub.add_argument("--format", choices=("text", "md", "html", "json"), default="text")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.add_argument("--scenario", type=Path, help="the scenario file, if not found")
    sub.set_defaults(run=_command("reports.debrief"))
    sub = commands.add_parser("class", help="a class report from many result records")
    sub.add_argument(
        "results",
        nargs="+",
        type=Path,
        metavar="RESULTS",
        help="result files, folders of them, or a class folder from 'flashpoint serve'",
    )
    sub.add_argument("--format", choices=("text", "md", "html", "csv", "json"), default="text")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.add_argument("--scenario", type=Path, help="the scenario file, if not found")
    sub.add_argument(
        "--status",
        choices=("all", "finished", "abandoned"),
        default="all",
        help="which rounds to count (default: all)",
    )
    sub.add_argument(
        "--anonymize",
        action="store_true",
        help="show stable pseudonyms instead of students' names (for projecting)",
    )
    sub.add_argument(
        "--live",
        action="store_true",
        help="watch a class folder from 'flashpoint serve' as the lesson goes on",
    )
    sub.set_defaults(run=_command("reports.class_report"))


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
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if candidate in commands or not Path(candidate).exists():
        return arguments
    from game.engine.files import scenario_files

    files = scenario_files([Path(candidate)])
    if not files:
        parser.error(f"{candidate} holds no scenario files (*.yaml, *.yml)")
    offered = [item for path in files for item in ("--offer", str(path))]
    return [*arguments[:position], "play", *offered, *arguments[position + 1 :]]


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    arguments = _scenarios_to_offer(list(sys.argv[1:] if argv is None else argv), parser)
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args([*arguments, "play"])
    batch = argv is None and args.command not in INTERACTIVE  # a real process, run once
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
