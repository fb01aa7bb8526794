"""The condition language: parsing, errors with positions, evaluation without eval."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from game.engine.scenario import expr


@dataclass
class Facts:
    values: dict[str, int] = field(default_factory=lambda: {"tension": 60, "standing": 20})
    rung: int = 2
    chosen: set[tuple[str, str]] = field(default_factory=lambda: {("p1", "strike")})
    seen: set[str] = field(default_factory=lambda: {"p1"})
    events: set[str] = field(default_factory=lambda: {"riot"})

    def indicator(self, name: str) -> int:
        return self.values[name]

    def ladder(self) -> int:
        return self.rung

    def chose(self, point: str, choice: str) -> bool:
        return (point, choice) in self.chosen

    def visited(self, point: str) -> bool:
        return point in self.seen

    def fired(self, event: str) -> bool:
        return event in self.events


RUNGS = {"calm": 0, "protest": 1, "strike": 2, "war": 3}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tension >= 60", True),
        ("tension > 60", False),
        ("tension >= 60 and standing < 10", False),
        ("tension >= 60 and not standing < 10", True),
        ("standing < 10 or chose(p1.strike)", True),
        ("chose(p1.talk)", False),
        ("visited(p1) and not visited(p2)", True),
        ("fired(riot)", True),
        ("ladder >= strike", True),
        ("ladder == war", False),
        ("(tension == 60 or false) and true", True),
        ("not not true", True),
        ("standing != -5", True),
        ("10 < tension", True),
    ],
)
def test_conditions_evaluate(text: str, expected: bool) -> None:
    condition = expr.compile_condition(expr.parse(text), RUNGS)
    assert condition(Facts()) is expected


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("", 0, "the condition is empty"),
        ("tension >", 9, "expected a value"),
        ("tension >> 5", 9, "expected a value but found '>'"),
        ("(tension > 5", 12, "expected ')'"),
        ("tension > 5 standing", 12, "unexpected 'standing'"),
        ("__import__('os')", 11, "unexpected '''"),
        ("os.system", 0, "'os.system' is not a name"),
        ("chose()", 6, "chose() needs a name"),
        ("tension > 5; rm -rf /", 11, "unexpected ';'"),
        ("chose(p1.x) > 3", 0, "'>' compares numbers"),
        ("x" * 600, 500, "longer than 500 characters"),
    ],
)
def test_parse_errors_say_where(text: str, position: int, message: str) -> None:
    with pytest.raises(expr.ExprError) as caught:
        expr.parse(text)
    assert message in caught.value.message
    assert caught.value.position == position


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(expr.ExprError, match="nested too deeply"):
        expr.parse("(" * 100 + "true" + ")" * 100)
    with pytest.raises(expr.ExprError, match="nested too deeply"):
        expr.parse("not " * 100 + "true")


def test_a_bare_value_is_not_a_condition() -> None:
    with pytest.raises(expr.ExprError, match="not a condition"):
        expr.compile_condition(expr.parse("tension"), RUNGS)


@pytest.mark.parametrize(
    ("condition", "hint"),
    [
        ("tension => 80", "did you mean '>='?"),
        ("tension =< 80", "did you mean '<='?"),
        ("tension = 80", "did you mean '=='?"),
        ("tension > 1 && pressure > 2", "did you mean 'and'?"),
        ("tension > 1 || pressure > 2", "did you mean 'or'?"),
        ("!visited(n1)", "did you mean 'not'"),
    ],
)
def test_operators_from_other_languages_get_the_one_meant(condition: str, hint: str) -> None:
    with pytest.raises(expr.ExprError) as error:
        expr.parse(condition)
    assert hint in error.value.hint
