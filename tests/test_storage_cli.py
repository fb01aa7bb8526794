"""``flashpoint class --database``: the class report of a class kept in PostgreSQL, and every
bad address answered in words (no traceback, never the password), in real processes."""

from __future__ import annotations

import pytest

from game.engine.checks.loader import LoadedScenario
from game.engine.play.session import Session
from game.engine.records.storage import open_class
from tests.conftest import run_flashpoint

SECRET = "s3cret-Pa55"


def test_the_class_report_reads_the_database(postgres_url: str, mini: LoadedScenario) -> None:
    storage = open_class(postgres_url, name="history-4b", scenarios=(str(mini.path),))
    try:
        student = storage.seats.join("Ana Lima").student
        session = Session.start(mini, mini.scenario.roles[0].id, "Ana Lima")
        while not session.is_over:
            session.choose(session.choices[0].id)
        storage.records.put(student, session.round_id, session.to_dict())
        code = storage.code
    finally:
        storage.close()
    done = run_flashpoint(
        "class", "--database", postgres_url, "--class-name", "history-4b", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert code in done.stdout and "Ana Lima" in done.stdout
    missing = run_flashpoint("class", "--database", postgres_url, "--class-name", "history-9z")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "there is no class 'history-9z'" in missing.stderr and "history-4b" in missing.stderr


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (f"mysql://teacher:{SECRET}@db.example/x", "takes a PostgreSQL address"),
        (f"postgresql://teacher:{SECRET}@127.0.0.1:1/flashpoint", "cannot connect"),
        (f"postgresql://teacher:{SECRET}@127.0.0.1:99999999/x", "invalid port number"),
        (f"postgresql://teacher:{SECRET}@/x?sslmode=nonsense", "invalid sslmode"),
        (f"postgresql://teacher:{SECRET}@host/x?nonsense=1", "not a valid PostgreSQL"),
    ],
    ids=["scheme", "unreachable", "port", "option", "unknown"],
)
def test_a_bad_database_address_is_refused_in_words(url: str, words: str) -> None:
    done = run_flashpoint("class", "--database", url, "--class-name", "x")
    assert done.returncode != 0
    assert words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and SECRET not in done.stderr + done.stdout


def test_results_and_a_database_are_not_given_together(postgres_url: str) -> None:
    done = run_flashpoint("class", "docs", "--database", postgres_url)
    assert done.returncode == 2 and "not both" in done.stderr
