#!/bin/sh
# Regenerate docs/examples/ (docs/debrief.md, "Examples"); run from the repository root.
set -e
python scripts/make_sample_results.py docs/examples/sample-results --count 12 --seed 2024
for fmt in md html json; do
    flashpoint class docs/examples/sample-results --format "$fmt" -o "docs/examples/class-report.$fmt"
    flashpoint debrief docs/examples/sample-results/sample-00001.json --format "$fmt" \
        -o "docs/examples/debrief.$fmt"
done
python scripts/screenshot_reports.py docs/examples/class-report.html docs/examples/debrief.html
