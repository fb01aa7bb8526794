"""One student's debrief as a document (text, Markdown, HTML) or as JSON data."""

from __future__ import annotations

from typing import Any

from game.engine.debrief import Debrief, Review
from game.engine.text import long_date, short_date
from game.reports.document import Block, Bullets, Curves, Document, Heading, Paragraph, Table
from game.reports.round_blocks import decision_blocks, ending_label

DIVERGENCE_NOTE = (
    "Divergence runs from 0 (the historical path) to 100: half from the share "
    "of decisions that differ from what the government did, half from how far "
    "the ending lies from the historical outcome."
)


def verdict(review: Review) -> str:
    """Whether a decision matched history, in words."""
    if review.historical is None:
        return "counterfactual situation (this decision never arose)"
    return "matches what happened" if review.matches else "differs from what happened"


def review_blocks(debrief: Debrief, review: Review) -> list[Block]:
    """One decision, in full: the same blocks the outcome screen showed, with a verdict."""
    point = review.point
    return [
        Heading(f"{review.number}. {long_date(point.date)} — {point.title}", 3),
        Paragraph.of(("Verdict: ", "strong"), verdict(review)),
        *decision_blocks(
            debrief.loaded.scenario,
            point,
            review.chosen,
            review.decision.rationale,
            review.reactions,
            reveal=True,
            words=debrief.words,
        ),
    ]


def debrief_document(debrief: Debrief) -> Document:
    """The debrief of one round."""
    scenario = debrief.loaded.scenario
    who = f" — {debrief.player}" if debrief.player else ""
    document = Document(f"Debrief: {scenario.title}{who}")
    ending = debrief.ending
    document.add(Paragraph.of(("Role: ", "strong"), debrief.role.name))
    document.add(Heading("Ending"))
    if ending is None:
        document.add(Paragraph.of("The round was not finished."))
    else:
        distance = (
            "the historical outcome"
            if ending.distance == 0
            else f"{ending.distance} of 10 from what happened"
        )
        document.add(
            Paragraph.of((ending.title, "strong"), " — ", distance),
            *ending_label(ending),
            Paragraph.of(debrief.words(ending)),
            Paragraph.of(("Assessment: ", "strong"), ending.assessment),
        )
        if ending.counterfactual:
            document.add(Paragraph.of(("Why it is plausible: ", "strong"), ending.counterfactual))
    document.add(
        Heading("Your path beside history"),
        Paragraph.of(
            ("Decisions that matched history: ", "strong"),
            f"{debrief.matched} of {len(debrief.reviews)}. ",
            ("Divergence: ", "strong"),
            f"{debrief.divergence} of 100.",
        ),
        Paragraph.of((DIVERGENCE_NOTE, "dim")),
        Curves(
            (
                ("Your escalation", tuple(map(float, debrief.curve))),
                ("History", tuple(map(float, debrief.historical_curve))),
            ),
            tuple(r.name for r in scenario.ladder),
        ),
        Table(
            ("#", "Date", "Your choice", "What happened", "Verdict"),
            tuple(
                (
                    str(r.number),
                    f"{short_date(r.point.date)}",
                    debrief.words(r.chosen),
                    debrief.words(r.historical) if r.historical else "(did not arise)",
                    verdict(r),
                )
                for r in debrief.reviews
            ),
        ),
    )
    document.add(Heading("Decision by decision"))
    for review in debrief.reviews:
        document.add(*review_blocks(debrief, review))
    document.add(
        Heading("Sources"),
        Bullets(
            tuple(
                Paragraph.of(
                    (s.title, "strong"),
                    f" — {s.publisher}, {long_date(s.published)} ({s.kind}). ",
                    ("Reliability: ", "em"),
                    s.reliability,
                )
                for s in scenario.sources
            )
        ),
    )
    if scenario.discussion:
        document.add(
            Heading("Questions for discussion"),
            Bullets(tuple(Paragraph.of(q) for q in scenario.discussion)),
        )
    return document


def debrief_data(debrief: Debrief) -> dict[str, Any]:
    """The debrief as JSON-ready data."""
    ending = debrief.ending
    return {
        "format": "flashpoint-debrief",
        "version": 1,
        "scenario": {
            "id": debrief.loaded.scenario.id,
            "title": debrief.loaded.scenario.title,
            "sha256": debrief.loaded.sha256,
        },
        "role": debrief.role.id,
        "player": debrief.player,
        "ending": None
        if ending is None
        else {
            "id": ending.id,
            "title": ending.title,
            "distance": ending.distance,
            "historical": ending.distance == 0,
            "assessment": ending.assessment,
        },
        "matched": debrief.matched,
        "divergence": debrief.divergence,
        "curve": list(debrief.curve),
        "historical_curve": list(debrief.historical_curve),
        "decisions": [
            {
                "number": r.number,
                "point": r.point.id,
                "date": r.point.date.isoformat(),
                "historical_situation": not r.point.counterfactual,
                "choice": r.chosen.id,
                "label": debrief.words(r.chosen),
                "historical_choice": r.historical.id if r.historical else None,
                "matches": r.matches,
                "rationale": r.decision.rationale,
                "seconds": r.decision.seconds,
                "reactions": [
                    {"id": e.id, "title": e.title, "historical": not e.counterfactual}
                    for e in r.reactions
                ],
                "history": r.point.history.summary,
                "citations": [
                    {"source": c.source, "quote": c.quote}
                    if c.quote
                    else {"source": c.source, "reported": c.reported}
                    for c in r.point.history.citations
                ],
            }
            for r in debrief.reviews
        ],
        "contested": [
            {
                "id": f.id,
                "claim": f.claim,
                "versions": [
                    {"account": v.account, "source": v.source, "quote": v.quote} for v in f.versions
                ],
            }
            for f in debrief.contested
        ],
    }
