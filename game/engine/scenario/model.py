"""The scenario model: immutable data read from a scenario file (format version 1).

Every attribute carries its documentation in ``meta(doc=...)``; the same classes drive the
reader (``game.engine.scenario.decode``), the JSON Schema (``game.engine.scenario.schema``) and the
checks that keep ``docs/scenario-format.md`` complete. Attributes named ``mark`` and ``marks``
record where each value stood in the file and are not part of the format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from game.engine.base.problems import Mark
from game.engine.scenario.fields import key_marks, located, meta
from game.engine.scenario.model_base import Expression as Expression
from game.engine.scenario.model_base import FileName as FileName
from game.engine.scenario.model_base import Id as Id
from game.engine.scenario.model_base import Located as Located
from game.engine.scenario.model_base import Text as Text
from game.engine.scenario.model_base import TimeOfDay as TimeOfDay
from game.engine.scenario.model_context import Citation as Citation
from game.engine.scenario.model_context import Contested as Contested
from game.engine.scenario.model_context import KnownSince as KnownSince
from game.engine.scenario.model_context import MapPlace as MapPlace
from game.engine.scenario.model_context import Note as Note
from game.engine.scenario.model_context import PointHistory as PointHistory
from game.engine.scenario.model_context import Record as Record
from game.engine.scenario.model_context import Version as Version
from game.engine.scenario.model_map import MapLayout
from game.engine.scenario.model_match import HeadToHead

FORMAT_VERSION = 1

SourceKind = Literal["encyclopedia", "wire", "news", "blog", "official", "academic", "other"]
Reveal = Literal["immediate", "debrief"]
Direction = Literal["worse", "better", "neutral"]


@dataclass(frozen=True, kw_only=True)
class Source(Located):
    """A document the scenario draws on, kept in the scenario's seeds folder."""

    id: Id = meta("Name used by citations.", example="cnn_2024_01_18")
    file: FileName = meta("Path of the document inside the seeds folder.", example="cnn.txt")
    title: Text = meta("The document's title.", example="Pakistan carries out military strikes")
    publisher: Text = meta("Who published it.", example="CNN Wire")
    published: dt.date = meta(
        "Publication date (YYYY-MM-DD). During play a source is offered only once the in-game "
        "date has reached it.",
        example="2024-01-18",
    )
    time: TimeOfDay = meta(
        "Time of day of publication (HH:MM, 24-hour), if known. A source with a time opens "
        "on its own day for a decision with a later `time`.",
        "",
        example="09:00",
    )
    kind: SourceKind = meta("What sort of document it is.", example="wire")
    reliability: Text = meta(
        "An honest note on how far to trust it, and why.",
        example="Wire report with named reporters; attributes each figure.",
    )
    question: Text = meta(
        "A question that leads students to judge the source themselves; shown during play in "
        "place of `reliability`, which then opens in the debrief as its answer.",
        "",
        example="Who wrote this, and does it say who gave each figure?",
    )
    author: Text = meta("Named authors, if any.", "", example="Azaz Syed, Helen Regan")
    date_note: Text = meta("How the publication date was established, if not given.", "")
    url: Text = meta("Where the document was read (http or https).", "", example="https://")
    retrieved: dt.date | None = meta("When it was read or saved (YYYY-MM-DD).", None)
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Phase(Located):
    """A stage of the crisis, such as the strike or the de-escalation."""

    id: Id = meta("Name used by decision points.", example="retaliation")
    name: Text = meta("Shown to players.", example="Retaliation")
    description: Text = meta("One line on what the phase is about.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Role(Located):
    """A seat a student can take, such as one government's leadership."""

    id: Id = meta("Name used by decision points.", example="pakistan")
    name: Text = meta("Shown on the role list.", example="Pakistan's leadership")
    briefing: Text = meta("What the student reads before the first decision.")
    start: Id = meta("The first decision point for this role.", example="pk_response")
    objectives: tuple[Text, ...] = meta("What this role is trying to achieve.", ())
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Indicator(Located):
    """A bounded number that choices and events move, such as tension."""

    id: Id = meta("Name used by effects and conditions.", example="tension")
    name: Text = meta("Shown to players.", example="Bilateral tension")
    start: int = meta("Value when a round begins.", example=40)
    min: int = meta("Lowest value; changes stop here.", 0)
    max: int = meta("Highest value; changes stop here.", 100)
    higher_is: Direction = meta("Whether a higher value is worse, better or neither.", "neutral")
    description: Text = meta("What the number stands for.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()

    def moved(self, value: int, change: int) -> int:
        """``value`` moved by ``change``, held within ``min``..``max`` (every effect's rule)."""
        return max(self.min, min(self.max, value + change))


@dataclass(frozen=True, kw_only=True)
class Rung(Located):
    """One step of the escalation ladder."""

    id: Id = meta("Name used by choices and events.", example="limited_strike")
    name: Text = meta("Shown to players.", example="Limited cross-border strike")
    description: Text = meta("What reaching this rung means.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Variant(Located):
    """Another wording of a text, for the rounds in which a condition holds."""

    when: Expression = meta(
        "The condition under which this wording is shown instead (same language as branches).",
        example="chose(pk_response, recall_and_bar)",
    )
    text: Text = meta("The wording shown when `when` holds.")
    counterfactual: Text = meta(
        "For a wording that describes what did not happen (in a historical point or event): "
        'why it is plausible. The text is then labelled "Not historical" wherever it is '
        "shown.",
        "",
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Branch(Located):
    """One possible destination of a choice, taken when its condition holds."""

    next: Id = meta("The decision point or ending this branch leads to.", example="pk_strike")
    when: Expression | None = meta(
        "Condition on indicators and earlier choices; leave it out on the last branch, "
        "which is taken when no earlier one holds.",
        None,
        example="tension >= 60",
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Choice(Located):
    """One option at a decision point."""

    id: Id = meta(
        "Name used by conditions (`chose(point.choice)`) and saves.", example="recall_ambassador"
    )
    label: Text = meta("The option as the student sees it.")
    consequence: Text = meta("What follows from it, shown after the choice.")
    rung: Id = meta(
        "The escalation-ladder rung this choice puts the crisis on.", example="diplomatic_protest"
    )
    effects: Mapping[Id, int] = meta(
        "Change to each indicator (indicator id: amount).",
        MappingProxyType({}),
        example={"tension": 10},
    )
    next: Id | None = meta("Where the choice leads; give either `next` or `branches`.", None)
    variants: tuple[Variant, ...] = meta(
        "Other wordings of `label` for some rounds; the first whose `when` holds is shown.", ()
    )
    branches: tuple[Branch, ...] = meta("Destinations chosen by conditions, first match wins.", ())
    counterfactual: Text = meta(
        "Why this option was plausible, for options the government did not take "
        "(required unless this is the historical choice or the point is counterfactual).",
        "",
    )
    seen_as: Id | None = meta(
        "In head-to-head, the event the other seat is shown when this choice is made.", None
    )
    in_match: Text = meta(
        "In head-to-head, what follows instead of `consequence`, where that tells how the "
        "other side answered: in a match the other student answers.",
        "",
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class DecisionPoint(Located):
    """A moment where the student's role must decide."""

    id: Id = meta("Name used by `next`, `start`, conditions and saves.", example="pk_response")
    phase: Id = meta("The crisis phase this decision belongs to.", example="diplomatic_response")
    date: dt.date = meta("In-game date (YYYY-MM-DD).", example="2024-01-17")
    time: TimeOfDay = meta(
        "In-game time of day (HH:MM, 24-hour), if it matters: a source of the same day with "
        "an earlier `time` is known at this decision.",
        "",
        example="22:00",
    )
    role: Id = meta("The role that decides here.", example="pakistan")
    title: Text = meta("A short heading.")
    title_variants: tuple[Variant, ...] = meta(
        "Other wordings of `title` for some rounds; the first whose `when` holds is shown.", ()
    )
    narrative: Text = meta("The situation as the student reads it.")
    variants: tuple[Variant, ...] = meta(
        "Other wordings of `narrative` for some rounds; the first whose `when` holds is shown.",
        (),
    )
    choices: tuple[Choice, ...] = meta("Two to five options.")
    history: PointHistory = meta("The historical record for this decision.")
    fallback: Id | None = meta(
        "The choice played for a student whose time ran out (teacher-paced); without it, "
        "history's choice if history is shown after each decision, else the first choice.",
        None,
    )
    contested: tuple[Id, ...] = meta("Contested facts to show with this decision.", ())
    counterfactual: Text = meta(
        "Why this situation is plausible, for points off the historical path.", ""
    )
    discuss: Text = meta("A question for discussing this decision, shown in debriefs.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Event(Located):
    """A move by the other side or the world, shown when the round reaches a point."""

    id: Id = meta("Name used by conditions (`fired(event)`) and saves.", example="ir_retaliates")
    at: Id | None = meta(
        "The decision point or ending on arrival at which the event fires; leave out for an "
        "event that only shows a student's move to the other seat (head-to-head `seen_as`).",
        None,
    )
    actor: Text = meta("Who acts.", example="Iran")
    title: Text = meta("A short heading.")
    title_variants: tuple[Variant, ...] = meta(
        "Other wordings of `title` for some rounds; the first whose `when` holds is shown.", ()
    )
    text: Text = meta("What happens.")
    variants: tuple[Variant, ...] = meta(
        "Other wordings of `text` for some rounds; the first whose `when` holds is shown.", ()
    )
    date: dt.date | None = meta("In-game date (YYYY-MM-DD), if different from the point's.", None)
    when: Expression | None = meta(
        "Condition for the event to fire; always fires without one.", None
    )
    effects: Mapping[Id, int] = meta("Change to each indicator.", MappingProxyType({}))
    rung: Id | None = meta("Ladder rung the crisis moves to when the event fires.", None)
    contested: tuple[Id, ...] = meta(
        "Contested facts the event's text bears on (a figure the sources give differently): "
        "shown with the event under every reveal policy.",
        (),
    )
    history: Record | None = meta("For events that happened: the record.", None)
    counterfactual: Text = meta("For events that did not happen: why they are plausible.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Ending(Located):
    """A final state of a round."""

    id: Id = meta("Name used by `next`.", example="managed_deescalation")
    title: Text = meta("Shown to the student.")
    text: Text = meta("What the outcome looks like.")
    variants: tuple[Variant, ...] = meta(
        "Other wordings of `text` for some rounds; the first whose `when` holds is shown.", ()
    )
    assessment: Text = meta("How to judge the outcome, for the debrief.")
    distance: int = meta(
        "How far it lies from what happened: 0 (the historical outcome) to 10.", example=0
    )
    counterfactual: Text = meta("Why the outcome is plausible, when distance is above 0.", "")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class Scenario(Located):
    """A whole scenario file."""

    format: int = meta("Format version; this is version 1.", example=1)
    id: Id = meta("Name used by saves and results.", example="iran_pakistan_2024")
    title: Text = meta("Shown on the title screen.")
    summary: Text = meta("Two or three sentences on what the scenario covers.")
    authors: tuple[Text, ...] = meta("Who wrote it.")
    reading_level: Text = meta("Who it is written for.", example="Upper secondary / first year")
    minutes: int = meta("About how long one round takes.", example=20)
    include: tuple[FileName, ...] = meta("Files whose lists join this file's (sources...).", ())
    phases: tuple[Phase, ...] = meta("The crisis phases, in order.")
    sources: tuple[Source, ...] = meta("The documents the scenario cites.")
    roles: tuple[Role, ...] = meta("Seats a student can take.")
    indicators: tuple[Indicator, ...] = meta("Bounded numbers that choices move.")
    ladder: tuple[Rung, ...] = meta("The escalation ladder, lowest rung first.")
    points: tuple[DecisionPoint, ...] = meta("The decision points.")
    endings: tuple[Ending, ...] = meta("The final states.")
    events: tuple[Event, ...] = meta("Moves by the other side or the world.", ())
    contested: tuple[Contested, ...] = meta("Facts the sources disagree on.", ())
    notes: tuple[Note, ...] = meta("Background notes.", ())
    discussion: tuple[Text, ...] = meta("Questions for the debrief.", ())
    learning_goals: tuple[Text, ...] = meta("What students should take away.", ())
    map: Text = meta("A text map of the places named (shown in a fixed-width font).", "")
    map_places: tuple[MapPlace, ...] = meta(
        "Places on `map` that name where the crisis happens, each hidden before its day.", ()
    )
    map_layout: MapLayout | None = meta(
        "A drawing of `map` for the class page (positions on a grid), shown beside its list.",
        None,
    )
    reveal: Reveal = meta(
        "When the game shows what actually happened: after each decision "
        "(`immediate`) or only in the debrief.",
        "immediate",
    )
    head_to_head: HeadToHead | None = meta("Two students, one seat each (optional).", None)
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()

    @cached_property
    def point_by_id(self) -> Mapping[str, DecisionPoint]:
        """Decision points by id."""
        return {p.id: p for p in self.points}

    @cached_property
    def choice_ids(self) -> Mapping[str, frozenset[str]]:
        """The ids of each point's choices."""
        return {p.id: frozenset(c.id for c in p.choices) for p in self.points}

    @cached_property
    def ending_by_id(self) -> Mapping[str, Ending]:
        """Endings by id."""
        return {e.id: e for e in self.endings}

    @cached_property
    def source_by_id(self) -> Mapping[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.sources}

    @cached_property
    def role_by_id(self) -> Mapping[str, Role]:
        """Roles by id."""
        return {r.id: r for r in self.roles}

    @cached_property
    def indicator_by_id(self) -> Mapping[str, Indicator]:
        """Indicators by id."""
        return {i.id: i for i in self.indicators}

    @cached_property
    def rung_index(self) -> Mapping[str, int]:
        """Each rung's position on the ladder, 0 for the lowest."""
        return {r.id: n for n, r in enumerate(self.ladder)}

    @cached_property
    def contested_by_id(self) -> Mapping[str, Contested]:
        """Contested facts by id."""
        return {c.id: c for c in self.contested}

    @cached_property
    def phase_by_id(self) -> Mapping[str, Phase]:
        """Phases by id."""
        return {p.id: p for p in self.phases}

    @cached_property
    def events_at(self) -> Mapping[str, tuple[Event, ...]]:
        """Events by the point or ending they fire at, in file order."""
        grouped: dict[str, list[Event]] = {}
        for event in self.events:
            if event.at is not None:
                grouped.setdefault(event.at, []).append(event)
        return {at: tuple(events) for at, events in grouped.items()}

    @cached_property
    def moved_at(self) -> Mapping[str, DecisionPoint]:
        """For each event a choice names in ``seen_as``, the point of that choice."""
        return {c.seen_as: p for p in self.points for c in p.choices if c.seen_as is not None}
