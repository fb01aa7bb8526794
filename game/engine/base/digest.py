"""SHA-256 digests without loading OpenSSL.

``hashlib`` loads OpenSSL's ``libcrypto`` when it is imported: about 3.7 MiB of resident memory
and 2.5 ms, in every process that records a scenario's digest (every round, every ``validate``).
CPython also builds SHA-256 in (``_sha256`` up to 3.11, ``_sha2`` from 3.12); this module uses
that when it is there and falls back to ``hashlib`` otherwise. The standard library's ``random``
does the same for SHA-512 ("hashlib is pretty heavy to load, try lean internal module first").
The digests are the same, as ``tests/test_digest.py`` checks.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol, cast


class Hash(Protocol):
    """What a SHA-256 object offers."""

    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...

    def hexdigest(self) -> str: ...


def _lean() -> Callable[[bytes], Hash]:
    for module in ("_sha256", "_sha2"):
        try:
            return cast(Callable[[bytes], Hash], importlib.import_module(module).sha256)
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


sha256 = _lean()
"""A SHA-256 object of the given bytes, as ``hashlib.sha256`` makes."""


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hexadecimal."""
    return sha256(data).hexdigest()
