"""What front ends read of a seat: a round of one student (:class:`Session`) or one seat of a
head-to-head match (:class:`game.engine.play.match.SeatView`) answer the same questions, so one
decision screen, one outcome screen and one plain-text front end serve both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from game.engine.play.session import Entry
    from game.engine.scenario.loaded import LoadedScenario
    from game.engine.scenario.model import DecisionPoint, Rung
    from game.engine.scenario.variants import Wording


class Playing(Protocol):
    """A seat in play, as the front ends read it."""

    @property
    def loaded(self) -> LoadedScenario: ...
    @property
    def role(self) -> str: ...
    @property
    def node(self) -> str: ...
    @property
    def point(self) -> DecisionPoint | None: ...
    @property
    def words(self) -> Wording: ...
    @property
    def indicators(self) -> dict[str, int]: ...
    @property
    def rung(self) -> str: ...
    @property
    def rung_position(self) -> int: ...
    @property
    def current_rung(self) -> Rung: ...
    @property
    def entries(self) -> list[Entry]: ...
    @property
    def reveals_history(self) -> bool: ...
    @property
    def is_over(self) -> bool: ...
    @property
    def test(self) -> bool: ...
    @property
    def automatic(self) -> frozenset[str]:
        """Points whose move was made for the seat (a match seat silent past the deadline):
        never shown as the student's choice."""
        ...

    @property
    def preset(self) -> frozenset[str]:
        """Points whose move the scenario made before the seat opened (a match's opening, such
        as Iran's strike before a match that starts the morning after): the government's move,
        never shown as the student's choice."""
        ...

    def facts_so_far(self) -> dict[str, tuple[str, ...]]: ...
