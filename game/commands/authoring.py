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

from game.commands import OK, PROBLEMS, emit
from game.engine import loader
from game.engine.files import PLAN_SUFFIX
from game.engine.problems import FlashpointError


def validate(args: argparse.Namespace) -> int:
    """Check every scenario named; print each problem as file:line:col."""
    files = loader.scenario_files(args.paths)
    if not files:
        print("no scenario files (*.yaml, *.yml) found")
        return PROBLEMS
    failed = False
    for path in files:
        if path.name.endswith(PLAN_SUFFIX):  # named explicitly, e.g. by scenarios/*.yaml
            from game.engine.plans import read_plan

            plan, problems = read_plan(path)
            kind, usable = "test plan ", plan is not None
        else:
            loaded, problems = loader.check(path)
            kind, usable = "", loaded is not None
        for problem in problems:
            print(problem)
        errors, warnings = len(problems.errors), len(problems.warnings)
        failed |= not usable or (args.strict and warnings > 0)
        status = "ok" if usable else "failed"
        print(f"{path}: {kind}{status} ({errors} error(s), {warnings} warning(s))")
    return PROBLEMS if failed else OK


def schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema, or the field reference in Markdown."""
    from game.engine.schema import field_reference, scenario_schema

    if args.format == "markdown":
        print(field_reference(), end="")
    else:
        print(json.dumps(scenario_schema(), indent=2))
    return OK


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def new(args: argparse.Namespace) -> int:
    """Scaffold a small, valid, commented scenario with its seeds folder and a test plan."""
    from game.engine.schema import scenario_schema
    from game.engine.store import atomic_write

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
            atomic_write(target, text)
            print(f"created {target}")
    print(f"next: flashpoint validate {path} && flashpoint play {path} --plain")
    return OK


def _template(name: str, **values: str) -> str:
    return (TEMPLATES / name).read_text().format(**values)


def graph(args: argparse.Namespace) -> int:
    """Print the decision graph as Mermaid or DOT."""
    from game.reports.diagram import to_dot, to_mermaid

    loaded = loader.load(args.scenario)
    _check_role(loaded, args.role)
    write = to_mermaid if args.format == "mermaid" else to_dot
    emit(write(loaded, args.role), args.output)
    return OK


def explore(args: argparse.Namespace) -> int:
    """The exhaustive report, or N seeded random rounds with --random."""
    from game.engine.explore import explore as explore_scenario
    from game.engine.explore import random_rounds
    from game.reports.explore_report import explore_document, random_document
    from game.reports.writers import WRITERS

    loaded = loader.load(args.scenario)
    _check_role(loaded, args.role)
    if args.random:
        report = random_rounds(loaded, args.random, args.seed, args.role)
        document = random_document(loaded.scenario, report, args.seed)
    else:
        document = explore_document(loaded.scenario, explore_scenario(loaded, args.role))
    emit(WRITERS[args.format](document), args.output)
    return OK


def test(args: argparse.Namespace) -> int:
    """Run the scenario's test plans and report every step that differs."""
    from game.engine.plans import plans_for, read_plan, run_plan

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
