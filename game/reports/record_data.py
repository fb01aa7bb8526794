"""The historical record as JSON-ready data, shared by the debrief and the class report."""

from __future__ import annotations

from typing import Any

from game.engine.scenario.model import Contested, Source


def source_data(source: Source) -> dict[str, Any]:
    """A source with its reliability note."""
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.isoformat(),
        "kind": source.kind,
        "reliability": source.reliability,
        "url": source.url,
        "retrieved": source.retrieved.isoformat() if source.retrieved else None,
    }


def contested_data(fact: Contested) -> dict[str, Any]:
    """A contested fact with every version and its source."""
    return {
        "id": fact.id,
        "claim": fact.claim,
        "note": fact.note,
        "versions": [
            {"account": v.account, "source": v.source, "quote": v.quote} for v in fact.versions
        ],
    }
