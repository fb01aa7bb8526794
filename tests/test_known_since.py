"""Background known before its document, time of day, and title variants (issue 28)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from game.engine.checks import loader
from game.engine.play.session import Session
from game.engine.scenario.known import (
    citation_known,
    note_from,
    notes_known_at,
    source_known,
    sources_known_at,
)
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Citation, KnownSince, Note
from game.engine.scenario.variants import Title, plain
from tests.conftest import ROOT

BROKEN = ROOT / "tests" / "data" / "broken"
JAN = dt.date(2024, 1, 17)


def test_a_source_with_a_time_opens_later_the_same_day(flagship: LoadedScenario) -> None:
    errraand = flagship.scenario.source_by_id["errraand"]
    assert errraand.published == JAN
    assert not source_known(errraand, JAN)  # no time: the next day, as before
    timed = dataclasses.replace(errraand, time="12:00")
    assert not source_known(timed, JAN)  # the decision gives no time
    assert not source_known(timed, JAN, "09:00")
    assert not source_known(timed, JAN, "12:00")
    assert source_known(timed, JAN, "22:00")
    assert source_known(timed, JAN + dt.timedelta(days=1))


def test_a_decision_with_a_time_sees_the_sources_of_earlier_that_day(
    flagship: LoadedScenario,
) -> None:
    scenario = flagship.scenario
    point = dataclasses.replace(scenario.point_by_id["pk_military"], time="22:00")
    sources = tuple(
        dataclasses.replace(s, time="10:00") if s.id == "errraand" else s for s in scenario.sources
    )
    timed = dataclasses.replace(scenario, sources=sources)
    assert "errraand" in {s.id for s in sources_known_at(timed, point)}
    assert "errraand" not in {s.id for s in sources_known_at(scenario, point)}


def test_a_passage_known_since_opens_before_its_document(flagship: LoadedScenario) -> None:
    scenario = flagship.scenario
    since = KnownSince(date=dt.date(2024, 1, 15), reason="announced on the day")
    later = Citation(source="cnn", quote="Iran's Revolutionary Guards launched ballistic missiles")
    early = dataclasses.replace(later, known_since=since)
    day = dt.date(2024, 1, 16)
    assert not citation_known(scenario, later, day)
    assert citation_known(scenario, early, day)
    assert not citation_known(scenario, early, dt.date(2024, 1, 14))
    note = Note(id="n", title="T", text="x", citations=(early,))
    assert note_from(scenario, note) == since.date
    with_note = dataclasses.replace(scenario, notes=(note,))
    point = scenario.point_by_id["ir_strike"]
    assert notes_known_at(with_note, point) == (note,)
    assert (
        notes_known_at(
            dataclasses.replace(with_note, notes=(dataclasses.replace(note, citations=(later,)),)),
            point,
        )
        == ()
    )


def test_a_title_variant_follows_the_round(tmp_path: Path) -> None:
    text = (BROKEN / "title_variant_unknown_name.yaml").read_text()
    text = text.replace("chose(n9.escort)", "tension >= 0")
    (tmp_path / "seeds").mkdir()
    for seed in (BROKEN / "seeds").iterdir():
        (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    path = tmp_path / "titled.yaml"
    path.write_text(text)
    loaded, problems = loader.check(path)
    assert loaded is not None, [str(p) for p in problems]
    session = Session.start(loaded, "north")
    point = session.point
    assert point is not None
    assert plain(Title(point)) == "Entering the strait"
    assert session.words(Title(point)) == "Entering the strait again"


def test_the_format_and_the_tutorial_document_known_since_time_and_title_variants() -> None:
    for doc in ("scenario-format.md", "authoring.md"):
        text = (ROOT / "docs" / doc).read_text()
        for field in ("known_since:", "reason:", "`time`", "title_variants"):
            assert field in text, (doc, field)
        assert "from the passage itself" in text, doc  # how to justify a known_since
