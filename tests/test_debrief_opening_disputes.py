"""The debrief gives the opening moves' disputes in full by rule, even where the first
decision does not list them (an author need not repeat them there): a small fixture whose
fleet arrives, before the South's first decision, with a dispute over the damaged boats
that the decision does not list. The same dispute is given once in the debrief, and in its
JSON data."""

from __future__ import annotations

from game.engine.checks import loader
from game.engine.classroom.debrief import debrief
from game.engine.play.session import Session
from game.reports.debrief_report import debrief_data, debrief_document
from game.reports.outcome_blocks import situation_disputes
from game.reports.writers import to_text
from tests.conftest import DATA

FIXTURE = DATA / "opening_dispute" / "strait.yaml"


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces (the text writer wraps) as one space."""
    return " ".join(text.split())


def played(role: str) -> Session:
    loaded = loader.load(FIXTURE)
    session = Session.start(loaded, role, clock=lambda: 0.0)
    while not session.is_over:
        session.choose(session.offered()[0])
    return session


def test_the_fixture_is_what_the_test_needs() -> None:
    session = Session.start(loader.load(FIXTURE), "south", clock=lambda: 0.0)
    scenario = session.loaded.scenario
    assert situation_disputes(scenario, session.entries, session.node) == ["boats"]
    assert "boats" not in scenario.point_by_id[session.node].contested


def test_the_debrief_gives_an_opening_moves_dispute_the_first_decision_does_not_list() -> None:
    session = played("south")
    fact = session.loaded.scenario.contested_by_id["boats"]
    reviewed = debrief(session)
    text = flat(to_text(debrief_document(reviewed)))
    first = text.split("Decision by decision", 1)[1].split(" 2. 3 March", 1)[0]  # decision 1
    assert f"Sources disagree: {fact.claim}" in first
    for version in fact.versions:
        assert text.count(version.quote) == 1, version.quote
    assert [c["id"] for c in debrief_data(reviewed)["contested"]] == ["boats"]


def test_a_dispute_listed_by_the_first_decision_is_not_given_twice() -> None:
    """The North's first decision lists the dispute itself (and has no opening move): the
    debrief gives it once, with that decision's history."""
    session = played("north")
    fact = session.loaded.scenario.contested_by_id["boats"]
    text = flat(to_text(debrief_document(debrief(session))))
    for version in fact.versions:
        assert text.count(version.quote) == 1, version.quote
