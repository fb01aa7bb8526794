"""Seat keys in the class folder: a seat's secret is kept only as its digest, a PIN admits
another browser once, wrong PINs are bounded per client and per seat (game.engine.records.seat_keys,
game.web.admission)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.seat_keys import (
    PIN_TRIES_PER_CLIENT,
    PIN_TRIES_PER_SEAT,
    PIN_WINDOW,
    PinTries,
    SeatKeys,
    parse_cookie,
)
from game.web.admission import Admission
from tests.test_matches import Clock


@pytest.fixture
def folder(tmp_path: Path) -> ClassFolder:
    return ClassFolder.open_or_create(tmp_path / "class", (), None)


def test_the_folder_keeps_only_the_secrets_digest(folder: ClassFolder) -> None:
    ana = folder.join("Ana")
    keys = SeatKeys(folder)
    cookie = keys.issue(ana.id)
    ident, secret = cookie.split(".", 1)
    assert ident == ana.id and parse_cookie(cookie) == (ana.id, secret)
    path = folder.path / "seats" / f"{ana.id}.json"
    text = path.read_text()
    assert secret not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(text)["pin"] == keys.pin(ana.id)
    assert SeatKeys(folder).holder(cookie) == ana.id  # another process (a restart) knows it
    assert keys.holder(f"{ana.id}.{secret[:-1]}x") is None
    assert keys.holder(f"{student_id('Ben')}.{secret}") is None
    assert keys.holder("") is None and keys.holder("../../etc.passwd") is None


def test_a_name_alone_gets_no_seat_another_browser_needs_the_pin(folder: ClassFolder) -> None:
    admission = Admission(folder)
    assert admission.claim("Ana", "", "", "10.0.0.1").kind == "new"
    folder.join("Ana")
    cookie = admission.seat_cookie(admission.claim("Ana", "", "", "10.0.0.1"))
    assert admission.claim("ana", cookie, "", "10.0.0.1").kind == "same"

    refused = admission.claim("Ana", "", "", "10.0.0.2")  # a classmate types her name
    assert refused.kind == "refused" and refused.ask_pin and refused.status == 403
    assert "ask your teacher for your PIN" in refused.message
    assert admission.claim("Ana", "", "000000x", "10.0.0.2").kind == "refused"

    pin = admission.keys.pin(student_id("Ana"))
    assert pin is not None and len(pin) == 6 and pin.isdigit()
    moved = admission.claim("Ana", "", pin, "10.0.0.3")  # Ana herself, in another browser
    assert moved.kind == "pin"
    new_cookie = admission.seat_cookie(moved)
    assert admission.holder(new_cookie) == student_id("Ana")
    assert admission.holder(cookie) is None  # the first browser lost the seat
    assert admission.keys.pin(student_id("Ana")) != pin  # a PIN read out is replaced once used
    assert admission.claim("Ana", "", pin, "10.0.0.4").kind == "refused"


def test_a_student_from_before_seat_keys_needs_the_pin_the_console_makes(
    folder: ClassFolder,
) -> None:
    folder.join("Ana")  # joined under a version without seat keys: no key file
    admission = Admission(folder)
    assert admission.claim("Ana", "", "", "10.0.0.1").kind == "refused"
    pin = admission.keys.pin(student_id("Ana"))  # the console shows it, making it
    assert pin is not None
    assert admission.claim("Ana", "", pin, "10.0.0.1").kind == "pin"
    assert SeatKeys(folder).pin(student_id("Nobody")) is None


def test_a_damaged_key_file_admits_nobody_without_a_pin(folder: ClassFolder) -> None:
    ana = folder.join("Ana")
    keys = SeatKeys(folder)
    cookie = keys.issue(ana.id)
    (folder.path / "seats" / f"{ana.id}.json").write_text('{"format": "flashpoint-seat"')
    assert keys.holder(cookie) is None
    assert Admission(folder).claim("Ana", cookie, "", "10.0.0.1").kind == "refused"
    pin = keys.new_pin(ana.id)
    assert Admission(folder).claim("Ana", cookie, pin, "10.0.0.1").kind == "pin"


def test_wrong_pins_are_bounded_per_seat_and_per_client(folder: ClassFolder) -> None:
    clock = Clock()
    admission = Admission(folder, clock)
    for name in ("Ana", "Ben", "Cem"):
        folder.join(name)
        admission.keys.issue(student_id(name))
    pin = admission.keys.pin(student_id("Ana"))
    assert pin is not None
    wrong = "999999" if pin != "999999" else "888888"
    for number in range(PIN_TRIES_PER_SEAT):  # from many addresses
        assert admission.claim("Ana", "", wrong, f"10.0.1.{number}").status == 403
    blocked = admission.claim("Ana", "", pin, "10.0.2.1")  # even the right PIN waits
    assert blocked.kind == "refused" and blocked.status == 429
    clock.now += PIN_WINDOW
    assert admission.claim("Ana", "", pin, "10.0.2.1").kind == "pin"

    tries = PinTries(clock)
    for number in range(PIN_TRIES_PER_CLIENT):  # one address, many seats
        assert tries.allowed("10.0.3.1", f"seat-{number}")
        tries.failed("10.0.3.1", f"seat-{number}")
    assert not tries.allowed("10.0.3.1", "another-seat")
    assert tries.allowed("10.0.3.2", "another-seat")
    clock.now += PIN_WINDOW
    assert tries.allowed("10.0.3.1", "another-seat")
    tries.failed("10.0.3.9", "seat-x")
    assert set(tries.by_client) == {"10.0.3.9"}  # the rest forgotten, not kept for ever
    assert set(tries.by_seat) == {"seat-x"}


def test_forgetting_a_seat_lets_nobody_in_with_its_old_cookie(folder: ClassFolder) -> None:
    ana = folder.join("Ana")
    keys = SeatKeys(folder)
    cookie = keys.issue(ana.id)
    keys.forget(ana.id)
    keys.forget(ana.id)  # twice is harmless
    assert keys.holder(cookie) is None


def test_the_cookie_is_secure_over_https_and_behind_a_trusted_proxy_only() -> None:
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from game.web.admission import COOKIE, secure_request, set_seat_cookie
    from game.web.guard import Clients, parse_proxies

    proxy = Clients(parse_proxies(["10.0.0.5"]))

    def request(headers: dict[str, str], remote: str) -> web.Request:
        made = make_mocked_request("POST", "/join", headers=headers)
        return made.clone(remote=remote)

    https = {"X-Forwarded-Proto": "https"}
    assert secure_request(request(https, "10.0.0.5"), proxy, None)
    assert not secure_request(request(https, "10.0.0.9"), proxy, None)  # anyone can say it
    assert not secure_request(request({}, "10.0.0.5"), proxy, None)
    assert secure_request(request({}, "10.0.0.9"), proxy, "https://class.example.org")
    response = web.Response()
    set_seat_cookie(response, "ana-0123456789.secret", secure=True)
    morsel = response.cookies[COOKIE]
    assert morsel["httponly"] and morsel["secure"] and morsel["samesite"] == "Strict"
    assert morsel["path"] == "/" and not morsel.get("max-age")  # gone when the browser closes
