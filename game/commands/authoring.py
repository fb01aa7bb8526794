"""Commands for scenario authors: validate, schema, new, graph, explore and test.

Each command imports what only it needs inside its function, so that ``flashpoint validate``
loads the loader and the validator and nothing else (``tests/test_import_hygiene.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands import OK, PROBLEMS, emit, settle
from game.engine.base.problems import FlashpointError, Problem
from game.engine.checks import loader
from game.engine.scenario.files import PLAN_SUFFIX

if TYPE_CHECKING:
    from game.reports.document import Document


def validate(args: argparse.Namespace) -> int:
    """Check every scenario named; print each problem as file:line:col (or as JSON), once
    or, with --watch, again whenever a file changes."""
    if args.watch:
        return _watch(args)
    failed, report = _validate_once(args)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return PROBLEMS if failed else OK


def _validate_once(args: argparse.Namespace) -> tuple[bool, dict[str, object]]:
    """Validate; whether anything failed, and the report as data (printed as text unless
    the format is JSON)."""
    text = args.format != "json"
    files = loader.scenario_files(args.paths)
    report: dict[str, object] = {"format": "flashpoint-problems", "version": 1}
    if not files:
        if text:
            print("no scenario files (*.yaml, *.yml) found")
        report.update(files=[], problems=[])
        return True, report
    failed = False
    checked: list[dict[str, object]] = []
    found: list[Problem] = []
    for path in files:
        if path.name.endswith(PLAN_SUFFIX):  # named explicitly, e.g. by scenarios/*.yaml
            from game.engine.checks.plans import read_plan

            plan, problems = read_plan(path)
            kind, usable = "test plan ", plan is not None
        else:
            loaded, problems = loader.check(path)
            kind, usable = "", loaded is not None
        found.extend(problems)
        errors, warnings = len(problems.errors), len(problems.warnings)
        failed |= not usable or (args.strict and warnings > 0)
        status = "ok" if usable else "failed"
        checked.append(
            {
                "file": str(path),
                "kind": "test plan" if kind else "scenario",
                "status": status,
                "errors": errors,
                "warnings": warnings,
            }
        )
        if text:
            for problem in problems:
                print(problem)
            print(f"{path}: {kind}{status} ({errors} error(s), {warnings} warning(s))")
    report.update(files=checked, problems=[_problem_data(p) for p in found])
    return failed, report


def _problem_data(problem: Problem) -> dict[str, object]:
    """A problem as editors read it (docs/validate.schema.json)."""
    return {
        "file": problem.file,
        "line": problem.mark.line,
        "column": problem.mark.column,
        "severity": problem.severity.value,
        "code": problem_code(problem.message),
        "message": problem.message,
        "hint": problem.hint,
        "follows": problem.follows,
    }


def problem_code(message: str) -> str:
    """A stable name for the kind of problem: its message without the names, numbers and
    quoted text that vary ("unknown point or ending 'x'" -> "unknown-point-or-ending")."""
    general = re.sub(r"'[^']*'|\"[^\"]*\"|\u201c[^\u201d]*\u201d|\([^)]*\)|\d+", " ", message)
    words = re.findall(r"[a-z]+", general.lower())
    return "-".join(words[:8]) or "problem"


WATCH_INTERVAL = 0.5
"""Seconds between looks at the files' modification times."""


def _watch(args: argparse.Namespace) -> int:
    """Validate, then again whenever a scenario, plan or source file changes; Ctrl+C stops."""
    import time

    from game.engine.scenario.sources import seeds_folder

    def stamps() -> dict[Path, float]:
        seen: dict[Path, float] = {}
        for path in loader.scenario_files(args.paths):
            parts = sorted(path.parent.glob("*.y*ml"))  # included files, plans
            for candidate in (path, *parts, *_seed_files(seeds_folder(path))):
                try:
                    seen[candidate] = candidate.stat().st_mtime
                except OSError:
                    continue
        return seen

    last: dict[Path, float] | None = None
    try:
        while True:
            now = stamps()
            if now != last:
                if last is not None:
                    print(f"\n--- {time.strftime('%H:%M:%S')}: a file changed; validating again")
                _validate_once(args)
                print("watching for changes (Ctrl+C to stop)", flush=True)
                last = now
            time.sleep(WATCH_INTERVAL)
    except KeyboardInterrupt:
        return OK


def _seed_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file())
    except OSError:
        return []


def schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema, or the field reference in Markdown."""
    from game.engine.scenario.schema import field_reference, scenario_schema

    if args.format == "markdown":
        print(field_reference(), end="")
    else:
        print(json.dumps(scenario_schema(), indent=2))
    return OK


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def new(args: argparse.Namespace) -> int:
    """Scaffold a small, valid, commented scenario with its seeds folder and a test plan."""
    from game.engine.base.safefile import SHARED_FILE
    from game.engine.records.store import atomic_write
    from game.engine.scenario.schema import scenario_schema

    path: Path = (
        args.path if args.path.suffix in (".yaml", ".yml") else args.path.with_suffix(".yaml")
    )
    stem = path.name.rsplit(".", 1)[0]
    ident = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_") or "my_scenario"
    if not ident[0].isalpha():
        ident = f"scenario_{ident}"
    seeds = path.parent / "seeds"
    files = {
        path: _template("scenario.yaml", id=ident, file=path.name),
        path.parent / f"{stem}.example.plan.yaml": _template(
            "plan.yaml", file=path.name, stem=stem
        ),
        seeds / "example-report.txt": (TEMPLATES / "source.txt").read_text(),
        seeds / "example-statement.txt": (TEMPLATES / "statement.txt").read_text(),
        path.parent / "scenario.schema.json": json.dumps(scenario_schema(), indent=2) + "\n",
    }
    existing = [str(p) for p in list(files)[:2] if p.exists()]
    if existing:
        print(
            f"flashpoint: not overwriting {', '.join(existing)}; choose another name",
            file=sys.stderr,
        )
        return PROBLEMS
    seeds.mkdir(parents=True, exist_ok=True)
    for target, text in files.items():
        if not target.exists():
            atomic_write(target, text, SHARED_FILE)  # the author's files, as an editor's
            print(f"created {target}")
    print(f"next: flashpoint validate {path} && flashpoint play {path} --plain")
    return OK


def _template(name: str, **values: str) -> str:
    return (TEMPLATES / name).read_text().format(**values)


def graph(args: argparse.Namespace) -> int:
    """Print the decision graph as Mermaid or DOT, or draw it as SVG with Graphviz."""
    from game.reports.diagram import to_dot, to_mermaid, to_svg

    loaded = loader.load(args.scenario)
    _check_role(loaded, args.role)
    write = {"mermaid": to_mermaid, "dot": to_dot, "svg": to_svg}[args.format]
    emit(write(loaded, args.role), args.output)
    return OK


def explore(args: argparse.Namespace) -> int:
    """The exhaustive report, or N seeded random rounds with --random."""
    from game.engine.checks.explore import explore as explore_scenario
    from game.engine.checks.explore import random_rounds
    from game.reports.explore_report import explore_document, random_document
    from game.reports.writers import WRITERS

    loaded = loader.load(args.scenario)
    settle(args)
    _check_role(loaded, args.role)
    if args.path:
        from game.engine.seats.recording import replay, role_starting_with
        from game.reports.explore_report import path_document

        choices = [c.strip() for c in args.path.split(",") if c.strip()]
        if any("/" in c for c in choices):  # a match's turns: MOVE/MOVE, one per seat
            emit(WRITERS[args.format](_match_path(loaded, choices)), args.output)
            return OK
        role = args.role or role_starting_with(loaded, choices[0])
        moments = replay(loaded, role, choices)
        emit(WRITERS[args.format](path_document(loaded.scenario, role, moments)), args.output)
        return OK
    if args.random:
        report = random_rounds(loaded, args.random, args.seed, args.role)
        document = random_document(loaded.scenario, report, args.seed)
    else:
        document = explore_document(loaded.scenario, explore_scenario(loaded, args.role))
    emit(WRITERS[args.format](document), args.output)
    return OK


def _match_path(loaded: loader.LoadedScenario, turns: list[str]) -> Document:
    """A match's path, seat by seat: each turn's values on arrival and the move made."""
    from game.engine.seats.match_from import replay_match
    from game.reports.document import Document, Heading
    from game.reports.explore_report import path_document

    moments = replay_match(loaded, [t.split("/") for t in turns])
    scenario = loaded.scenario
    document = Document(f"Match path: {scenario.title}")
    for seat, seen in moments.items():
        document.add(Heading(scenario.role_by_id[seat].name))
        document.add(*path_document(scenario, seat, seen).blocks)
    return document


def test(args: argparse.Namespace) -> int:
    """Run the scenario's test plans and report every step that differs."""
    from game.engine.checks.plans import plans_for, read_plan, run_plan

    loaded = loader.load(args.scenario)
    paths = args.plans or plans_for(args.scenario)
    if not paths:
        stem = args.scenario.name.rsplit(".", 1)[0]
        print(f"no test plans found; write {stem}.NAME.plan.yaml beside the scenario")
        return PROBLEMS
    failed = 0
    for path in paths:
        plan, problems = read_plan(path)
        if plan is not None:
            run_plan(loaded, plan, problems)
        for problem in problems:
            print(problem)
        status = "passed" if plan is not None and not problems.errors else "FAILED"
        failed += status == "FAILED"
        title = f" — {plan.title}" if plan is not None else ""
        print(f"{path}: {status}{title}")
    print(f"{len(paths) - failed} passed, {failed} failed")
    return PROBLEMS if failed else OK


def _check_role(loaded: loader.LoadedScenario, role: str | None) -> None:
    if role is not None and role not in loaded.scenario.role_by_id:
        roles = ", ".join(loaded.scenario.role_by_id)
        raise FlashpointError(
            f"'{role}' is not a role of {loaded.scenario.id}; choose one of: {roles}"
        )
