"""What one browser may make the class server spend, counted per client.

A client is an address: an IPv4 address as it is, an IPv6 address by its /64 (one home or
device usually holds a whole /64, so counting addresses one by one would count nothing).
Behind a reverse proxy every student arrives from the proxy's address; when the teacher
names the proxy (``--trusted-proxy``), the client is the address the proxy forwarded in
``X-Forwarded-For``, and only then.

Counted here: wrong class codes (a code being checked counts before its form is read, so a
burst of requests that send their bodies late cannot get past the limit), and the server's own
names for the Host check (DNS rebinding). The names (seats) a client may make are the class's
count (:mod:`game.web.seat_caps`); ``names_per_client`` is kept here for the limits that scale
with it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

FAILED_CODES_PER_MINUTE = 10
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
CSP = (
    "default-src 'self'; script-src 'self'{nonce}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
log = logging.getLogger("flashpoint.serve")


def client_key(address: str | None) -> str:
    """The client an address counts as: IPv4 as is, IPv6 by its /64 (an IPv4 address
    mapped into IPv6 as the IPv4 address)."""
    text = (address or "?").split("%", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def parse_proxies(values: Iterable[str]) -> tuple[Network, ...]:
    """The teacher's ``--trusted-proxy`` addresses or networks; raises ValueError naming
    one that is neither."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"--trusted-proxy {value!r}: give the proxy's IP address (e.g. 10.0.0.5) "
                "or network (e.g. 10.0.0.0/24)"
            ) from None
    return tuple(networks)


def _in(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks if network.version == ip.version)


def secure(response: web.StreamResponse, nonce: str = "", cache: bool = False) -> None:
    """The security headers every answer carries (pages, redirects, errors, downloads)."""
    headers = response.headers
    headers["Content-Security-Policy"] = CSP.format(nonce=f" 'nonce-{nonce}'" if nonce else "")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"  # keeps the Origin header
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if not cache:
        headers["Cache-Control"] = "no-store"


class Clients:
    """Per-client counts of what a browser may spend, and who the client is."""

    def __init__(self, proxies: tuple[Network, ...] = (), names_per_client: int = 3) -> None:
        self.proxies = proxies
        self.names_per_client = names_per_client
        self.failures: dict[str, deque[float]] = {}
        self.checking: Counter[str] = Counter()
        """Codes being checked now (form not read yet), per client."""
        self.told: set[str] = set()
        """Addresses that sent X-Forwarded-For without being a trusted proxy (told once)."""

    def is_proxy(self, address: str | None) -> bool:
        return bool(self.proxies) and _in(address or "", self.proxies)

    def client(self, request: web.BaseRequest) -> str:
        """Who sent ``request``: the forwarded client if it came through a trusted proxy."""
        remote = request.remote or "?"
        if not self.is_proxy(remote):
            self._forwarded_untrusted(request, remote)
            return client_key(remote)
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed(hops):  # the proxy appends the address it saw, last
            if hop and not _in(hop, self.proxies):
                try:
                    ipaddress.ip_address(hop.split("%", 1)[0])
                except ValueError:
                    break
                return client_key(hop)
        return client_key(remote)

    def _forwarded_untrusted(self, request: web.BaseRequest, remote: str) -> None:
        """Tell the teacher once about an address that forwards requests (a proxy they have
        not named, perhaps: then every student counts as that one address)."""
        if "X-Forwarded-For" not in request.headers or remote in self.told or len(self.told) > 8:
            return
        self.told.add(remote)
        log.warning(
            "%s forwards requests (X-Forwarded-For): if it is your reverse proxy, start with "
            "--trusted-proxy %s, or every student counts as it",
            remote,
            remote,
        )

    # --- wrong codes ------------------------------------------------------------------------

    def _recent(self, client: str) -> int:
        recent = self.failures.get(client)
        if recent is None:
            return 0
        while recent and recent[0] < time.monotonic() - 60:
            recent.popleft()
        if not recent:
            del self.failures[client]  # forgotten: the table cannot grow without bound
        return len(recent)

    def may_try_code(self, client: str) -> bool:
        """Whether ``client`` may have a code checked now: its wrong codes in the last minute
        and the codes it has being checked together stay under the limit."""
        return self._recent(client) + self.checking[client] < FAILED_CODES_PER_MINUTE

    @contextmanager
    def checking_code(self, client: str) -> Iterator[None]:
        """Hold one of ``client``'s tries while its form is read and its code checked."""
        self.checking[client] += 1
        try:
            yield
        finally:
            self.checking[client] -= 1
            if self.checking[client] <= 0:
                del self.checking[client]

    def wrong_code(self, client: str) -> None:
        self.failures.setdefault(client, deque()).append(time.monotonic())


class Names:
    """The names this server answers to in the Host header: its own addresses and names,
    the public URL's, and the local address each connection reached (so a server on every
    interface answers to whichever of its addresses a student typed). A page on another
    domain that resolves to this server (DNS rebinding) sends its own name and is refused."""

    def __init__(self, host: str, public_url: str | None, extra: Iterable[str] = ()) -> None:
        names = set(LOCAL_NAMES) | {self.normal(name) for name in extra}
        if host not in ("", "0.0.0.0", "::"):  # noqa: S104 - naming the wildcard
            names.add(self.normal(host))
        if public_url:
            names.add(self.normal(urlsplit(public_url).hostname or ""))
        machine = socket.gethostname().lower()
        names |= {machine, f"{machine}.local", machine.split(".", 1)[0]}
        self.names = frozenset(n for n in names if n)

    @staticmethod
    def normal(name: str) -> str:
        return name.strip().strip("[]").rstrip(".").lower()

    def allowed(self, request: web.BaseRequest) -> bool:
        host = request.headers.get("Host", "")
        try:
            name = urlsplit(f"//{host}").hostname or ""
        except ValueError:
            return False
        name = self.normal(name)
        if name in self.names:
            return True
        transport = request.transport
        local: Any = transport.get_extra_info("sockname") if transport is not None else None
        return bool(local) and _same_address(name, str(local[0]))


def _same_address(first: str, second: str) -> bool:
    try:
        one, two = (ipaddress.ip_address(a.split("%", 1)[0]) for a in (first, second))
    except ValueError:
        return False
    one = getattr(one, "ipv4_mapped", None) or one
    two = getattr(two, "ipv4_mapped", None) or two
    return one == two
