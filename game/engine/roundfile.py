"""The round file format (saves and result records): its name, version and header check.

Kept apart from the session so that listing saves and results needs no state machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.engine.problems import FlashpointError

ROUND_FORMAT = "flashpoint-round"
ROUND_VERSION = 1


class RoundError(FlashpointError):
    """A saved round that cannot be resumed; the message says why and what to do."""


class NewerFormatError(RoundError):
    """A round file written by a newer Flashpoint: not damaged, just not readable here."""


def read_header(data: Mapping[str, Any]) -> dict[str, Any]:
    """The identifying fields of saved round data; raises :class:`RoundError` if unusable."""
    if not isinstance(data, Mapping) or data.get("format") != ROUND_FORMAT:
        raise RoundError("this is not a Flashpoint round file")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise RoundError("the round file has no valid version number")
    if version > ROUND_VERSION:
        raise NewerFormatError(
            f"the round was saved by a newer Flashpoint (format {version}); "
            "update Flashpoint to open it"
        )
    try:
        header: dict[str, Any] = {
            "round": str(data["round"]),
            "scenario_id": str(data["scenario"]["id"]),
            "sha256": str(data["scenario"].get("sha256", "")),
            "role": str(data["role"]),
        }
        if not isinstance(data["entries"], list) or not all(
            isinstance(e, Mapping) for e in data["entries"]
        ):
            raise TypeError("entries")
        float(data["started"])
        settings = data.get("settings") or {}
        reveal = settings.get("reveal")
        if reveal not in (None, "immediate", "debrief"):
            raise ValueError(f"reveal policy {str(reveal)[:20]!r}")
        header["reveal"] = str(reveal) if reveal else None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RoundError(f"the round file is incomplete or damaged ({error})") from None
    return header
