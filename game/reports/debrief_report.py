"""One student's debrief as a document (text, Markdown, HTML) or as JSON data."""

from __future__ import annotations

from typing import Any

from game.engine.base.stats import CalendarKey, on_calendar
from game.engine.base.text import long_date, short_date
from game.engine.classroom.debrief import Debrief, Review
from game.engine.play.scoring import NO_MOVE
from game.engine.scenario.variants import Title
from game.reports.background import (
    FRAMING,
    background_section,
    framing_blocks,
    note_data,
    source_answer,
)
from game.reports.curves import Line, calendar_curves
from game.reports.document import Block, Bullets, Document, Heading, Paragraph
from game.reports.match_report import match_blocks, match_data
from game.reports.record_data import contested_data, source_data
from game.reports.round_blocks import (
    contested_blocks,
    decision_blocks,
    disputes_of,
    ending_label,
    event_date,
    read_at,
)

CURVE_NOTE = (
    "Each point is one decision at its in-game date, on the rung of the escalation ladder "
    "where the decision left the crisis (before the other side answered)."
)
DIVERGENCE_NOTE = (
    "Divergence runs from 0 (the historical path) to 100: half from the share "
    "of decisions that differ from what the government did, half from how far "
    "the ending lies from the historical outcome. It measures distance from history, "
    "not the quality of your decisions."
)


DISCUSS = "To discuss: "
LATE_VERDICT = f"{NO_MOVE} (an automatic move, not the student's: not scored)"


def verdict(review: Review) -> str:
    """Whether a decision matched history, in words (an automatic move is never scored)."""
    if review.fallback:
        return LATE_VERDICT
    if review.historical is None:
        return "not historical (this decision never arose)"
    return "matches what happened" if review.matches else "differs from what happened"


def opening_disputes(debrief: Debrief, review: Review) -> list[str]:
    """The disputes of the opening moves (shown with the first situation) that the first
    decision's record does not give: the debrief gives them in full before it, by rule, so
    an author need not list them at that decision too."""
    if review.number != 1:
        return []
    given = disputes_of(review.point, review.reactions)
    opening = dict.fromkeys(ident for event in debrief.opening for ident in event.contested)
    return [ident for ident in opening if ident not in given]


def review_blocks(debrief: Debrief, review: Review) -> list[Block]:
    """One decision, in full: the same blocks the outcome screen showed, with a verdict; the
    first, after the opening moves' disputes (:func:`opening_disputes`)."""
    point = review.point
    scenario = debrief.loaded.scenario
    opening = [ident for event in debrief.opening for ident in event.contested]
    return [
        Heading(f"{review.number}. {long_date(point.date)} — {debrief.words(Title(point))}", 3),
        Paragraph.of(("Verdict: ", "strong"), verdict(review)),
        *(
            block
            for ident in opening_disputes(debrief, review)
            for block in contested_blocks(scenario, scenario.contested_by_id[ident])
        ),
        *decision_blocks(
            debrief.loaded.scenario,
            point,
            review.chosen,
            review.decision.rationale,
            review.reactions,
            reveal=True,
            words=debrief.words,
            fallback=review.fallback,
            shown=frozenset(
                [
                    *(opening if review.number > 1 else ()),
                    *(
                        ident
                        for earlier in debrief.reviews[: review.number - 1]
                        for ident in disputes_of(earlier.point, earlier.reactions)
                    ),
                ]
            ),
        ),
        *([Paragraph.of((DISCUSS, "strong"), point.discuss)] if point.discuss else []),
    ]


def distance_words(distance: int) -> str:
    """How far an ending lies from what happened, in words a student reads without help."""
    if distance == 0:
        return "the historical outcome"
    return (
        f"not historical; {distance} on a scale from 0 (what happened) to 10 (the furthest from it)"
    )


def summary_blocks(debrief: Debrief) -> list[Block]:
    """The round on one screen, before the detail: the ending, the verdict at each decision
    and the escalation beside history's."""
    scenario = debrief.loaded.scenario
    ending = debrief.ending
    mine = on_calendar([r.point.date for r in debrief.reviews])
    real = on_calendar([p.date for p in debrief.historical_points])
    return [
        Heading("Summary"),
        Paragraph.of(
            ("Ending: ", "strong"),
            *(
                ((ending.title, "strong"), f" — {distance_words(ending.distance)}.")
                if ending is not None
                else ("the round was not finished.",)
            ),
        ),
        Paragraph.of(
            ("Decisions that matched history: ", "strong"),
            f"{debrief.matched} of {debrief.decided}. ",
            *(
                (("No move in time: ", "strong"), f"{debrief.late} (automatic, not scored). ")
                if debrief.late
                else ()
            ),
            ("Divergence: ", "strong"),
            "n/a (no decision of the student's own)."
            if debrief.divergence is None
            else f"{debrief.divergence} of 100.",
        ),
        Bullets(
            tuple(
                Paragraph.of(
                    f"{r.number}. {short_date(r.point.date)}, {debrief.words(Title(r.point))}: ",
                    (verdict(r), "strong"),
                )
                for r in debrief.reviews
            )
        ),
        calendar_curves(
            (
                Line("Your escalation", dict(zip(mine, map(float, debrief.curve), strict=True))),
                Line("History", dict(zip(real, map(float, debrief.historical_curve), strict=True))),
            ),
            tuple(r.name for r in scenario.ladder),
        ),
    ]


def debrief_document(debrief: Debrief) -> Document:
    """The debrief of one round."""
    scenario = debrief.loaded.scenario
    who = f" — {debrief.player}" if debrief.player else ""
    document = Document(f"Debrief: {scenario.title}{who}")
    ending = debrief.ending
    document.add(Paragraph.of(("Role: ", "strong"), debrief.role.name))
    document.add(*summary_blocks(debrief))
    document.add(Heading("Ending"))
    if ending is None:
        document.add(Paragraph.of("The round was not finished."))
    else:
        document.add(
            Paragraph.of((ending.title, "strong"), " — ", distance_words(ending.distance)),
            *ending_label(ending),
            Paragraph.of(debrief.words(ending)),
            Paragraph.of(("Assessment: ", "strong"), ending.assessment),
        )
        if ending.counterfactual:
            document.add(Paragraph.of(("Why it is plausible: ", "strong"), ending.counterfactual))
    document.add(*framing_blocks())
    document.add(
        Heading("Your path beside history"),
        Paragraph.of((DIVERGENCE_NOTE, "dim")),
        Paragraph.of((CURVE_NOTE, "dim")),
    )
    document.add(*match_blocks(debrief))
    document.add(Heading("Decision by decision"))
    for review in debrief.reviews:
        document.add(*review_blocks(debrief, review))
    document.add(*background_section(scenario))
    document.add(
        Heading("Sources"),
        Bullets(
            tuple(
                Paragraph.of(
                    (s.title, "strong"),
                    f" — {s.publisher}, {long_date(s.published)} ({s.kind}). ",
                    *source_answer(s),
                    read_at(s.url, s.retrieved),
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
    """The debrief as JSON-ready data, with everything the other formats show
    (schema: docs/debrief.schema.json)."""
    scenario = debrief.loaded.scenario
    words = debrief.words
    ending = debrief.ending
    mine = on_calendar([r.point.date for r in debrief.reviews])
    real = on_calendar([p.date for p in debrief.historical_points])
    return {
        "format": "flashpoint-debrief",
        "version": 2,
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "sha256": debrief.loaded.sha256,
        },
        "role": debrief.role.id,
        "role_name": debrief.role.name,
        "player": debrief.player,
        "ending": None
        if ending is None
        else {
            "id": ending.id,
            "title": ending.title,
            "distance": ending.distance,
            "historical": ending.distance == 0,
            "text": words(ending),
            "assessment": ending.assessment,
            "why_plausible": ending.counterfactual or None,
        },
        "matched": debrief.matched,
        "decisions_made": len(debrief.reviews),
        "in_time": debrief.decided,
        "no_move_in_time": debrief.late,
        "divergence": debrief.divergence,
        "divergence_note": DIVERGENCE_NOTE,
        "ladder": [rung.name for rung in scenario.ladder],
        "curve": _curve(mine, debrief.curve),
        "historical_curve": _curve(real, debrief.historical_curve),
        "decisions": [_review_data(debrief, r) for r in debrief.reviews],
        "contested": [contested_data(fact) for fact in debrief.contested],
        "sources": [
            {**source_data(source), "question": source.question or None}
            for source in scenario.sources
        ],
        "notes": [note_data(note) for note in scenario.notes],
        "framing": FRAMING,
        "discussion": list(scenario.discussion),
        "match": match_data(debrief) or None,
    }


def _curve(keys: list[CalendarKey], curve: tuple[int, ...]) -> list[dict[str, Any]]:
    return [
        {"date": day.isoformat(), "ordinal": number, "rung": rung}
        for (day, number), rung in zip(keys, curve, strict=True)
    ]


def _review_data(debrief: Debrief, review: Review) -> dict[str, Any]:
    words, point, chosen = debrief.words, review.point, review.chosen
    scenario = debrief.loaded.scenario
    plausible = chosen.counterfactual if not review.matches and chosen.counterfactual else None
    return {
        "number": review.number,
        "point": point.id,
        "title": words(Title(point)),
        "date": point.date.isoformat(),
        "historical_situation": not point.counterfactual,
        "why_situation_plausible": point.counterfactual or None,
        "situation": words(point),
        "choice": chosen.id,
        "label": words(chosen),
        "consequence": chosen.consequence,
        "verdict": verdict(review),
        "why_plausible": plausible,
        "historical_choice": review.historical.id if review.historical else None,
        "historical_label": words(review.historical) if review.historical else None,
        "matches": review.matches,
        "fallback": review.fallback,
        "rationale": review.decision.rationale,
        "seconds": review.decision.seconds,
        "reactions": [
            {
                "id": e.id,
                "actor": e.actor,
                "date": (event_date(scenario, e) or point.date).isoformat(),
                "title": e.title,
                "text": words(e),
                "historical": not e.counterfactual,
                "why_plausible": e.counterfactual or None,
            }
            for e in review.reactions
        ],
        "history": point.history.summary,
        "citations": [
            {"source": c.source, "quote": c.quote}
            if c.quote
            else {"source": c.source, "reported": c.reported}
            for c in point.history.citations
        ],
        "contested": list(point.contested),
        "discuss": point.discuss or None,
    }
