"""A new seat, admitted under the class's caps: which limits are the class's, which a server's.

The class's (counted where the class is kept, so every server of the class counts the same,
atomically: :mod:`game.engine.records.class_caps`):

- the class size, ``--max-students``: students the class has (a seat never played is given
  back after ``--seat-expiry`` and counts no more);
- the names one client may make, ``--names-per-address``;
- the matches one student may hold a seat in (:data:`game.web.page.match_entry.MATCHES_PER_SEAT`)
  and the teacher's pairs.

Each server's own (they protect that process; behind a proxy each server counts its share):
connections per client and in all (:mod:`game.web.listen`), live-update streams
(:mod:`game.web.page.live`), wrong class codes and wrong PINs per client in a minute, rounds
and games started per seat in a minute, names that look like a classmate's (among the names
this server has met), and the terminal page's game processes.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from game.engine.records.class_caps import Caps, client_digest
from game.engine.records.classfolder import student_id
from game.web.admission import ASK_PIN
from game.web.class_storage import storage_of

if TYPE_CHECKING:
    from game.web.server import ClassServer

log = logging.getLogger("flashpoint.serve")


def caps_of(server: ClassServer) -> Caps:
    return Caps(server.settings.max_students, server.settings.names_per_client)


async def admit_new_seat(
    server: ClassServer, request: web.Request, client: str, name: str
) -> web.StreamResponse | str:
    """A new seat for ``name`` (already cleaned) from ``client``: its cookie value if the
    admission wrote its keys ("" if not yet), or the page refusing it. Raises ``OSError`` or
    ``ClassFolderError`` if the class cannot be written."""
    imitated = server.seats.look_alikes.imitated(student_id(name), name)
    if imitated is not None:
        log.warning("refused a name that looks like %s's, from %s", imitated, client)
        return server.join_page(
            request,
            409,
            name,
            f"That name looks the same as {imitated}'s, a student already in the "
            "class. Type your name with your keyboard's usual letters, or add your surname.",
        )
    digest = client_digest(server.settings.folder.code, client)
    admitted = await asyncio.to_thread(server.admit, name, digest, caps_of(server))
    verdict = admitted.verdict
    if verdict == "full":
        log.warning("class full: %s could not join", name)
        stored = storage_of(server) is not None  # the advice names how the class is kept
        limit = server.settings.max_students
        return server.render(request, "full.html", 503, limit=limit, stored=stored)
    if verdict == "names":
        log.warning("refused %s: %s has taken its share of names", name, client)
        return server.join_page(
            request,
            429,
            name,
            f"This computer has already joined the class under "
            f"{server.settings.names_per_client} names. Come back under one of them, or ask "
            "your teacher.",
        )
    if verdict == "known":  # another browser took the name a moment ago: theirs
        log.warning("refused %s's seat to %s (taken meanwhile)", name, client)
        return server.join_page(request, 403, name, ASK_PIN.format(name=name), pin=True)
    server.grant(client, name, made=True)
    log.info("%s joined (%d of %d seats)", name, admitted.students, server.settings.max_students)
    return admitted.cookie
