"""The class report's JSON: the text ``json.dumps(data, ensure_ascii=False, indent=2)`` writes,
encoded in C (msgspec)."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

_EXPONENT = re.compile(rb"(?:: |\n *)-?[0-9][0-9.]*e")
"""A number written with an exponent: a value (after ': ' or a new line's indent, where a
string starts with its quote) of digits then 'e'; text in a string may match too."""
_E_AFTER_DIGIT = re.compile(rb"e(?<=[0-9.]e)")
"""Where :data:`_EXPONENT` can end: an 'e' after a digit or a point (a search that starts
with a letter is fast; one that starts at every ': ' and indent of a report is not)."""


def class_json(data: dict[str, Any]) -> str:
    """``data`` as ``json.dumps(data, ensure_ascii=False, indent=2)`` writes it, encoded in C.

    The standard library's encoder is pure Python when it indents (a fifth of a 10,000-record
    report's time); msgspec encodes and indents the same text, except that it writes a float's
    exponent without its sign or leading zero (``1e20``, ``1e-9``). Where a value may be such
    a number (:func:`exponent_in`), or msgspec declines the data (a lone surrogate, an integer
    over 64 bits), the standard library writes it."""
    try:
        encoded = msgspec.json.format(msgspec.json.encode(data), indent=2)
    except (msgspec.EncodeError, TypeError, ValueError, OverflowError):  # and Unicode errors
        return json.dumps(data, ensure_ascii=False, indent=2)
    if exponent_in(encoded):
        return json.dumps(data, ensure_ascii=False, indent=2)
    return encoded.decode()


def exponent_in(encoded: bytes) -> bool:
    """Whether :data:`_EXPONENT` is found in ``encoded``: searched for only on the line
    before each 'e' it can end with, where a match must lie (it holds no new line but its
    first character). ``tests/test_class_json.py`` compares it with the plain search."""
    for found in _E_AFTER_DIGIT.finditer(encoded):
        end = found.end()
        if _EXPONENT.search(encoded, max(encoded.rfind(b"\n", 0, end), 0), end):
            return True
    return False
