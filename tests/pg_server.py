"""A real PostgreSQL server for the suite: Debian's binaries, a cluster in a temporary folder,
reached only through a Unix socket in that folder (no TCP port), fsync off for speed.

Started once per test process (``postgres_url`` in conftest.py) and stopped at the end. As
root, the cluster belongs to the ``postgres`` user (or ``nobody``), which PostgreSQL requires.
Without the binaries the tests that need it are skipped, saying so, except under
``FLASHPOINT_REQUIRE_POSTGRES=1`` (``.ci/run``), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import random
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), reverse=True)
REQUIRED = os.environ.get("FLASHPOINT_REQUIRE_POSTGRES") == "1"
START_SECONDS = 60.0


@dataclass
class Server:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"postgresql://flashpoint@/postgres?host={self.folder}&port={self.port}"

    def stop(self, keep: bool = False) -> None:
        """Stop the server (a fast shutdown); its folder goes too unless ``keep``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def missing() -> str | None:
    """Why no server can be started here, or None."""
    if not BINARIES:
        return "no PostgreSQL server binaries (apt-get install postgresql)"
    return None


def _owner() -> str | None:
    """The user the cluster runs as: None (ourselves) unless we are root, which PostgreSQL
    refuses; then the ``postgres`` user, or ``nobody``."""
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            return user
    raise RuntimeError("running as root with neither a 'postgres' nor a 'nobody' user")


def start(folder: Path | None = None, port: int | None = None) -> Server:
    """A fresh cluster, running (or, given the ``folder`` and ``port`` of a stopped one, that
    one again); raises RuntimeError saying what went wrong."""
    bin_folder = BINARIES[0].parent
    if folder is not None and port is not None:
        return _run(bin_folder, folder, port)
    folder = Path(tempfile.mkdtemp(prefix="flashpoint-pg-"))
    user = _owner()
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data = folder / "data"
    initdb = [
        str(bin_folder / "initdb"),
        "-D",
        str(data),
        "-U",
        "flashpoint",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    ]
    done = subprocess.run(
        initdb, capture_output=True, text=True, timeout=120, check=False, user=user, cwd=folder
    )
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {done.stderr.strip()[-500:]}")
    return _run(bin_folder, folder, random.randint(20000, 60000))


def _run(bin_folder: Path, folder: Path, port: int) -> Server:
    user = _owner()
    data = folder / "data"
    settings = {
        "listen_addresses": "",
        "unix_socket_directories": str(folder),
        "port": str(port),
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "300",
        "shared_buffers": "32MB",
    }
    argv = [str(bin_folder / "postgres"), "-D", str(data)] + [
        arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")
    ]
    log = (folder / "server.log").open("ab")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, user=user, cwd=folder)
    server = Server(folder, port, process)
    socket = folder / f".s.PGSQL.{port}"
    deadline = time.monotonic() + START_SECONDS
    while not _ready(server, socket):
        if process.poll() is not None or time.monotonic() > deadline:
            text = (folder / "server.log").read_text(errors="replace")[-800:]
            server.stop()
            raise RuntimeError(f"PostgreSQL did not start: {text}")
        time.sleep(0.1)
    return server


def _ready(server: Server, socket: Path) -> bool:
    if not socket.exists():
        return False
    import psycopg

    try:
        psycopg.connect(server.url, connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True
