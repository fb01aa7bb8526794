"""The ending and the debrief: each decision beside history, the curves, the contested facts."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from game.engine.debrief import Debrief, Review
from game.reports.debrief_report import verdict as report_verdict
from game.ui.literal import joined, literal
from game.ui.screens.base import GameScreen
from game.ui.widgets.record import contested_text, history_text


def verdict(review: Review) -> Text:
    """Whether a decision matched history, in the report's words, with a sign and a colour."""
    if review.historical is None:
        sign, colour = "◇", "yellow"
    else:
        sign, colour = ("✓", "green") if review.matches else ("✗", "red")
    return joined((f"{sign} {report_verdict(review)}", colour))


def review_text(debrief: Debrief, review: Review) -> Text:
    """One decision of the round, in full."""
    scenario = debrief.loaded.scenario
    point = review.point
    text = joined((f"{review.number}. {point.date:%d %B %Y} · {point.title}  ", "bold"))
    text.append_text(verdict(review))
    text.append_text(joined("\n", ("You chose: ", "bold"), review.chosen.label, "\n"))
    if review.decision.rationale:
        text.append_text(joined(("Your reason: ", "bold"), review.decision.rationale, "\n"))
    text.append_text(joined(("Consequence: ", "bold"), review.chosen.consequence, "\n"))
    for event in review.reactions:
        text.append_text(joined((f"{event.actor}: ", "bold"), event.title, "\n"))
    if not review.matches and review.chosen.counterfactual:
        text.append_text(
            joined(("Why your option was plausible: ", "bold"), review.chosen.counterfactual, "\n")
        )
    text.append_text(history_text(scenario, point))
    return text


BLOCKS = " ▁▂▃▄▅▆▇█"
CURVE_ROWS = 3


def curve_bars(curve: tuple[int, ...], top: int, colour: str) -> Text:
    """A bar chart of ladder positions, one bar per decision, on the ladder's own scale.

    Both curves share the scale (0 to the highest rung), so their heights compare; Textual's
    Sparkline scales each series to its own range, which would make them look alike.
    """
    eighths = [round(value / max(top, 1) * 8 * CURVE_ROWS) for value in curve]
    rows = []
    for row in reversed(range(CURVE_ROWS)):
        floor = 1 if row == 0 else 0  # the lowest rung still shows a sliver: a decision
        cells = [BLOCKS[min(8, max(floor, filled - row * 8))] * 4 for filled in eighths]
        rows.append(" ".join(cells))
    return Text("\n".join(rows) if curve else "no decisions", style=colour)


def curve_names(debrief: Debrief, curve: tuple[int, ...]) -> str:
    """A curve as the names of its rungs."""
    ladder = debrief.loaded.scenario.ladder
    return " → ".join(ladder[position].name for position in curve) or "no decisions"


class DebriefScreen(GameScreen):
    """The end of a round: the ending's assessment and the decision-by-decision comparison."""

    BINDINGS = [
        Binding("e", "export", "Export"),
        Binding("s", "app.sources_all", "All sources"),
        Binding("n", "app.notes", "Notes"),
        Binding("t", "app.title", "Title screen"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_game", "Quit"),
    ]

    def __init__(self, debrief: Debrief, result: Path | None) -> None:
        super().__init__()
        self.debrief = debrief
        self.result = result

    def compose(self) -> ComposeResult:
        debrief = self.debrief
        scenario = debrief.loaded.scenario
        ending = debrief.ending
        title = ending.title if ending else "Round not finished"
        yield from self.compose_notice()
        yield Static(
            joined((" Debrief: ", "bold"), (title, "bold"), (f"   ({debrief.role.name})", "dim")),
            id="heading",
        )
        with VerticalScroll(id="debrief"):
            if ending is not None:
                distance = (
                    "the historical outcome"
                    if ending.distance == 0
                    else f"{ending.distance} of 10 from what happened"
                )
                yield Static(
                    joined(
                        ending.text,
                        "\n\n",
                        ("Assessment: ", "bold"),
                        ending.assessment,
                        "\n",
                        ("Distance: ", "bold"),
                        distance,
                    ),
                    classes="block",
                )
            yield Static(
                joined(
                    ("Your decisions matched history ", "bold"),
                    f"{debrief.matched} of {len(debrief.reviews)} times. ",
                    ("Divergence: ", "bold"),
                    f"{debrief.divergence} of 100 ",
                    ("(0 = the historical path)", "dim"),
                ),
                classes="block",
            )
            yield Static("Escalation: yours and history's", classes="section", markup=False)
            top = len(scenario.ladder) - 1
            with Horizontal(id="curves"):
                with Vertical(classes="curve"):
                    yield Static("You", markup=False)
                    yield Static(curve_bars(debrief.curve, top, "cyan"), id="curve-you")
                with Vertical(classes="curve"):
                    yield Static("History", markup=False)
                    yield Static(
                        curve_bars(debrief.historical_curve, top, "green"), id="curve-history"
                    )
            yield Static(
                joined(
                    ("You: ", "bold"),
                    curve_names(debrief, debrief.curve),
                    "\n",
                    ("History: ", "bold"),
                    curve_names(debrief, debrief.historical_curve),
                ),
                classes="block dim-text",
            )
            yield Static("Decision by decision", classes="section", markup=False)
            for review in debrief.reviews:
                yield Static(review_text(debrief, review), classes="block review")
            if debrief.contested:
                yield Static("Where the sources disagree", classes="section", markup=False)
                for fact in debrief.contested:
                    yield Static(contested_text(scenario, fact), classes="block contested")
            if scenario.discussion:
                yield Static("Questions for discussion", classes="section", markup=False)
                yield Static(
                    literal("\n".join(f"• {q}" for q in scenario.discussion)), classes="block"
                )
            if self.result is not None:
                saved = f"{self.result.parent.name}/{self.result.name}"
                yield Static(
                    literal(f"Your result was saved in the data folder as {saved}.", "dim"),
                    classes="block",
                )
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#debrief", VerticalScroll).focus()

    def action_export(self) -> None:
        """Write the debrief as Markdown and HTML into the data folder's exports."""
        name = self.result.stem if self.result else "debrief"
        self.app.export_debrief(self.debrief, name)  # type: ignore[attr-defined]
