"""A PostgreSQL address from the teacher (``--database postgresql://...``): checked, connected
to with psycopg 3, and shown in messages without its password.

The address comes from a command line, so it is untrusted like any input: a malformed one, a
wrong scheme, a server that does not answer in :data:`CONNECT_SECONDS` or refuses the login
becomes a :class:`~game.engine.records.storage.StorageError` that names the address as
``postgresql://user@host:port/database`` and says what to check; the password never appears,
even where the driver's own message would repeat it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from game.engine.records.storage import StorageError

CONNECT_SECONDS = 5
SCHEMES = ("postgresql://", "postgres://")
INSTALL = "pip install 'flashpoint[postgresql]'"


@dataclass(frozen=True)
class Database:
    """A checked PostgreSQL address."""

    url: str
    shown: str
    """The address as messages show it: no password."""
    password: str

    @classmethod
    def parse(cls, url: str) -> Database:
        """The address ``url``; raises :class:`StorageError` in words."""
        if not url.startswith(SCHEMES):
            raise StorageError(
                "--database takes a PostgreSQL address such as "
                "postgresql://flashpoint@db.school.example/flashpoint "
                f"(it starts with {' or '.join(SCHEMES)})"
            )
        try:
            from psycopg.conninfo import conninfo_to_dict
        except ImportError:
            raise StorageError(
                f"PostgreSQL needs the psycopg driver, which is not installed: {INSTALL}"
            ) from None
        try:
            parts = conninfo_to_dict(url)
        except Exception:
            raise StorageError(
                "--database: that is not a valid PostgreSQL address (check its spelling: "
                "postgresql://USER:PASSWORD@HOST:PORT/DATABASE)"
            ) from None
        password = str(parts.get("password") or "")
        host = str(parts.get("host") or "localhost")
        port = f":{parts['port']}" if parts.get("port") else ""
        user = f"{parts['user']}@" if parts.get("user") else ""
        name = str(parts.get("dbname") or "")
        if "/" in host:  # a Unix socket folder
            shown = f"postgresql://{user}/{name} (socket in {host}{port})"
        else:
            shown = f"postgresql://{user}{host}{port}/{name}"
        return cls(url, _scrub(shown, password), password)

    def connect(self) -> Any:
        """A new connection (autocommit: each statement or ``transaction()`` block commits)."""
        import psycopg

        try:
            return psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=CONNECT_SECONDS,
                application_name="flashpoint",
            )
        except psycopg.Error as error:
            raise StorageError(
                f"cannot connect to the database {self.shown}: {self.reason(error)}; check the "
                "address, that the server runs and accepts this user, and the password"
            ) from None

    def reason(self, error: Exception) -> str:
        """The driver's message, first line, without the password."""
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        text = lines[0] if lines else type(error).__name__
        for line in lines[1:]:  # "connection failed: ..." is followed by the real reason
            if "failed" in text and len(text) < 200:
                text = f"{text} {line}"
        return _scrub(text, self.password)[:300]


def _scrub(text: str, password: str) -> str:
    return text.replace(password, "***") if password else text


@contextlib.contextmanager
def as_storage_error(database: Database) -> Iterator[None]:
    """Turn the driver's errors in the block into :class:`StorageError` naming ``database``."""
    import psycopg

    try:
        yield
    except psycopg.OperationalError as error:
        raise StorageError(
            f"lost the database {database.shown}: {database.reason(error)}; nothing was saved "
            "by this request, try again"
        ) from None
    except psycopg.Error as error:
        raise StorageError(
            f"the database {database.shown} refused a request ({type(error).__name__}: "
            f"{database.reason(error)})"
        ) from None
