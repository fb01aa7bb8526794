"""Screenshot HTML reports in headless Chromium: light, dark and print media.

Uses the system's Chromium (Debian's ``chromium``) through Playwright, with no browser
download. The PNGs go next to the reports, for checking by eye (docs/debrief.md):

    python scripts/screenshot_reports.py docs/examples/class-report.html docs/examples/debrief.html
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

MODES = {
    "light": {"color_scheme": "light", "media": "screen"},
    "dark": {"color_scheme": "dark", "media": "screen"},
    "print": {"color_scheme": "light", "media": "print"},
}


def chromium() -> str:
    """The system Chromium's path ($FLASHPOINT_CHROMIUM, else the first on PATH)."""
    found = os.environ.get("FLASHPOINT_CHROMIUM") or next(
        filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser"))), None
    )
    if not found:
        raise SystemExit("no Chromium found: install Debian's 'chromium' package")
    return found


def screenshot(pages: list[Path], out: Path | None = None, width: int = 1000) -> list[Path]:
    """Per page and mode, the first screenful (``-light``, ``-dark``, ``-print``) and, in light
    and dark, the first escalation chart (``-curves-light``, ``-curves-dark``); returns the
    files written. Screenfuls rather than whole pages keep the PNGs small enough to commit."""
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        try:
            for page_file in pages:
                folder = out or page_file.parent
                for mode, settings in MODES.items():
                    page = browser.new_page(viewport={"width": width, "height": 1300})
                    page.emulate_media(**settings)  # type: ignore[arg-type]
                    page.goto(page_file.resolve().as_uri())
                    target = folder / f"{page_file.stem}-{mode}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                    figure = page.locator("figure").first
                    if mode != "print" and figure.count():
                        target = folder / f"{page_file.stem}-curves-{mode}.png"
                        figure.screenshot(path=str(target))
                        written.append(target)
                    page.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: beside each page)")
    args = parser.parse_args()
    for path in screenshot(args.pages, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
