"""Checks of text variants: each condition is read like a branch's, and a variant no round
can show is reported."""

from __future__ import annotations

from game.engine.checks.context import Context
from game.engine.play.match_order import places
from game.engine.scenario.conditions import Precedence, can_hold
from game.engine.scenario.variants import worded_items


class VariantChecks:
    """Text that follows the round (``variants``)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def check_variants(self) -> None:
        """Compile every variant's condition."""
        for item, _ in worded_items(self.ctx.scenario):
            for variant in item.variants:
                self.ctx.compile(variant, variant.when)

    def check_variants_can_show(self, order: Precedence, follows: bool = False) -> None:
        """Warn about a variant whose condition can never hold where its text is shown, in
        any round or match (``order``: where they pass; ``follows``: what matches reach is not
        known, as a turn misses a point)."""
        for item, at in worded_items(self.ctx.scenario):
            for variant in item.variants:
                if variant.when in self.ctx.conditions and not any(
                    can_hold(variant.when, place, self.ctx.scenario, order)
                    for place in places(self.ctx.scenario, item, at)
                ):
                    self.ctx.warning(
                        variant,
                        "when",
                        f"condition '{variant.when}' can never hold at '{at}'",
                        "no round shows this wording; check the bounds and the points it names",
                        follows=follows,
                    )
