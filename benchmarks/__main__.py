"""Every performance target: ``python -m benchmarks [--runs N] [--quick]``.

Whole processes of the installed ``flashpoint`` command against floors that import only
what their names say, alternated in one run (benchmarks/targets.py; docs/performance.md).
The browser load test is separate: ``python -m benchmarks.class_load``.
"""

from benchmarks.targets import main

if __name__ == "__main__":
    main()
