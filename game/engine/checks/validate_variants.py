"""Checks of text variants: each condition is read like a branch's, and a variant no round
can show is reported."""

from __future__ import annotations

from game.engine.checks.validate_sources import TimeChecks
from game.engine.play.match_order import places
from game.engine.scenario.conditions import Precedence, can_hold
from game.engine.scenario.model import Located
from game.engine.scenario.variants import worded_items


class VariantChecks(TimeChecks):
    """Text that follows the round (``variants``)."""

    def compile(self, item: Located, text: str) -> None:
        """Parse, check and compile condition ``text`` (the validator provides it)."""
        raise NotImplementedError

    def check_variants(self) -> None:
        """Compile every variant's condition."""
        for item, _ in worded_items(self.scenario):
            for variant in item.variants:
                self.compile(variant, variant.when)

    def check_variants_can_show(self, order: Precedence, follows: bool = False) -> None:
        """Warn about a variant whose condition can never hold where its text is shown, in
        any round or match (``order``: where they pass; ``follows``: what matches reach is not
        known, as a turn misses a point)."""
        for item, at in worded_items(self.scenario):
            for variant in item.variants:
                if variant.when in self.conditions and not any(
                    can_hold(variant.when, place, self.scenario, order)
                    for place in places(self.scenario, item, at)
                ):
                    self.warning(
                        variant,
                        "when",
                        f"condition '{variant.when}' can never hold at '{at}'",
                        "no round shows this wording; check the bounds and the points it names",
                        follows=follows,
                    )
