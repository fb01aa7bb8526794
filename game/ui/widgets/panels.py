"""The side panels of the decision screen: indicators, escalation ladder, timeline."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from game.engine.base.text import day_mon
from game.engine.play.playing import Playing
from game.engine.play.scoring import NO_MOVE
from game.engine.play.session import Decision
from game.engine.scenario.model import Indicator
from game.reports.round_blocks import NOT_HISTORICAL, event_date
from game.ui.literal import joined

BAR_WIDTH = 10


def bar(indicator: Indicator, value: int, width: int = BAR_WIDTH) -> Text:
    """A text bar for one indicator, coloured by whether high is good or bad."""
    span = indicator.max - indicator.min
    filled = round(width * (value - indicator.min) / span) if span else width
    colour = {"worse": "red", "better": "green"}.get(indicator.higher_is, "cyan")
    return joined(("█" * filled, colour), ("░" * (width - filled), "dim"), f" {value:>3}")


class IndicatorPanel(Static):
    """Each indicator's name and a bar."""

    def show(self, session: Playing) -> None:
        """Render ``session``'s indicators."""
        text = Text()
        for indicator in session.loaded.scenario.indicators:
            text.append_text(joined((indicator.name, "bold")))
            text.append("\n")
            text.append_text(bar(indicator, session.indicators[indicator.id]))
            text.append("\n")
        self.update(text)


class LadderPanel(Static):
    """The escalation ladder, highest rung first, with the current rung marked."""

    def show(self, session: Playing) -> None:
        """Render the ladder with ``session``'s current rung."""
        text = Text()
        ladder = session.loaded.scenario.ladder
        for position in reversed(range(len(ladder))):
            current = position == session.rung_position
            marker = "▶ " if current else "  "
            text.append_text(
                joined((marker + ladder[position].name, "bold reverse" if current else "dim"))
            )
            text.append("\n")
        self.update(text)


class TimelinePanel(Static):
    """What has happened so far: the student's decisions and the other side's moves."""

    def show(self, session: Playing) -> None:
        """Render ``session``'s entries, oldest first."""
        scenario = session.loaded.scenario
        events = {e.id: e for e in scenario.events}
        text = Text()
        automatic = session.automatic
        roles = {role.id: role.name for role in scenario.roles}
        for entry in session.entries:
            if isinstance(entry, Decision):
                point = scenario.point_by_id[entry.point]
                choice = next(c for c in point.choices if c.id == entry.choice)
                who = ("You: ", "bold")
                if entry.point in automatic:
                    who = (f"{NO_MOVE.capitalize()}, made for you: ", "bold yellow")
                elif entry.point in session.preset:  # before the match began: not the student's
                    who = (f"{roles.get(point.role, point.role)}, before the match: ", "bold")
                line = joined(
                    (f"{day_mon(point.date)} ", "dim"),
                    who,
                    session.words(choice),
                )
            else:
                event = events[entry.event]
                day = event_date(scenario, event)
                stamp = f"{day_mon(day)} " if day else ""
                tag = (NOT_HISTORICAL, "bold yellow") if event.counterfactual else ""
                line = joined((stamp, "dim"), tag, (f"{event.actor}: ", "bold"), event.title)
            text.append_text(line)
            text.append("\n")
        self.update(text if text.plain else Text("Nothing yet.", style="dim"))


class StatusLine(Static):
    """Indicators and the ladder in one line, for terminals too narrow for the side panel."""

    def show(self, session: Playing) -> None:
        """Render ``session``'s indicators and rung."""
        scenario = session.loaded.scenario
        parts = [f"{i.name} {session.indicators[i.id]}" for i in scenario.indicators]
        rung = f"{session.current_rung.name} ({session.rung_position + 1}/{len(scenario.ladder)})"
        self.update(joined(" · ".join(parts) + " · ", ("Ladder: ", "bold"), rung))
