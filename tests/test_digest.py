"""The lean SHA-256 gives hashlib's digests, and the round's engine never loads OpenSSL."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys

import pytest

from game.engine.base.digest import sha256, sha256_hex


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 1000, "Ærø — ✓".encode()])
def test_same_digest_as_hashlib(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert sha256(data).digest() == hashlib.sha256(data).digest()


def test_incremental_update_matches() -> None:
    digest = sha256(b"first part, ")
    digest.update(b"second part")
    assert digest.hexdigest() == hashlib.sha256(b"first part, second part").hexdigest()


def test_loading_a_scenario_does_not_load_openssl() -> None:
    code = (
        "import sys\n"
        "from game.engine.records import catalog\n"
        "loaded = catalog.load('iran_pakistan_2024')\n"
        "assert len(loaded.sha256) == 64\n"
        "heavy = ('hashlib', '_hashlib', 'secrets', 'calendar')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    lean = any(importlib.util.find_spec(name) for name in ("_sha256", "_sha2"))
    assert result.stdout.strip() == ("[]" if lean else "['_hashlib', 'hashlib']")
