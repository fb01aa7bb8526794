"""Every benchmark, one after the other: ``python -m benchmarks``.

Each prints ratios measured in the same run against a floor (a minimal Textual app, a bare
YAML parse, merely reading files), so the figures compare across machines. The results on
the development machine are recorded in docs/performance.md.
"""

from __future__ import annotations

import sys

from benchmarks import app_performance, class_report, scenario_scaling


def main() -> None:
    for title, module in (
        ("Start-up, validation, responsiveness, memory", app_performance),
        ("Scenario size: validate and explore", scenario_scaling),
        ("Class reports: aggregation against reading", class_report),
    ):
        print(f"\n== {title} ==", flush=True)
        sys.argv = [module.__name__]
        module.main()


if __name__ == "__main__":
    main()
