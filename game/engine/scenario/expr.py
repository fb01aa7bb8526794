"""The scenario condition language: parsed here, compiled to closures, never ``eval``-ed.

Grammar (``docs/scenario-format.md#conditions``)::

    condition  := either ("or" either)*
    either     := negation ("and" negation)*
    negation   := "not" negation | comparison
    comparison := value (("<" | "<=" | ">" | ">=" | "==" | "!=") value)?
    value      := NUMBER | NAME | "true" | "false" | call | "(" condition ")"
    call       := (NAME ".")? ("chose" | "visited" | "fired") "(" NAME ("." NAME)? ")"

A NAME is an indicator, ``ladder`` (the current rung's position) or, compared with ``ladder``,
a rung id. ``chose(point.choice)``, ``visited(point)`` and ``fired(event)`` ask about the round
so far. In a head-to-head turn's routes each call names its seat: ``iran.chose(point.choice)``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast

MAX_LENGTH = 500
"""Longest condition accepted; a condition is a line, not a program."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(
    rf"\s*(?:(?P<num>-?\d+)|(?P<name>{_NAME}(?:\.{_NAME})?)"
    r"|(?P<op><=|>=|==|!=|<|>)|(?P<punct>[()]))"
)
_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
CALLS = ("chose", "visited", "fired")
_KEYWORDS = ("and", "or", "not", "true", "false", "ladder", *CALLS)


class Facts(Protocol):
    """What a condition may ask about a round in progress."""

    def indicator(self, name: str) -> int: ...
    def ladder(self) -> int: ...
    def chose(self, point: str, choice: str) -> bool: ...
    def visited(self, point: str) -> bool: ...
    def fired(self, event: str) -> bool: ...


class Seated(Facts, Protocol):
    """The facts of a head-to-head match: each seat's own, for calls that name a seat."""

    def seat(self, name: str) -> Facts: ...


class ExprError(ValueError):
    """A condition that cannot be read; ``position`` counts characters from 0."""

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Number:
    value: int
    position: int


@dataclass(frozen=True, slots=True)
class Name:
    """An indicator, ``ladder`` or a rung id; which one is settled when checked."""

    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Truth:
    value: bool
    position: int


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    target: str
    position: int
    seat: str = ""
    """The seat asked about (head-to-head routes), or "" for the round's own student."""


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    position: int


@dataclass(frozen=True, slots=True)
class Logic:
    op: str
    left: Expr
    right: Expr
    position: int


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Number | Name
    right: Number | Name
    position: int


Expr = Number | Name | Truth | Call | Not | Logic | Compare


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    position: int


_SLIPS = (
    ("=>", "did you mean '>='?"),
    ("=<", "did you mean '<='?"),
    ("=", "did you mean '=='? (a single '=' does not compare)"),
    ("&", "did you mean 'and'?"),
    ("|", "did you mean 'or'?"),
    ("!", "did you mean 'not' (or '!=')?"),
)
"""Operators from other languages, and what this one writes instead."""


def _slip(found: str) -> str:
    """The hint for an unexpected character: the operator meant, if it is a common slip."""
    for written, hint in _SLIPS:
        if found.startswith(written):
            return hint
    return "conditions use names, numbers, comparisons, and/or/not, and chose()/visited()/fired()"


def _tokens(text: str) -> list[_Token]:
    if len(text) > MAX_LENGTH:
        raise ExprError(
            f"the condition is longer than {MAX_LENGTH} characters",
            MAX_LENGTH,
            "split the logic across branches",
        )
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        found = _TOKEN.match(text, position)
        if not found:
            start = len(text) - len(text[position:].lstrip())
            raise ExprError(f"unexpected '{text[start]}'", start, _slip(text[start : start + 2]))
        kind = found.lastgroup or ""
        start = found.start(kind)
        tokens.append(_Token(kind, found.group(kind), start))
        position = found.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    @property
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> _Token:
        token = self.take()
        if token.text != text:
            shown = f"'{token.text}'" if token.text else "the end"
            raise ExprError(f"expected '{text}' but found {shown}", token.position)
        return token

    def condition(self) -> Expr:
        self.depth += 1
        if self.depth > 32:
            raise ExprError("the condition is nested too deeply", self.peek.position)
        left = self.either()
        while self.peek.text == "or":
            token = self.take()
            left = Logic("or", left, self.either(), token.position)
        self.depth -= 1
        return left

    def either(self) -> Expr:
        left = self.negation()
        while self.peek.text == "and":
            token = self.take()
            left = Logic("and", left, self.negation(), token.position)
        return left

    def negation(self) -> Expr:
        if self.peek.text == "not":
            token = self.take()
            self.depth += 1
            if self.depth > 32:
                raise ExprError("the condition is nested too deeply", token.position)
            operand = self.negation()
            self.depth -= 1
            return Not(operand, token.position)
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.value()
        if self.peek.kind != "op":
            return left
        token = self.take()
        right = self.value()
        for side in (left, right):
            if not isinstance(side, Number | Name):
                raise ExprError(
                    f"'{token.text}' compares numbers, indicators or the ladder", side.position
                )
        assert isinstance(left, Number | Name) and isinstance(right, Number | Name)
        return Compare(token.text, left, right, token.position)

    def value(self) -> Expr:
        token = self.take()
        if token.kind == "num":
            return Number(int(token.text), token.position)
        if token.text == "(":
            inner = self.condition()
            self.expect(")")
            return inner
        if token.text in ("true", "false"):
            return Truth(token.text == "true", token.position)
        seat, _, function = token.text.rpartition(".")
        if function in CALLS and (not seat or self.peek.text == "("):
            self.expect("(")
            target = self.take()
            if target.kind != "name":
                raise ExprError(f"{function}() needs a name inside the brackets", target.position)
            self.expect(")")
            return Call(function, target.text, token.position, seat)
        if token.kind == "name" and token.text not in _KEYWORDS[:3]:
            if "." in token.text:
                raise ExprError(
                    f"'{token.text}' is not a name",
                    token.position,
                    f"to ask about an earlier choice write chose({token.text})",
                )
            return Name(token.text, token.position)
        shown = f"'{token.text}'" if token.text else "the end of the condition"
        raise ExprError(f"expected a value but found {shown}", token.position)


def parse(text: str) -> Expr:
    """The tree of a condition; raises :class:`ExprError` with the position of the mistake."""
    parser = _Parser(text)
    if parser.peek.kind == "end":
        raise ExprError("the condition is empty", 0, "write a condition or leave 'when' out")
    tree = parser.condition()
    if parser.peek.kind != "end":
        token = parser.peek
        raise ExprError(
            f"unexpected '{token.text}'", token.position, "join conditions with 'and' or 'or'"
        )
    return tree


def walk(tree: Expr) -> list[Expr]:
    """Every node of ``tree``, parents first."""
    nodes: list[Expr] = [tree]
    for node in nodes:
        if isinstance(node, Not):
            nodes.append(node.operand)
        elif isinstance(node, Logic | Compare):
            nodes.extend((node.left, node.right))
    return nodes


def compile_condition(tree: Expr, rungs: dict[str, int]) -> Callable[[Facts], bool]:
    """A closure that evaluates ``tree``; names must already have been checked."""
    if isinstance(tree, Truth):
        value = tree.value
        return lambda _facts: value
    if isinstance(tree, Not):
        inner = compile_condition(tree.operand, rungs)
        return lambda facts: not inner(facts)
    if isinstance(tree, Logic):
        left, right = compile_condition(tree.left, rungs), compile_condition(tree.right, rungs)
        if tree.op == "and":
            return lambda facts: left(facts) and right(facts)
        return lambda facts: left(facts) or right(facts)
    if isinstance(tree, Call):
        return _compile_call(tree)
    if isinstance(tree, Compare):
        compare = _COMPARE[tree.op]
        left_value = _compile_value(tree.left, rungs)
        right_value = _compile_value(tree.right, rungs)
        return lambda facts: compare(left_value(facts), right_value(facts))
    raise ExprError(
        "a number or a name alone is not a condition",
        tree.position,
        "compare it, as in 'tension >= 60'",
    )


def _compile_call(tree: Call) -> Callable[[Facts], bool]:
    if tree.seat:
        seat, own = tree.seat, _compile_call(Call(tree.function, tree.target, tree.position))
        return lambda facts: own(cast(Seated, facts).seat(seat))
    target = tree.target
    if tree.function == "chose":
        point, _, choice = target.partition(".")
        return lambda facts: facts.chose(point, choice)
    if tree.function == "visited":
        return lambda facts: facts.visited(target)
    return lambda facts: facts.fired(target)


def _compile_value(node: Number | Name, rungs: dict[str, int]) -> Callable[[Facts], int]:
    if isinstance(node, Number):
        number = node.value
        return lambda _facts: number
    if node.name == "ladder":
        return lambda facts: facts.ladder()
    if node.name in rungs:
        position = rungs[node.name]
        return lambda _facts: position
    name = node.name
    return lambda facts: facts.indicator(name)
