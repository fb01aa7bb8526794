"""Commands for scenario authors: validate and schema."""

from __future__ import annotations

import argparse
import json

from game.commands import OK, PROBLEMS
from game.engine import loader


def validate(args: argparse.Namespace) -> int:
    """Check every scenario named; print each problem as file:line:col."""
    files = loader.scenario_files(args.paths)
    if not files:
        print("no scenario files (*.yaml, *.yml) found")
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


def schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema, or the field reference in Markdown."""
    from game.engine.schema import field_reference, scenario_schema

    if args.format == "markdown":
        print(field_reference(), end="")
    else:
        print(json.dumps(scenario_schema(), indent=2))
    return OK
