"""A class folder: what ``flashpoint serve`` writes and the live view and class report read.

Layout::

    CLASS/class.json                    the class code and the teacher's settings
    CLASS/students/<student id>/        one data folder per student (saves/, results/)
    CLASS/students/<student id>/student.json   the name the student typed and when they joined

A student's id comes from their name (so the same name and code find the same folder again),
but the folder name holds only ASCII letters, digits and a digest: nothing a student types can
name a path outside the class folder.

Everything in it is its owner's alone (folders 0700, files 0600): the class code, the students'
names and rationales and the sealed moves are read by the server and the teacher, nobody else.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.engine.base.digest import sha256_hex
from game.engine.base.problems import FlashpointError
from game.engine.base.safefile import PRIVATE_FOLDER, private_folder, read_regular
from game.engine.records.store import RoundStore, atomic_write

CLASS_FILE = "class.json"
STUDENT_FILE = "student.json"
STUDENTS = "students"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be mistaken for one another when read off a projector."""
CODE_LENGTH = 6
MAX_NAME = 60
_MAX_FILE = 64 * 1024

_RANDOM = random.SystemRandom()
"""Codes come from the system's cryptographic source, as ``secrets.choice`` takes them;
``secrets`` itself would load OpenSSL through ``hmac``."""


class ClassFolderError(FlashpointError):
    """The class folder or a name cannot be used; the message says what to do."""


def new_code() -> str:
    """A fresh class code: six characters, about 30 bits."""
    return "".join(_RANDOM.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(typed: str) -> str:
    """A typed class code as stored: upper case, spaces and dashes dropped."""
    return re.sub(r"[\s-]", "", typed).upper()[: CODE_LENGTH * 2]


def clean_name(typed: str) -> str:
    """The name a student typed, as shown and recorded: NFKC, single spaces, no control or
    formatting characters. Raises :class:`ClassFolderError` if nothing usable is left."""
    text = unicodedata.normalize("NFKC", typed)
    text = "".join(c for c in text if unicodedata.category(c)[0] not in "CZ" or c == " ")
    text = " ".join(text.split())
    if not text:
        raise ClassFolderError("type your name (letters, not only spaces or symbols)")
    if len(text) > MAX_NAME:
        raise ClassFolderError(f"a name has at most {MAX_NAME} characters; shorten it")
    return text


def student_id(name: str) -> str:
    """The folder name of the student called ``name`` (already cleaned): a readable ASCII
    part and a digest of the case-folded name, so 'Ana' and 'ana ' are the same student."""
    key = name.casefold()
    readable = (
        re.sub(
            r"[^a-z0-9]+",
            "-",
            unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode(),
        ).strip("-")[:24]
        or "student"
    )
    return f"{readable}-{sha256_hex(key.encode())[:10]}"


@dataclass(frozen=True)
class Student:
    """One student of the class and their data folder."""

    id: str
    name: str
    joined: float
    folder: Path

    @property
    def store(self) -> RoundStore:
        """The student's own saves and results."""
        return RoundStore(self.folder)


@dataclass(frozen=True)
class ClassFolder:
    """The folder of one lesson."""

    path: Path
    code: str
    scenarios: tuple[str, ...]
    reveal: str | None

    @property
    def students_folder(self) -> Path:
        """Where each student's own folder is."""
        return self.path / STUDENTS

    @classmethod
    def open_or_create(
        cls, path: Path, scenarios: tuple[str, ...], reveal: str | None
    ) -> ClassFolder:
        """The class in ``path``, keeping its code if it has one; the settings are the
        teacher's current ones."""
        code = new_code()
        if (path / CLASS_FILE).exists():
            code = cls.read(path).code
            with contextlib.suppress(OSError):  # made by a version that left it open to all
                path.chmod(PRIVATE_FOLDER)
        folder = cls(path, code, scenarios, reveal)
        try:
            private_folder(folder.students_folder)
            atomic_write(path / CLASS_FILE, json.dumps(folder.settings(), indent=1))
        except OSError as error:
            raise ClassFolderError(
                f"cannot write the class folder {path}: {error.strerror or error}; "
                "choose another with --class-folder"
            ) from None
        return folder

    def settings(self) -> dict[str, Any]:
        """What class.json holds."""
        return {
            "format": "flashpoint-class",
            "version": 1,
            "code": self.code,
            "scenarios": list(self.scenarios),
            "reveal": self.reveal,
        }

    @classmethod
    def read(cls, path: Path) -> ClassFolder:
        """The class folder at ``path``; raises :class:`ClassFolderError` if it is not one."""
        data = _read_json(path / CLASS_FILE)
        if not isinstance(data, dict) or data.get("format") != "flashpoint-class":
            raise ClassFolderError(
                f"{path}: not a class folder (no valid {CLASS_FILE}); "
                "give the folder 'flashpoint serve' printed"
            )
        code = data.get("code")
        scenarios = data.get("scenarios")
        reveal = data.get("reveal")
        if (
            not isinstance(code, str)
            or not re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", code)
            or not isinstance(scenarios, list)
            or not all(isinstance(s, str) for s in scenarios)
            or reveal not in (None, "immediate", "debrief")
        ):
            raise ClassFolderError(
                f"{path / CLASS_FILE}: damaged; delete it and start 'flashpoint serve' again"
            )
        return cls(path, code, tuple(scenarios), reveal)

    def join(self, name: str) -> Student:
        """The student called ``name``: their folder, created on first join."""
        name = clean_name(name)
        ident = student_id(name)
        folder = self.students_folder / ident
        existing = self.student(folder)
        if existing is not None:
            return existing
        joined = time.time()
        private_folder(folder)
        atomic_write(folder / STUDENT_FILE, json.dumps({"name": name, "joined": joined}))
        return Student(ident, name, joined, folder)

    def student(self, folder: Path) -> Student | None:
        """The student whose folder is ``folder``, or None if it holds no valid student.json."""
        try:
            data = _read_json(folder / STUDENT_FILE)
        except ClassFolderError:
            return None
        if not isinstance(data, dict):
            return None
        name, joined = data.get("name"), data.get("joined")
        if not isinstance(name, str) or not isinstance(joined, int | float):
            return None
        try:
            name = clean_name(name)
        except ClassFolderError:
            return None
        return Student(folder.name, name, float(joined), folder)

    def students(self) -> Iterator[Student]:
        """Every student who has joined, in the order they joined."""
        found = []
        try:
            entries = sorted(self.students_folder.iterdir())
        except OSError:
            return iter(())
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                student = self.student(entry)
                if student is not None:
                    found.append(student)
        return iter(sorted(found, key=lambda s: (s.joined, s.id)))

    def result_folders(self) -> list[Path]:
        """Every student's results folder, for the class report."""
        return [s.store.results for s in self.students() if s.store.results.is_dir()]


def is_class_folder(path: Path) -> bool:
    """Whether ``path`` is a folder 'flashpoint serve' wrote."""
    return path.is_dir() and (path / CLASS_FILE).is_file()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(read_regular(path, _MAX_FILE))
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ClassFolderError(f"{path}: cannot be read ({error})") from None
