"""``flashpoint serve``: the class plays in the browser; ``flashpoint class --live``: the
teacher watches the class folder the server writes."""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands import OK, USAGE
from game.engine.base.problems import FlashpointError
from game.engine.checks import loader
from game.engine.records import catalog
from game.engine.records.classfolder import ClassFolder, is_class_folder
from game.engine.records.store import default_home
from game.web.class_token import TOKEN_FILE as TOKEN_FILE
from game.web.class_token import class_token
from game.web.class_token import read_token as read_token
from game.web.class_token import write_token as write_token

if TYPE_CHECKING:
    from game.engine.records.storage import ClassStorage
    from game.ui.live import LiveApp
    from game.web.server import ClassServer

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(args: argparse.Namespace) -> int:
    """Check the scenarios, prepare the class folder and serve until Ctrl+C."""
    from game.web.guard import parse_proxies
    from game.web.server import ClassServer, Settings

    for option, value in (
        ("--max-students", args.max_students),
        ("--names-per-address", args.names_per_address),
    ):
        if value < 1:
            print(f"error: {option} must be at least 1", file=sys.stderr)
            return USAGE
    if not args.seat_expiry > 0:
        print("error: --seat-expiry must be a positive number of seconds", file=sys.stderr)
        return USAGE
    try:
        proxies = parse_proxies(args.trusted_proxy)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE
    page = args.page or "html"
    if args.database and page != "html":
        print(
            "error: --page terminal cannot serve a class kept in --database: each student's "
            "game would be a process of one server, with its rounds on that machine alone. "
            "Leave out --page terminal (the class page, the default, lets every server of "
            "the class answer every student), or leave out --database to serve the terminal "
            "page from a class folder",
            file=sys.stderr,
        )
        return USAGE
    token = os.environ.get("FLASHPOINT_TOKEN", "").strip()
    if args.database and token and len(token) < 16:
        print("error: FLASHPOINT_TOKEN must be at least 16 characters", file=sys.stderr)
        return USAGE
    offered = tuple(catalog.resolve(name).resolve() for name in args.scenarios)
    for path in offered:
        loader.load(path)  # a broken scenario is reported now, not in 30 browsers
    folder_path = args.class_folder or default_home() / "classes" / dt.datetime.now().strftime(
        "%Y-%m-%d-%H%M"
    )
    storage = None
    if args.database:
        from game.engine.records.storage import open_class
        from game.engine.records.stored_class import working_folder

        name = args.class_name or dt.date.today().isoformat()
        storage = open_class(args.database, None, name, tuple(str(p) for p in offered), args.reveal)
        folder = working_folder(storage, folder_path.resolve())
    else:
        folder = ClassFolder.open_or_create(
            folder_path.resolve(), tuple(str(p) for p in offered), args.reveal
        )
    matches = None
    if args.matches or args.pairs:
        from game.web.pairing import prepare

        scenario = loader.load(offered[0]) if offered else catalog.load("iran_pakistan_2024")
        matches = prepare(folder, scenario, args.deadline, args.pairs, storage)
    settings = Settings(
        folder,
        offered,
        args.reveal,
        args.max_students,
        args.grace,
        matches,
        seat_expiry=args.seat_expiry,
        names_per_client=args.names_per_address,
        trusted_proxies=proxies,
        page=page,
    )
    if storage is not None:
        from game.web.stored_server import DatabaseServer

        server: ClassServer = DatabaseServer(
            settings, storage, args.host, args.port, args.public_url, announce=_announce
        )
    else:
        server = ClassServer(settings, args.host, args.port, args.public_url, announce=_announce)
    try:  # one teacher token for every server of the class (FLASHPOINT_TOKEN on a database)
        server.shared_token = class_token(folder.path, storage, token if storage else "")
        server.run()
    finally:
        if storage is not None:
            storage.close()
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
        *_where(server),
        *(_teacher_lines(server, addresses[0]) if server.teacher is not None else []),
        f"  After the lesson: flashpoint class {_after(server)}",
        "",
        "Press Ctrl+C to end the lesson (games in progress are saved).",
    ]
    if server.host in LOOPBACK:
        lines.insert(2, "  Only this computer can connect; use --host 0.0.0.0 for the class.")
    print("\n".join(lines), flush=True)


def _teacher_lines(server: ClassServer, address: str) -> list[str]:
    """How the teacher starts the console and the projector; the token itself is written to a
    private file of the class folder, never printed here (the screen with the class code is
    the one a teacher shows the room)."""
    assert server.teacher is not None
    folder = server.settings.folder.path
    where = write_token(folder, server.teacher.token)
    return [
        f"  Teacher token:  in {where} (yours alone: never show that file)",
        f"  Console:        flashpoint teach {address} --class-folder {folder}",
        f"  Projector:      {address.rstrip('/')}/teacher/projector",
    ]


def _latest_token_folder() -> Path | None:
    """The newest class folder under the default classes folder that has a teacher token."""
    found = sorted(
        (path.stat().st_mtime, path.parent)
        for path in (default_home() / "classes").glob(f"*/{TOKEN_FILE}")
    )
    return found[-1][1] if found else None


def _where(server: ClassServer) -> list[str]:
    """Where the class is kept, and how the teacher watches it."""
    from game.web.class_storage import storage_of

    folder, storage = server.settings.folder, storage_of(server)
    if storage is None:
        return [
            f"  Class folder:   {folder.path}",
            f"  Live view:      flashpoint class --live {folder.path}",
        ]
    return [
        f"  Class kept in:  {storage.where}",
        f"  Working folder: {folder.path}",
        "  More servers:   the same --database and --class-name (they share the class's "
        "teacher token)",
    ]


def _after(server: ClassServer) -> str:
    from game.web.class_storage import storage_of

    storage = storage_of(server)
    if storage is None:
        return str(server.settings.folder.path)
    return "--database URL --class-name NAME (as given to serve)"


def _addresses(host: str, port: int) -> list[str]:
    """The addresses students can type: the machine's own for a wildcard host."""
    hosts = [host]
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding it
        # '::' listens on IPv6 and IPv4 alike (ClassServer.hosts): both are announced
        probes = [(socket.AF_INET, "10.254.254.254")]
        if host == "::":
            probes.append((socket.AF_INET6, "2001:db8::1"))
        hosts = [found for family, target in probes if (found := _route_to(family, target))]
        hosts = [h for h in hosts if not ipaddress.ip_address(h).is_loopback] or ["127.0.0.1"]
    return [f"http://{'[' + h + ']' if ':' in h else h}:{port}/" for h in hosts]


def _route_to(family: socket.AddressFamily, target: str) -> str | None:
    """This computer's address on the route to ``target`` (no packet is sent for a UDP
    connect), or None if there is none."""
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 1))
            address = str(probe.getsockname()[0]).split("%", 1)[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_link_local else address


def live(folder: Path, anonymize: bool = False) -> int:
    """The teacher's live view of ``folder`` (pseudonyms for names with ``anonymize``)."""
    from game.ui.live import LiveApp

    if not is_class_folder(folder):
        raise FlashpointError(
            f"{folder}: not a class folder; give the folder 'flashpoint serve' printed"
        )
    LiveApp(ClassFolder.read(folder), anonymize).run()
    return OK


def live_database(database: str, class_name: str | None, anonymize: bool = False) -> int:
    """The teacher's live view of a class kept in ``database`` (``serve --database``)."""
    from game.engine.records.storage import open_class

    name = class_name or dt.date.today().isoformat()
    storage = open_class(database, name=name, create=False)
    try:
        live_app(storage, anonymize).run()
    finally:
        storage.close()
    return OK


def live_app(storage: ClassStorage, anonymize: bool = False) -> LiveApp:
    """The live view of the class in ``storage``."""
    from game.engine.classroom.live_stored import StoredReader
    from game.engine.records.stored_class import StoredControlReader
    from game.ui.live import LiveApp

    folder = ClassFolder(Path("/", storage.code), storage.code, storage.scenarios, None)
    reader = StoredReader(folder, storage)
    return LiveApp(folder, anonymize, reader, storage.where, StoredControlReader(storage))


def teach(args: argparse.Namespace) -> int:
    """The teacher's console of the class served at ``args.url``."""

    from game.ui.console import ConsoleApp
    from game.ui.console_client import ConsoleClient, base_url

    token = (args.token or "").strip()
    if not token and args.class_folder is not None:
        token = read_token(args.class_folder)
    token = token or os.environ.get("FLASHPOINT_TOKEN", "").strip()
    if not token and (newest := _latest_token_folder()) is not None:
        token = read_token(newest)
    if not token:
        print(
            "error: give the class folder 'flashpoint serve' printed: --class-folder FOLDER "
            "(the teacher token is in its teacher-token file), or --token TOKEN "
            "(or set FLASHPOINT_TOKEN)",
            file=sys.stderr,
        )
        return USAGE
    try:
        base = base_url(args.url)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE
    ConsoleApp(ConsoleClient(base, token)).run()
    return OK
