"""The plain-text front end: a round as numbered text on standard input and output.

For screen readers, terminals that cannot run full-screen programs, and scripted play
(``printf '1\\n\\n2\\n\\n' | flashpoint play SCENARIO --plain --role pakistan``: each decision
is a number, then Enter or ``y`` to confirm, or a reason). It drives the same
:class:`~game.engine.seats.lifecycle.Round` as the full-screen game and shows the same blocks.
"""

from __future__ import annotations

import signal
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import TextIO

from game.engine.base.text import long_date, printable, sources_heading
from game.engine.classroom.debrief import debrief
from game.engine.play.playing import Playing
from game.engine.play.session import Fired, Step
from game.engine.scenario.known import map_known_at, notes_known_at, sources_known_at
from game.engine.scenario.model import Scenario, Source
from game.engine.scenario.variants import Title
from game.engine.seats.lifecycle import TERMINATING_SIGNALS, Round
from game.plain_outcome import Reading, disagreement, map_lines, outcome_lines
from game.plain_pacing import ClassEnded, LineReader, Pacer, TimeUp
from game.reports.background import notes_blocks, source_prompt
from game.reports.debrief_report import debrief_document
from game.reports.document import Block, Document, Heading
from game.reports.outcome_blocks import situation_dispute_blocks
from game.reports.pacing_words import ENDED, HELD, later
from game.reports.round_blocks import (
    event_block,
    situation_blocks,
)
from game.reports.spoken import SEPARATOR, spoken

WIDTH = 78
HELP = (
    "Type the number of a choice, optionally followed by your reason "
    "(e.g. '2 we cannot appear weak'), then confirm with Enter or y (or type your reason "
    "there; n chooses again). Other commands: s = sources published so far, s N = read "
    "source N, d = where the sources disagree about the opening moves, "
    "n = background notes, m = map, i = indicators, q = save and quit, ? = this help. "
    "After a decision (at a terminal): Enter continues, r repeats, d reads where the sources "
    "disagree, s N reads cited passage N with the sentences around it, s N all the document."
)


class EndOfInput(Exception):
    """Standard input ran out (or the student quit) before the round ended."""


class Terminated(EndOfInput):
    """SIGHUP or SIGTERM arrived: the round is left as abandoned."""


@contextmanager
def terminating_ends_input() -> Iterator[None]:
    """While playing, SIGHUP and SIGTERM end the round like the end of input does."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise Terminated(signal.Signals(signum).name)

    previous = {signum: signal.signal(signum, stop) for signum in TERMINATING_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@dataclass
class PlainGame:
    """Rounds played over text streams."""

    stdin: TextIO
    stdout: TextIO
    pauses: bool | None = None
    """Whether each section ends in a pause (Enter to continue, r to repeat); by default
    when a person types at a terminal, not when a script pipes the decisions in."""
    pacer: LineReader | None = None
    """The class's pacing while a round played in a class is shown (or a match seat's clock)."""
    deciding: bool = False
    sleep: Callable[[float], None] = time.sleep
    """How a game waiting for the teacher waits when it cannot watch its input (tests)."""
    pending: list[str] = field(default_factory=list)
    """Lines a script sent while its game waited for the teacher, read before any other."""
    """Whether the student is answering a decision (its time may run out meanwhile)."""

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

    def show(self, blocks: Sequence[Block]) -> None:
        """Blocks of a report, as a screen reader reads them (game.reports.spoken)."""
        self.write(spoken(blocks))

    def write(self, lines: list[str]) -> None:
        """Lines already wrapped."""
        self.stdout.write("".join(f"{line}\n" for line in lines))
        self.stdout.flush()

    def read_debrief(self, document: Document) -> None:
        """The debrief in sections, one decision after another, each ending in a pause."""
        part: list[Block] = [Heading(document.title, 1)]
        for block in document.blocks:
            if part and ((isinstance(block, Heading) and block.level <= 3) or disagreement(block)):
                self.say()
                self.section(spoken(part))
                part = []
            part.append(block)
        self.say()
        self.section(spoken(part))

    def heading(self, text: str) -> None:
        """A section's first line, after a blank one (no rule under it: a screen reader
        would read the rule aloud)."""
        self.say()
        self.say(text.replace(SEPARATOR, ", "))

    def section(self, lines: list[str], reading: Reading | None = None) -> None:
        """Write ``lines``, then (when pausing) wait: Enter continues, r repeats, and the
        outcome's own commands (disputes, cited passages) are read on request."""
        self.write(lines)
        if not self.pausing():
            if reading is not None:
                reading.unfold(self)
            return
        while True:
            extra = reading.prompt() if reading is not None else ""
            answer = self.ask(f"Enter to continue, r to repeat{extra}: ").lower()
            if not answer:
                return
            if answer == "r":
                self.write(lines)
            elif reading is None or not reading.command(self, answer):
                self.say("Press Enter to continue, or r to repeat.")

    def pausing(self) -> bool:
        return self.stdin.isatty() if self.pauses is None else self.pauses

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        if self.pending:
            line = self.pending.pop(0)
        elif self.pacer is not None and self.deciding:
            line = self.pacer.read_line()
        else:
            line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        return line.strip()

    # --- the round --------------------------------------------------------------------

    def choose_role(self, scenario: Scenario) -> str:
        """Ask which role to play; raises :class:`EndOfInput`."""
        roles = scenario.roles
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

    def play(self, played: Round, resumed: bool = False) -> int:
        """Play to the end or until input runs out; the exit status. Every way out of a
        round in progress (end of input, q, SIGHUP, SIGTERM) records it as abandoned."""
        session = played.session
        scenario = session.loaded.scenario
        role = scenario.role_by_id[session.role]
        self.heading(f"{scenario.title} — {role.name}")
        if resumed:
            self.say(f"Continuing your round after {len(session.decisions)} decision(s).")
        else:
            self.say(role.briefing)
            for objective in role.objectives:
                self.say(f"Objective: {objective}")
        pacer = self.pacer = Pacer(self, played, self.sleep) if played.pacing is not None else None
        if played.teacher_reveals:
            self.say(HELD)
        elif session.reveal == "debrief":
            self.say("What actually happened is revealed in the debrief, at the end.")
        try:
            with terminating_ends_input():
                self.section([])  # the briefing, then a pause before the first situation
                while not played.is_over:
                    step = self.decide(played, pacer)
                    if step is not None:
                        self.say()
                        lines = ["What followed", *outcome_lines(session, step, later(played))]
                        self.section(lines, Reading.of(session, step, later(played)))
                if pacer is not None and not pacer.await_debrief():
                    return 0
        except ClassEnded:
            played.leave()
            self.say(ENDED)
            return 0
        except EndOfInput:
            played.leave()
            if session.test:
                self.say("You left the test round; nothing was saved.")
                return 0
            where = played.saved_path or "the data folder"
            self.say(f"Round saved to {where}. Continue it with --continue.")
            return 0
        self.read_debrief(debrief_document(debrief(session)))
        self.say()
        if session.test:
            self.say("This was a test round: nothing was saved or recorded.")
        else:
            self.say(f"Result saved to {played.result_path or 'nowhere (see the warning above)'}")
        return 0

    def decide(self, played: Round, pacer: Pacer | None) -> Step | None:
        """One decision: shown (once the teacher has opened it), answered and taken; ``None``
        when nothing of the student's was taken (the move made at zero is shown here)."""
        session = played.session
        if pacer is None:
            self.present(session)
            return played.choose(*self.read_choice(session))
        pacer.await_open()
        if played.is_over:
            return None
        self.present(session)
        pacer.announce()
        self.deciding = True
        try:
            choice, rationale = self.read_choice(session)
        except TimeUp as up:
            pacer.time_up(up.step)
            return None
        finally:
            self.deciding = False
        return pacer.choose(choice, rationale)

    def present(self, session: Playing) -> None:
        point = session.point
        assert point is not None
        scenario = session.loaded.scenario
        phase = scenario.phase_by_id[point.phase].name
        self.heading(f"{long_date(point.date)} · {phase} · {session.words(Title(point))}")
        events = {e.id: e for e in scenario.events}
        arrived = [
            events[e.event] for e in session.entries if isinstance(e, Fired) and e.at == point.id
        ]
        if arrived:
            self.show([event_block(scenario, event, session.words) for event in arrived])
            self.say()
        disputes = situation_dispute_blocks(scenario, session.entries, point, session.preset)
        if disputes and self.pausing():  # under every reveal policy, as an outcome's: on d
            count = sum(1 for block in disputes if disagreement(block))
            self.say(f"Sources disagree on {count} point{'s' * (count != 1)}: type d to hear them.")
            self.say()
        elif disputes:  # a script reads them before the choice
            self.show(disputes)
            self.say()
        self.show(situation_blocks(point, session.words))
        self.say()
        self.show_indicators(session)
        self.say()
        for number, choice in enumerate(point.choices, start=1):
            self.say(f"{number}. {session.words(choice)}", indent=2)

    def show_indicators(self, session: Playing) -> None:
        scenario = session.loaded.scenario
        for indicator in scenario.indicators:
            value = session.indicators[indicator.id]
            self.say(f"{indicator.name}: {value} (of {indicator.min}-{indicator.max})", indent=2)
        self.say(
            f"Escalation: {session.current_rung.name} "
            f"(rung {session.rung_position + 1} of {len(scenario.ladder)})",
            indent=2,
        )

    def read_choice(self, session: Playing) -> tuple[str, str]:
        """Ask for a choice and its confirmation: the choice's id and the reason given."""
        point = session.point
        assert point is not None
        count = len(point.choices)
        while True:
            answer = self.ask(f"Your decision (1-{count}, ? for help): ")
            number, _, rationale = answer.partition(" ")
            if number.isdigit() and 1 <= int(number) <= count:
                choice = point.choices[int(number) - 1]
                self.say(f"You decide: {session.words(choice)}")
                reply = self.ask("Confirm with Enter or y, type your reason, or n to go back: ")
                if reply.lower() in ("n", "no"):
                    continue
                if reply.lower() not in ("", "y", "yes"):
                    rationale = reply
                return choice.id, rationale
            if not self.command(number.lower(), rationale, session):
                self.say(f"Please type a number from 1 to {count}, or ? for help.")

    def command(self, word: str, argument: str, session: Playing) -> bool:
        """Run a menu command; ``False`` if ``word`` is not one."""
        scenario = session.loaded.scenario
        point = session.point
        assert point is not None
        known = list(sources_known_at(scenario, point))
        if word in ("?", "h", "help"):
            self.say(HELP)
        elif word == "s" and argument:
            self.read_source(session, known, argument)
        elif word == "s":
            self.list_sources(known, sources_heading(point.date))
        elif word == "n":
            self.show(notes_blocks(scenario, notes_known_at(scenario, point), point.date))
        elif word == "m":
            self.write(map_lines(map_known_at(scenario, point)))
        elif word == "i":
            self.show_indicators(session)
        elif word == "d" and (
            disputes := situation_dispute_blocks(scenario, session.entries, point, session.preset)
        ):
            self.show(disputes)
        elif word == "q":
            raise EndOfInput
        else:
            return False
        return True

    def list_sources(self, known: list[Source], heading: str) -> None:
        self.heading(heading)
        if not known:
            self.say("None of the scenario's sources had been published yet.")
        for number, source in enumerate(known, start=1):
            self.say(
                f"{number}. {source.title} — {source.publisher}, {long_date(source.published)} "
                f"({source.kind})",
                indent=2,
            )
            self.say("".join(source_prompt(source, during_play=True)), indent=5)
        if known:
            self.say("Type s and a number (e.g. 's 1') to read a source.")

    def read_source(self, session: Playing, known: list[Source], argument: str) -> None:
        if not argument.isdigit() or not 1 <= int(argument) <= len(known):
            self.say(f"There is no source {argument[:20]}; type s to list them.")
            return
        source = known[int(argument) - 1]
        self.heading(f"{source.title} — {source.publisher}, {long_date(source.published)}")
        self.say(session.loaded.texts.text(source.file))
