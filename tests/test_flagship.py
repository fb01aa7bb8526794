"""The flagship scenario: the January 2024 Iran–Pakistan border crisis."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.play.session import Fired, Session
from game.engine.scenario.known import notes_known_on, shown_from, sources_known_on
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Citation
from game.engine.scenario.sources import find_quote
from tests.conftest import FLAGSHIP, ROOT

HISTORICAL_SEQUENCE = {
    "pakistan": ["pk_response", "pk_military", "pk_deescalate", "pk_visit"],
    "iran": ["ir_strike", "ir_defend", "ir_answer", "ir_settle", "ir_visit"],
}
HISTORICAL_ENDING = "managed_deescalation"


def historical_round(loaded: LoadedScenario, role: str) -> Session:
    session = Session.start(loaded, role)
    while session.point is not None:
        choice = session.point.history.choice
        assert choice is not None, f"{session.point.id} is off the historical path"
        session.choose(choice)
    return session


def every_round(loaded: LoadedScenario, role: str) -> Iterator[Session]:
    """Every distinct round for ``role``, by replaying each prefix of choices."""
    pending: list[list[str]] = [[]]
    while pending:
        path = pending.pop()
        session = Session.start(loaded, role)
        for choice in path:
            session.choose(choice)
        if session.is_over:
            yield session
        else:
            pending.extend([*path, c.id] for c in session.choices)


def all_citations(loaded: LoadedScenario) -> Iterator[Citation]:
    scenario = loaded.scenario
    for point in scenario.points:
        yield from point.history.citations
    for event in scenario.events:
        if event.history:
            yield from event.history.citations
    for note in scenario.notes:
        yield from note.citations
    for fact in scenario.contested:
        for version in fact.versions:
            yield Citation(source=version.source, quote=version.quote)


def test_validates_with_no_warnings() -> None:
    loaded, problems = loader.check(FLAGSHIP)
    assert loaded is not None
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("role", ["pakistan", "iran"])
def test_historical_choices_follow_the_real_sequence(flagship: LoadedScenario, role: str) -> None:
    session = historical_round(flagship, role)
    assert [d.point for d in session.decisions] == HISTORICAL_SEQUENCE[role]
    assert session.ending is not None and session.ending.id == HISTORICAL_ENDING
    assert session.ending.distance == 0
    events = flagship.scenario.events
    fired = [e.event for e in session.entries if isinstance(e, Fired)]
    assert fired, "the other side must act"
    assert all(next(ev for ev in events if ev.id == f).history for f in fired), (
        "only historical events fire on the historical path"
    )
    dates = [flagship.scenario.point_by_id[p].date for p in HISTORICAL_SEQUENCE[role]]
    assert dates == sorted(dates)


@pytest.mark.parametrize("role", ["pakistan", "iran"])
def test_every_role_reaches_at_least_four_endings(flagship: LoadedScenario, role: str) -> None:
    endings = Counter(s.ending.id for s in every_round(flagship, role) if s.ending)
    assert len(endings) >= 4, endings
    assert HISTORICAL_ENDING in endings


def test_every_ending_is_reachable(flagship: LoadedScenario) -> None:
    reached = {
        s.ending.id
        for role in ("pakistan", "iran")
        for s in every_round(flagship, role)
        if s.ending
    }
    assert reached == {e.id for e in flagship.scenario.endings}


@pytest.mark.parametrize("role", ["pakistan", "iran"])
def test_rounds_keep_indicators_in_bounds(flagship: LoadedScenario, role: str) -> None:
    bounds = {i.id: (i.min, i.max) for i in flagship.scenario.indicators}
    for session in every_round(flagship, role):
        for decision in session.decisions:
            for name, value in decision.after.items():
                low, high = bounds[name]
                assert low <= value <= high


def test_every_quote_is_verbatim_in_its_source(flagship: LoadedScenario) -> None:
    count = 0
    for citation in all_citations(flagship):
        if not citation.quote:  # a reporter's summary, in our words ('reported')
            continue
        source = flagship.scenario.source_by_id[citation.source]
        text = flagship.texts.text(source.file)
        assert find_quote(text, citation.quote) is not None, citation.quote
        count += 1
    assert count >= 40


def test_contested_facts_name_at_least_two_sources(flagship: LoadedScenario) -> None:
    facts = {f.id: f for f in flagship.scenario.contested}
    assert {"pk_strike_casualties", "ir_strike_casualties", "ambassadors"} <= set(facts)
    for fact in facts.values():
        assert len({v.source for v in fact.versions}) >= 2, fact.id


def test_each_decision_offers_three_to_five_options(flagship: LoadedScenario) -> None:
    for point in flagship.scenario.points:
        assert 3 <= len(point.choices) <= 5, point.id


def test_historical_option_is_not_always_in_the_same_place(flagship: LoadedScenario) -> None:
    places = {
        [c.id for c in p.choices].index(p.history.choice)
        for p in flagship.scenario.points
        if p.history.choice
    }
    assert len(places) >= 3


def test_every_source_is_described_and_cited(flagship: LoadedScenario) -> None:
    sources = flagship.scenario.sources
    assert len(sources) == 5
    assert {s.kind for s in sources} >= {"encyclopedia", "wire", "blog"}
    cited = {c.source for c in all_citations(flagship)}
    assert cited == {s.id for s in sources}
    for source in sources:
        assert len(source.reliability) > 80, source.id


def test_only_sources_published_before_the_in_game_date_are_known(
    flagship: LoadedScenario,
) -> None:
    scenario = flagship.scenario

    def known(point: str) -> set[str]:
        return {s.id for s in sources_known_on(scenario, scenario.point_by_id[point].date)}

    assert known("ir_strike") == set()
    assert known("pk_response") == set()  # errraand, of 17 January, reports the recall
    assert known("ir_answer") == {"errraand"}
    assert known("pk_visit") == {"errraand", "blog", "outlet_unsigned", "cnn"}
    assert len(sources_known_on(scenario, None)) == 5  # the debrief opens everything


def test_notes_wait_for_the_documents_they_cite(flagship: LoadedScenario) -> None:
    scenario = flagship.scenario
    first_day = scenario.point_by_id["ir_strike"].date
    for note in notes_known_on(scenario, first_day):  # each passage public by then, and why
        for citation in note.citations:
            published = scenario.source_by_id[citation.source].published
            known = citation.known_since
            assert published < first_day or (known and known.date <= first_day and known.reason)
    late = scenario.point_by_id["pk_visit"].date
    for note in notes_known_on(scenario, late):
        assert (shown_from(scenario, note.citations) or late) <= late
    assert notes_known_on(scenario, None) == scenario.notes


def test_seeds_are_the_unchanged_source_documents() -> None:
    seeds = ROOT / "seeds"
    listed = {}
    for line in (seeds / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        listed[name] = digest
    assert sorted(listed) == sorted(p.name for p in seeds.glob("*.txt"))
    for name, digest in listed.items():
        assert hashlib.sha256((seeds / name).read_bytes()).hexdigest() == digest
    shared = ROOT.parent / "shared" / "seeds"
    if shared.is_dir():
        for original in shared.glob("*.txt"):
            assert (seeds / original.name).read_bytes() == original.read_bytes()


def test_instructor_note_exists_and_cites_the_sources() -> None:
    note = (ROOT / "docs" / "instructor-notes" / "iran-pakistan-2024.md").read_text()
    for heading in (
        "## Learning goals",
        "## What happened",
        "## Discussion questions",
        "### Where the sources disagree",
        "### The sources and how far to trust",
    ):
        assert f"\n{heading}" in note
    assert Path(FLAGSHIP).name in note
