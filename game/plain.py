"""The plain-text front end: a round as numbered text on standard input and output.

For screen readers, terminals that cannot run full-screen programs, and scripted play
(``printf '1\\n2\\n' | flashpoint play SCENARIO --plain --role pakistan``). It drives the same
:class:`~game.engine.session.Session` as the Textual UI and saves after every decision.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from game.engine.debrief import debrief
from game.engine.loader import LoadedScenario
from game.engine.model import Citation, Contested, DecisionPoint, Event, Scenario
from game.engine.session import Session, Step
from game.engine.store import RoundStore
from game.engine.text import printable
from game.reports.debrief_report import debrief_document
from game.reports.writers import to_text

WIDTH = 78
HELP = (
    "Type the number of a choice, optionally followed by your reason "
    "(e.g. '2 we cannot appear weak'). Other commands: s = sources published so far, "
    "n = background notes, m = map, i = indicators, q = save and quit, ? = this help."
)


class EndOfInput(Exception):
    """Standard input ran out before the round ended."""


@dataclass
class PlainGame:
    """One round played over text streams."""

    loaded: LoadedScenario
    store: RoundStore
    reveal: str
    stdin: TextIO
    stdout: TextIO

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    # --- output helpers ---------------------------------------------------------------

    def say(self, text: str = "", indent: int = 0) -> None:
        """Write ``text`` wrapped to the page width, keeping paragraph breaks."""
        pad = " " * indent
        for paragraph in printable(text).split("\n"):
            lines = textwrap.wrap(
                paragraph, WIDTH - indent, break_on_hyphens=False, break_long_words=False
            ) or [""]
            self.stdout.write("".join(f"{pad}{line}\n" for line in lines))
        self.stdout.flush()

    def heading(self, text: str) -> None:
        self.say()
        self.say(text)
        self.say("-" * min(WIDTH, len(text)))

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        return line.strip()

    # --- the round --------------------------------------------------------------------

    def choose_role(self) -> str:
        """Ask which role to play."""
        roles = self.scenario.roles
        if len(roles) == 1:
            return roles[0].id
        self.heading("Choose your role")
        for number, role in enumerate(roles, start=1):
            self.say(f"{number}. {role.name}")
        while True:
            answer = self.ask(f"Role (1-{len(roles)}): ")
            if answer.isdigit() and 1 <= int(answer) <= len(roles):
                return roles[int(answer) - 1].id
            self.say(f"Please type a number from 1 to {len(roles)}.")

    def play(self, session: Session, resumed: bool = False) -> int:
        """Play ``session`` to its end or until input runs out; the exit status."""
        scenario, role = self.scenario, self.scenario.role_by_id[session.role]
        self.heading(f"{scenario.title} — {role.name}")
        if resumed:
            self.say(f"Continuing your round after {len(session.decisions)} decision(s).")
        else:
            self.say(role.briefing)
            for objective in role.objectives:
                self.say(f"* {objective}", indent=2)
            self.show_events(self._events_so_far(session))
        try:
            while not session.is_over:
                self.present(session)
                step = self.read_choice(session)
                self.store.save(session)
                self.show_step(step)
        except EndOfInput:
            session.abandon()
            self.store.record(session)
            path = self.store.save(session)
            self.say(f"Round saved to {path}. Continue it with --continue.")
            return 0
        self.finish(session)
        return 0

    def _events_so_far(self, session: Session) -> list[Event]:
        events = {e.id: e for e in self.scenario.events}
        return [events[e.event] for e in session.entries if e.kind == "event"]

    def present(self, session: Session) -> None:
        point = session.point
        assert point is not None
        phase = self.scenario.phase_by_id[point.phase].name
        self.heading(f"{point.date:%d %B %Y} · {phase} · {point.title}")
        self.say(point.narrative)
        self.say()
        self.show_indicators(session)
        self.say()
        for number, choice in enumerate(point.choices, start=1):
            self.say(f"{number}. {choice.label}", indent=2)

    def show_indicators(self, session: Session) -> None:
        for indicator in self.scenario.indicators:
            value = session.indicators[indicator.id]
            self.say(f"{indicator.name}: {value} (of {indicator.min}-{indicator.max})", indent=2)
        ladder = self.scenario.ladder
        self.say(
            f"Escalation: {session.current_rung.name} "
            f"(rung {session.rung_position + 1} of {len(ladder)})",
            indent=2,
        )

    def read_choice(self, session: Session) -> Step:
        point = session.point
        assert point is not None
        count = len(point.choices)
        while True:
            answer = self.ask(f"Your decision (1-{count}, ? for help): ")
            number, _, rationale = answer.partition(" ")
            if number.isdigit() and 1 <= int(number) <= count:
                return session.choose(point.choices[int(number) - 1].id, rationale)
            if not self.command(number.lower(), session):
                self.say(f"Please type a number from 1 to {count}, or ? for help.")

    def command(self, word: str, session: Session) -> bool:
        """Run a menu command; ``False`` if ``word`` is not one."""
        point = session.point
        assert point is not None
        if word in ("?", "h", "help"):
            self.say(HELP)
        elif word == "s":
            self.show_sources(point)
        elif word == "n":
            for note in self.scenario.notes:
                self.heading(note.title)
                self.say(note.text)
                self.show_citations(note.citations)
        elif word == "m":
            self.stdout.write(printable(self.scenario.map or "This scenario has no map.") + "\n")
        elif word == "i":
            self.show_indicators(session)
        elif word == "q":
            raise EndOfInput
        else:
            return False
        return True

    def show_sources(self, point: DecisionPoint) -> None:
        known = self.scenario.sources_known_on(point.date)
        self.heading(f"Sources published by {point.date:%d %B %Y}")
        if not known:
            self.say("None of the scenario's sources had been published yet.")
        for source in known:
            self.say(
                f"* {source.title} — {source.publisher}, {source.published:%d %B %Y} "
                f"({source.kind})",
                indent=2,
            )
            self.say(f"Reliability: {source.reliability}", indent=4)

    def show_step(self, step: Step) -> None:
        self.heading("What follows")
        self.say(step.choice.consequence)
        self.show_events(step.events)
        if self.reveal == "immediate":
            self.show_history(step.point)

    def show_events(self, events: Iterable[Event]) -> None:
        for event in events:
            self.heading(f"{event.actor}: {event.title}")
            self.say(event.text)

    def show_history(self, point: DecisionPoint) -> None:
        history = point.history
        self.heading("What actually happened")
        if history.choice:
            label = next(c.label for c in point.choices if c.id == history.choice)
            self.say(f"The government's actual course: {label}")
        else:
            self.say(f"Counterfactual: {point.counterfactual}")
        self.say(history.summary)
        self.show_citations(history.citations)
        for ident in point.contested:
            self.show_contested(self.scenario.contested_by_id[ident])

    def show_citations(self, citations: Iterable[Citation]) -> None:
        for citation in citations:
            source = self.scenario.source_by_id[citation.source]
            self.say(
                f"“{citation.quote}” — {source.publisher}, {source.title} "
                f"({source.published:%d %b %Y})",
                indent=2,
            )

    def show_contested(self, fact: Contested) -> None:
        self.say(f"Contested: {fact.claim}", indent=2)
        for version in fact.versions:
            source = self.scenario.source_by_id[version.source]
            self.say(
                f"- {version.account}, according to {source.publisher}: “{version.quote}”", indent=4
            )
        if fact.note:
            self.say(fact.note, indent=4)

    def finish(self, session: Session) -> None:
        """Record the result and print the debrief: each decision beside history."""
        path = self.store.record(session)
        self.say()
        self.stdout.write(to_text(debrief_document(debrief(session))))
        self.say()
        self.say(f"Result saved to {path}")
