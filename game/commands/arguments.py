"""Every command's arguments, declared only for the command that runs (``game.cli``)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path

Command = Callable[[argparse.Namespace], int]


def _command(name: str) -> Command:
    """The command ``module.function`` of :mod:`game.commands`, imported only when it runs, so
    that ``flashpoint validate`` loads neither the game's screens nor the reports."""

    def run(args: argparse.Namespace) -> int:
        module, _, function = name.partition(".")
        found: Command = getattr(importlib.import_module(f"game.commands.{module}"), function)
        return found(args)

    return run


def _play_arguments(sub: argparse.ArgumentParser) -> None:
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
    _plain_argument(sub)
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
    sub.add_argument(
        "--class-folder",
        type=Path,
        metavar="FOLDER",
        help="the class this round is played in: it follows the teacher's pacing there "
        "(given by flashpoint serve)",
    )
    sub.set_defaults(run=_command("play.play"))


def _match_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "scenario", nargs="?", type=Path, help="the scenario (default: the bundled flagship)"
    )
    sub.add_argument("--join", metavar="CODE", help="join (or rejoin) the match with this code")
    sub.add_argument("--seat", help="the role to take (asked if left out)")
    sub.add_argument("--name", default="", help="your name: it is how you rejoin the match")
    sub.add_argument(
        "--class-seat",
        action="store_true",
        help="--name is the student's seat in a served class: the start screen does not ask it",
    )
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
        help="the match file both seats share (default: the class's with --class-folder, "
        "else matches.sqlite in the data folder)",
    )
    sub.add_argument(
        "--class-folder",
        type=Path,
        metavar="FOLDER",
        help="the class this seat plays in (given by flashpoint serve): its match file, "
        "the seat's records in the class, each turn on the teacher's pacing",
    )
    _database_arguments(sub, "keep the match in this PostgreSQL database (instead of --store)")
    _reveal_argument(sub)
    _plain_argument(sub)
    sub.set_defaults(run=_command("match.match"))


def _serve_arguments(sub: argparse.ArgumentParser) -> None:
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
        "0.0.0.0 for every network the computer is on, :: for IPv6 and IPv4 alike)",
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
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="the reverse proxy in front (an IP address or network; repeatable): limits count "
        "the client it names in X-Forwarded-For instead of the proxy",
    )
    sub.add_argument(
        "--names-per-address",
        type=int,
        default=3,
        metavar="N",
        help="seats one address (or forwarded client) may take (default 3)",
    )
    sub.add_argument(
        "--page",
        choices=("html", "terminal"),
        help="the students' page: html (the default: a web page, for screen readers and "
        "phones) or terminal (the full-screen game in a terminal in the browser, one game "
        "process per student)",
    )
    sub.add_argument(
        "--seat-expiry",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="a seat whose game never starts is given back after this long (default 120)",
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
    _database_arguments(
        sub,
        "keep the class in this PostgreSQL database, so that several servers share it "
        "(--class-folder is then this server's own working folder)",
    )
    sub.set_defaults(run=_command("serve.serve"))


def _teach_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("url", help="the class's address, as 'flashpoint serve' printed it")
    sub.add_argument(
        "--token",
        default=None,
        help="the teacher token (or set FLASHPOINT_TOKEN); by default it is read from the "
        "class folder's teacher-token file",
    )
    sub.add_argument(
        "--class-folder",
        type=Path,
        default=None,
        help="the class folder 'flashpoint serve' printed, whose private teacher-token file "
        "holds the token (default: the newest class folder with one)",
    )
    sub.set_defaults(run=_command("serve.teach"))


def _preview_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument("--role", help="the role to play (asked if left out)")
    sub.add_argument(
        "--match",
        action="store_true",
        help="play the head-to-head match instead: both seats, one after the other",
    )
    sub.set_defaults(run=_command("play.preview"))


def _validate_arguments(sub: argparse.ArgumentParser) -> None:
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


def _schema_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="'markdown' prints the field reference of docs/scenario-format.md",
    )
    sub.set_defaults(run=_command("authoring.schema"))


def _new_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("path", type=Path, help="the scenario file to create, e.g. crisis.yaml")
    sub.set_defaults(run=_command("authoring.new"))


def _graph_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument("--role", help="only this role's part of the graph")
    sub.add_argument("--format", choices=("mermaid", "dot", "svg"), default="mermaid")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.set_defaults(run=_command("authoring.graph"))


def _explore_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument("--role", help="only this role")
    sub.add_argument("--random", type=int, metavar="N", help="play N seeded random rounds")
    sub.add_argument("--seed", type=int, default=1, help="seed for --random (default 1)")
    sub.add_argument(
        "--path",
        metavar="CHOICE,CHOICE,...",
        help="follow these choices from the role's first decision and show the indicators, "
        "rung and events at each step; for a head-to-head match, each turn's moves as "
        "MOVE/MOVE in the order of its seats (e.g. defend/summon,accept_talks/agree_talks)",
    )
    sub.add_argument("--format", choices=("text", "md", "html"), default="text")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.set_defaults(run=_command("authoring.explore"))


def _test_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("scenario", type=Path, help="the scenario file")
    sub.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PLAN",
        help="plan files (default: SCENARIO-STEM.*.plan.yaml beside it)",
    )
    sub.set_defaults(run=_command("authoring.test"))


def _results_arguments(sub: argparse.ArgumentParser) -> None:
    sub.set_defaults(run=_command("reports.results"))


def _debrief_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("result", help="a result file, or a round id from 'flashpoint results'")
    sub.add_argument("--format", choices=("text", "md", "html", "json"), default="text")
    sub.add_argument("-o", "--output", type=Path, help="write to this file")
    sub.add_argument("--scenario", type=Path, help="the scenario file, if not found")
    sub.set_defaults(run=_command("reports.debrief"))


def _database_arguments(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument(
        "--database",
        metavar="URL",
        help=f"{what} (postgresql://USER@HOST/DATABASE; needs flashpoint[postgresql])",
    )
    sub.add_argument(
        "--class-name",
        default=None,
        metavar="NAME",
        help="the class's name in the database (default: today's date, YYYY-MM-DD)",
    )


def _class_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "results",
        nargs="*",
        type=Path,
        metavar="RESULTS",
        help="result files, folders of them, or a class folder from 'flashpoint serve'",
    )
    _database_arguments(sub, "the class's records are in this PostgreSQL database")
    sub.add_argument(
        "--format",
        choices=("text", "md", "html", "csv", "json", "gradebook"),
        default="text",
        help="gradebook: a CSV of one row per student, for a spreadsheet or an LMS",
    )
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
        help="watch a class folder (or a --database class) as the lesson goes on",
    )
    sub.set_defaults(run=_command("reports.class_report"))


def _plain_argument(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--plain",
        action="store_true",
        help="play as plain numbered text on standard input and output",
    )


def _reveal_argument(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--reveal",
        choices=("immediate", "debrief"),
        help="when to show what actually happened (default: the scenario's)",
    )


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "play": ("play a round of a scenario", _play_arguments),
    "match": ("head-to-head: two students, one seat each (docs/head-to-head.md)", _match_arguments),
    "serve": (
        "open a class: students play in their browsers (docs/classroom.md)",
        _serve_arguments,
    ),
    "teach": (
        "the teacher's console of a running class: pacing, seats, pairs (docs/classroom.md)",
        _teach_arguments,
    ),
    "preview": (
        "play a scenario you are writing; it reloads whenever you save it",
        _preview_arguments,
    ),
    "validate": ("check scenario files and folders", _validate_arguments),
    "schema": ("print the JSON Schema of the scenario format", _schema_arguments),
    "new": ("start a new scenario from a commented example", _new_arguments),
    "graph": ("draw the decision graph (Mermaid or DOT)", _graph_arguments),
    "explore": ("every path, ending and range, or random rounds", _explore_arguments),
    "test": ("run a scenario's test plans", _test_arguments),
    "results": ("list the result records in the data folder", _results_arguments),
    "debrief": ("one student's debrief from a result record", _debrief_arguments),
    "class": ("a class report from many result records", _class_arguments),
}
"""Each command: its one-line summary and what declares its arguments."""
