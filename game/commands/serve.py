"""``flashpoint serve``: the class plays in the browser; ``flashpoint class --live``: the
teacher watches the class folder the server writes."""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import socket
import sys
from pathlib import Path

from game.commands import OK, USAGE
from game.engine import catalog, loader
from game.engine.classfolder import ClassFolder, is_class_folder
from game.engine.problems import FlashpointError
from game.engine.store import default_home

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(args: argparse.Namespace) -> int:
    """Check the scenarios, prepare the class folder and serve until Ctrl+C."""
    from game.web.server import ClassServer, Settings

    if args.max_students < 1:
        print("error: --max-students must be at least 1", file=sys.stderr)
        return USAGE
    offered = tuple(catalog.resolve(name).resolve() for name in args.scenarios)
    for path in offered:
        loader.load(path)  # a broken scenario is reported now, not in 30 browsers
    folder_path = args.class_folder or default_home() / "classes" / dt.datetime.now().strftime(
        "%Y-%m-%d-%H%M"
    )
    folder = ClassFolder.open_or_create(
        folder_path.resolve(), tuple(str(p) for p in offered), args.reveal
    )
    matches = None
    if args.matches or args.pairs:
        from game.web.pairing import prepare

        scenario = loader.load(offered[0]) if offered else catalog.load("iran_pakistan_2024")
        matches = prepare(folder, scenario, args.deadline, args.pairs)
    settings = Settings(folder, offered, args.reveal, args.max_students, args.grace, matches)
    server = ClassServer(settings, args.host, args.port, args.public_url, announce=_announce)
    server.run()
    return OK


def _announce(server: object) -> None:
    from game.web.server import ClassServer

    assert isinstance(server, ClassServer)
    folder = server.settings.folder
    addresses = (
        [server.explicit_public_url]
        if server.explicit_public_url
        else _addresses(server.host, server.port)
    )
    lines = [
        "Flashpoint class is open.",
        "",
        *(f"  Students open:  {address}" for address in addresses),
        f"  Class code:     {folder.code}",
        f"  Seats:          {server.settings.max_students}",
        *(
            [
                f"  Head-to-head:   {len(server.settings.matches.assigned)} students paired "
                "by the teacher; the others pair by match code"
            ]
            if server.settings.matches is not None
            else []
        ),
        "",
        f"  Class folder:   {folder.path}",
        f"  Live view:      flashpoint class --live {folder.path}",
        f"  After the lesson: flashpoint class {folder.path}",
        "",
        "Press Ctrl+C to end the lesson (games in progress are saved).",
    ]
    if server.host in LOOPBACK:
        lines.insert(2, "  Only this computer can connect; use --host 0.0.0.0 for the class.")
    print("\n".join(lines), flush=True)


def _addresses(host: str, port: int) -> list[str]:
    """The addresses students can type: the machine's own for a wildcard host."""
    hosts = [host]
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding it
        hosts = []
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("10.254.254.254", 1))  # no packet is sent for UDP connect
                hosts.append(probe.getsockname()[0])
            except OSError:
                pass
        hosts = [h for h in hosts if not ipaddress.ip_address(h).is_loopback] or ["127.0.0.1"]
    return [f"http://{'[' + h + ']' if ':' in h else h}:{port}/" for h in hosts]


def live(folder: Path) -> int:
    """The teacher's live view of ``folder``."""
    from game.ui.live import LiveApp

    if not is_class_folder(folder):
        raise FlashpointError(
            f"{folder}: not a class folder; give the folder 'flashpoint serve' printed"
        )
    LiveApp(ClassFolder.read(folder)).run()
    return OK
