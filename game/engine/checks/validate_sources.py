"""Checks of a scenario's sources and what cites them: files readable, quotes verbatim,
contested facts with several versions, notes cited."""

from __future__ import annotations

import re
from collections.abc import Iterable

from game.engine.base.problems import did_you_mean
from game.engine.base.text import long_date
from game.engine.checks.context import Context
from game.engine.scenario.known import citation_from, note_from
from game.engine.scenario.model import Citation

MAX_QUOTE = 300


class SourceChecks:
    """Sources, citations, contested facts and notes."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def check_sources(self) -> None:
        for source in self.ctx.scenario.sources:
            if source.url and not re.match(r"https?://[^\s]+$", source.url):
                self.ctx.error(
                    source,
                    "url",
                    f"the address of source '{source.id}' is not a web address",
                    "write it in full, starting with https:// or http://",
                )
            if source.retrieved is not None and source.retrieved < source.published:
                self.ctx.error(
                    source,
                    "retrieved",
                    f"source '{source.id}' was retrieved before it was published",
                    "check both dates",
                )
            try:
                self.ctx.texts.text(source.file)
            except ValueError as error:
                self.ctx.error(source, "file", f"source file '{source.file}' is refused: {error}")
            except OSError as error:
                self.ctx.error(
                    source,
                    "file",
                    f"cannot read source file '{source.file}' in "
                    f"{self.ctx.texts.folder}: {error.strerror or error}",
                    "put the document in the seeds folder or fix the path",
                )
            except UnicodeDecodeError:
                self.ctx.error(
                    source,
                    "file",
                    f"source file '{source.file}' is not UTF-8 text",
                    "save it as UTF-8",
                )

    def check_citation(self, citation: Citation) -> None:
        source = self.ctx.scenario.source_by_id.get(citation.source)
        if source is None:
            self.ctx.error(
                citation,
                "source",
                f"unknown source '{citation.source}'",
                did_you_mean(citation.source, self.ctx.scenario.source_by_id),
            )
            return
        self.ctx.cited.add(source.id)
        if bool(citation.quote) == bool(citation.reported):
            self.ctx.error(
                citation,
                "quote" if citation.quote else "source",
                "a citation needs either 'quote' (the source's exact words) or 'reported' "
                "(what it says, in your words), not both",
                "use 'quote' for words copied from the document, 'reported' for a paraphrase",
            )
            return
        if citation.reported:
            if any(mark in citation.reported for mark in '"“”'):
                self.ctx.error(
                    citation,
                    "reported",
                    "a reported paraphrase must not contain quote marks",
                    "put the source's exact words in a 'quote' citation instead",
                )
            return
        if len(citation.quote) > MAX_QUOTE:
            self.ctx.warning(
                citation,
                "quote",
                f"the quote is {len(citation.quote)} characters "
                f"long; quotes should be short (at most {MAX_QUOTE})",
                "quote the key words and summarise the rest in your own words",
            )
        try:
            found = self.ctx.texts.find(source.file, citation.quote)
        except (OSError, ValueError):
            return  # already reported against the source
        if found is None:
            self.ctx.error(
                citation,
                "quote",
                f"the quote is not in source '{source.id}' ({source.file})",
                self._quote_hint(source.file, citation.quote),
            )

    def _quote_hint(self, file: str, quote: str) -> str:
        """How to fix a quote that is not verbatim: where it goes wrong, and what the source
        says there."""
        if "..." in quote or "\u2026" in quote:
            return (
                "a quote may not leave words out with '...': quote one unbroken passage, "
                "or cite two quotes"
            )
        nearest = self.ctx.texts.nearest(file, quote)
        if nearest is None:
            return "copy the words exactly from the document; none of them is in it"
        passage, differs = nearest
        named = []
        for ours, theirs in differs[:3]:
            if not ours:
                named.append(f"the source also has '{theirs}' there")
            elif not theirs:
                named.append(f"'{ours}' is not in the source there")
            else:
                named.append(f"'{ours}' where the source has '{theirs}'")
        more = f" (and {len(differs) - 3} more)" if len(differs) > 3 else ""
        return (
            f"the words that differ: {'; '.join(named)}{more}; "
            f"the nearest passage reads: \u201c{passage}\u201d"
        )

    def check_every_source_cited(self) -> None:
        for source in self.ctx.scenario.sources:
            if source.id not in self.ctx.cited:
                self.ctx.warning(
                    source, None, f"source '{source.id}' is never cited", "cite it or remove it"
                )

    def check_citations(self, citations: Iterable[Citation]) -> None:
        for citation in citations:
            self.check_citation(citation)

    def check_contested_and_notes(self) -> None:
        for fact in self.ctx.scenario.contested:
            if len(fact.versions) < 2:
                self.ctx.error(
                    fact,
                    "versions",
                    f"contested fact '{fact.id}' needs at least two versions",
                    "or state the fact plainly where it is used",
                )
            for version in fact.versions:
                self.check_citation(
                    Citation(
                        source=version.source,
                        quote=version.quote,
                        mark=version.mark,
                        marks=version.marks,
                    )
                )
            if len({v.source for v in fact.versions}) == 1 and len(fact.versions) > 1:
                self.ctx.warning(
                    fact,
                    "versions",
                    f"every version of '{fact.id}' comes from one source",
                    "a disagreement is between sources",
                )
        for note in self.ctx.scenario.notes:
            self.check_citations(note.citations)


class TimeChecks:
    """Nothing is known before its time: text shown on a day names no later day."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def check_not_before_its_time(self) -> None:
        scenario = self.ctx.scenario
        for point in scenario.points:
            shown = [("narrative", point.narrative), *(("choices", c.label) for c in point.choices)]
            shown += [("variants", v.text) for v in point.variants]
            shown += [("choices", v.text) for c in point.choices for v in c.variants]
            for key, text in shown:
                self.ctx.later_dates(point, key, text, point.date, "is shown before the decision")
            for citation in point.history.citations:
                quote = citation.quote or citation.reported
                self.ctx.later_dates(
                    citation, "quote", quote, point.date, "is shown with this decision's history"
                )
        for event in scenario.events:
            at = scenario.point_by_id.get(event.at or "") or scenario.moved_at.get(event.id)
            day = event.date or (at.date if at else None)
            if day is not None:
                texts = " ".join([event.title, event.text, *(v.text for v in event.variants)])
                self.ctx.later_dates(event, "text", texts, day, "is shown")
        if scenario.points:
            first = min(point.date for point in scenario.points)
            for note in scenario.notes:
                day = note_from(scenario, note) or first
                self.ctx.later_dates(note, "text", note.text, day, "can be read")
        self.check_known_since()
        self.check_map_places()

    def check_known_since(self) -> None:
        """A passage public before its document names no later day than its ``known_since``;
        a note shown from its own ``known_since`` cites only passages known by then."""
        scenario = self.ctx.scenario
        cited = [c for p in scenario.points for c in p.history.citations]
        cited += [c for e in scenario.events if e.history for c in e.history.citations]
        cited += [c for n in scenario.notes for c in n.citations]
        for citation in cited:
            if citation.known_since is not None:
                self.ctx.later_dates(
                    citation,
                    "quote" if citation.quote else "reported",
                    citation.quote or citation.reported,
                    citation.known_since.date,
                    "is known from (its known_since)",
                    "cite a passage that names no later day, or give a later known_since",
                )
                self.ctx.later_dates(
                    citation.known_since,
                    "reason",
                    citation.known_since.reason,
                    citation.known_since.date,
                    "is shown from (its known_since)",
                )
        for note in scenario.notes:
            if note.known_since is None:
                continue
            self.ctx.later_dates(
                note.known_since,
                "reason",
                note.known_since.reason,
                note.known_since.date,
                "is shown from (its known_since)",
            )
            for citation in note.citations:
                known = citation_from(scenario, citation)
                if known is None or known <= note.known_since.date:
                    continue
                self.ctx.error(
                    citation.known_since or citation,
                    "date" if citation.known_since else "source",
                    f"this passage is known only from {long_date(known)}, after "
                    f"{long_date(note.known_since.date)}, the day note '{note.id}' is shown "
                    "from (its known_since)",
                    "give the passage its own known_since (with its reason), or show the "
                    "note later",
                )

    def check_map_places(self) -> None:
        """A dated map place names words that stand on the map, on a day a decision can reach,
        for a reason that names no later day."""
        scenario = self.ctx.scenario
        lines = scenario.map.splitlines()
        last = max((point.date for point in scenario.points), default=None)
        for place in scenario.map_places:
            for label in place.labels:
                if not label.strip() or "\n" in label or not any(label in x for x in lines):
                    self.ctx.error(
                        place,
                        "labels",
                        f"map place '{place.name}': the words '{label}' are not on one line of "
                        "the map",
                        "copy the words exactly as they stand within one line of `map`",
                    )
            since = place.known_since
            if last is not None and since.date > last:
                self.ctx.error(
                    since,
                    "date",
                    f"map place '{place.name}' is shown from {long_date(since.date)}, after the "
                    f"last decision ({long_date(last)}): no student would see it before the "
                    "debrief",
                    "give the day the place became news, on or before the last decision",
                )
            self.ctx.later_dates(
                since, "reason", since.reason, since.date, "is shown from (its known_since)"
            )
