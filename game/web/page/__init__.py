"""The HTML student page of ``flashpoint serve`` (the default page; ``--page terminal`` keeps
the terminal page): server-rendered pages on aiohttp and Jinja2, the engine's rounds run in
the server process and rebuilt from their saves on every request."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
