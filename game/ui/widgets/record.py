"""Rendering the historical record: what happened, quotes with their sources, contested facts."""

from __future__ import annotations

from rich.text import Text

from game.engine.model import Citation, Contested, DecisionPoint, Scenario
from game.ui.literal import joined


def citation_text(scenario: Scenario, citation: Citation) -> Text:
    """A quote and where it comes from."""
    source = scenario.source_by_id[citation.source]
    return joined(
        ("“", "italic"),
        (citation.quote, "italic"),
        ("”", "italic"),
        (f" — {source.publisher}, {source.published:%d %b %Y}", "dim"),
    )


def history_text(scenario: Scenario, point: DecisionPoint) -> Text:
    """What actually happened at ``point``: the real course, the summary, the quotes."""
    history = point.history
    text = Text()
    if history.choice:
        real = next(c for c in point.choices if c.id == history.choice)
        text.append_text(joined(("What the government did: ", "bold"), real.label, "\n"))
    else:
        text.append_text(
            joined(
                ("Counterfactual: ", "bold yellow"),
                "this situation did not arise. ",
                point.counterfactual,
                "\n",
            )
        )
    text.append_text(joined(history.summary, "\n"))
    for citation in history.citations:
        text.append_text(joined("  "))
        text.append_text(citation_text(scenario, citation))
        text.append("\n")
    text.rstrip()
    return text


def contested_text(scenario: Scenario, fact: Contested) -> Text:
    """Every version of a contested fact, each with its source; none is picked."""
    text = joined(("Sources disagree: ", "bold yellow"), (fact.claim, "bold"), "\n")
    for version in fact.versions:
        source = scenario.source_by_id[version.source]
        text.append_text(
            joined(
                "  • ",
                (version.account, "bold"),
                (f" — {source.publisher}: ", "dim"),
                ("“", "italic"),
                (version.quote, "italic"),
                ("”\n", "italic"),
            )
        )
    if fact.note:
        text.append_text(joined((f"  {fact.note}\n", "dim")))
    text.rstrip()
    return text
