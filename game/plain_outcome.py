"""Plain mode's outcome of a decision, for a screen reader: the same outcome as the full-screen
game (:func:`game.reports.round_blocks.outcome`), read as lines, with numbered citations that
``s N`` reads at the quoted passage, and the disputes new to the round read on request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from game.engine.play.playing import Playing
from game.engine.play.session import Step
from game.engine.scenario.known import sources_known_at
from game.engine.scenario.map_text import map_names
from game.engine.scenario.model import Citation
from game.engine.scenario.sources import passage
from game.reports.document import Block, Paragraph
from game.reports.outcome_blocks import Outcome, disputes_before, outcome
from game.reports.round_blocks import HISTORY_LATER, SOURCES_DISAGREE
from game.reports.source_text import readable
from game.reports.spoken import around, spoken, wrap

if TYPE_CHECKING:
    from game.plain import PlainGame

LATER = "This document was published later; only the quoted words are shown until the debrief."
REPORTED = "This citation reports what the document says rather than quoting it."


def disagreement(block: Block) -> bool:
    """Whether ``block`` opens a dispute (read after a pause of its own)."""
    return (
        isinstance(block, Paragraph)
        and bool(block.spans)
        and (block.spans[0].text == SOURCES_DISAGREE)
    )


def outcome_of(session: Playing, step: Step, later: str = HISTORY_LATER) -> Outcome:
    """The outcome of ``step`` in ``session``, as every front end words it (``later``:
    where history held back is revealed)."""
    scenario = session.loaded.scenario
    reveal = session.reveals_history
    shown = disputes_before(scenario, session.entries, reveal, session.preset)
    as_of = session.point.date if session.point is not None else None
    role = scenario.role_by_id[session.role].name
    return outcome(scenario, step, reveal, role, shown, as_of, session.words, later)


def outcome_lines(session: Playing, step: Step, later: str = HISTORY_LATER) -> list[str]:
    """The outcome as lines, and what can be read next."""
    found = outcome_of(session, step, later)
    lines = spoken(found.blocks)
    if found.disputes:
        count = sum(1 for block in found.disputes if disagreement(block))
        lines += [
            "",
            f"Sources disagree on {count} point{'s' * (count != 1)}: type d to hear them.",
        ]
    if found.repeated:
        lines += ["", "Sources also disagree on: " + "; ".join(found.repeated) + " (read earlier)."]
    if found.citations:
        lines += ["", "Type s and a citation's number (s 1) to read the quoted passage."]
    return lines


@dataclass
class Reading:
    """What can be read at an outcome's pause: its disputes and its cited passages."""

    session: Playing
    found: Outcome

    @classmethod
    def of(cls, session: Playing, step: Step, later: str = HISTORY_LATER) -> Reading:
        return cls(session, outcome_of(session, step, later))

    def prompt(self) -> str:
        """The extra commands the pause offers."""
        extra = ", d for where sources disagree" if self.found.disputes else ""
        if self.found.citations:
            extra += ", s N to read cited passage N"
        return extra

    def unfold(self, game: PlainGame) -> None:
        """Without pauses (a script), everything that would be read on request."""
        if self.found.disputes:
            game.write(["", *spoken(self.found.disputes)])

    def command(self, game: PlainGame, answer: str) -> bool:
        """Read what ``answer`` asks for; ``False`` if it is not one of the pause's commands."""
        word, _, rest = answer.partition(" ")
        if word == "d" and self.found.disputes:
            game.write(spoken(self.found.disputes))
            return True
        number, _, whole = rest.partition(" ")
        if word != "s" or not number.isdigit():
            return False
        if not 1 <= int(number) <= len(self.found.citations):
            game.write([f"There is no citation {number[:8]}."])
            return True
        game.write(self.cited(self.found.citations[int(number) - 1], whole == "all"))
        return True

    def cited(self, citation: Citation, whole: bool) -> list[str]:
        """Citation ``citation``'s passage with the sentences around it, or (``whole``) the
        whole document; only the quoted words of a document published later."""
        found = cited_passage(self.session, citation, whole)
        notes = {
            "later": [LATER],
            "reported": [REPORTED, "Type s N all to hear all of it."],
            "passage": ["Type s N all to hear the whole document."],
            "whole": [],
        }[found.kind]
        return [found.heading, *wrap(found.text), *notes]


@dataclass(frozen=True)
class Cited:
    """What a student may read of a cited document now."""

    heading: str
    text: str
    kind: Literal["later", "reported", "passage", "whole"]
    """'later': only the quoted words (the document was published after the round's date);
    'reported': what the citation reports; 'passage': the quote with the sentences around
    it; 'whole': the whole document."""


def cited_passage(session: Playing, citation: Citation, whole: bool) -> Cited:
    """Citation ``citation``'s document as the student may read it at the round's date, for
    plain mode and the class page alike."""
    scenario = session.loaded.scenario
    source = scenario.source_by_id[citation.source]
    heading = f"{source.title} — {source.publisher}"
    known = {s.id for s in sources_known_at(scenario, session.point)}
    text = readable(session.loaded.texts.text(source.file))
    if session.point is not None and source.id not in known:
        return Cited(f"{source.publisher}:", passage(text, citation.quote), "later")
    if whole:
        return Cited(heading, text, "whole")
    if not citation.quote:
        return Cited(heading, citation.reported, "reported")
    return Cited(heading, around(text, citation.quote) or citation.quote, "passage")


def map_lines(drawing: str) -> list[str]:
    """A text map as a list of what it names, one place a line, with the distances it gives:
    the drawing's lines, dots, rules and markers are left out."""
    names = map_names(drawing)
    if not names:
        return ["This scenario has no map."]
    title, *places = names
    return [f"{title}. It names:", *(f"{text}." for text in places)]
