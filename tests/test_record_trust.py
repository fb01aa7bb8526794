"""Every path of both flagship roles, played in plain mode with ``--reveal debrief``: invented
situations, events and endings are labelled where they first appear and in every export, and
nothing shown before the debrief quotes history or a document published after the in-game
date."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.checks import loader
from game.engine.classroom.debrief import debrief
from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from game.engine.scenario.known import notes_known_on, sources_known_on
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Reveal
from game.engine.seats.lifecycle import Round
from game.plain import PlainGame
from game.reports.debrief_report import debrief_data, debrief_document
from game.reports.round_blocks import INVENTED_SITUATION, NOT_HISTORICAL, nested
from game.reports.writers import to_html, to_markdown, to_text
from tests.conftest import ROOT
from tests.test_flagship import every_round

FLAGSHIP = ROOT / "scenarios" / "iran-pakistan-2024.yaml"
DEBRIEF_MARK = "Debrief:"


def flat(text: str) -> str:
    """``text`` with every run of whitespace made one space (plain mode wraps lines)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def flagship() -> LoadedScenario:
    return loader.load(FLAGSHIP)


def paths(loaded: LoadedScenario, role: str) -> Iterator[tuple[str, ...]]:
    """Every sequence of choices a round of ``role`` can take, to its ending."""
    for session in every_round(loaded, role):
        yield tuple(decision.choice for decision in session.decisions)
        session.close()


def play_plain(
    loaded: LoadedScenario, role: str, path: tuple[str, ...], home: Path, reveal: Reveal = "debrief"
) -> str:
    """The whole plain-mode transcript of ``path``, reading sources and notes at each step."""
    session = Session.start(loaded, role)
    numbers = []
    for choice in path:
        point = session.point
        assert point is not None
        numbers.append(1 + [c.id for c in point.choices].index(choice))
        session.choose(choice)
    session.close()
    typed = "".join(f"s\nn\n{number}\n\n" for number in numbers)
    out = io.StringIO()
    played = Round.start(RoundStore(home), loaded, role, "Tester", reveal)
    PlainGame(io.StringIO(typed), out).play(played)
    return out.getvalue()


@pytest.mark.parametrize("role", ["iran", "pakistan"])
def test_every_path_keeps_the_record_honest(
    flagship: LoadedScenario, role: str, tmp_path: Path
) -> None:
    scenario = flagship.scenario
    historical_quotes = {
        nested(c.quote) for point in scenario.points for c in point.history.citations if c.quote
    }  # a citation that only reports (no words quoted) has no quote to look for
    events = {event.id: event for event in scenario.events}
    played_paths = 0
    for number, path in enumerate(paths(flagship, role)):
        played_paths += 1
        transcript = play_plain(flagship, role, path, tmp_path / str(number))
        before, _, after = (flat(part) for part in transcript.partition(DEBRIEF_MARK))
        assert after, "the round reached its debrief"
        for quote in historical_quotes:  # --reveal debrief: no history before the end
            assert flat(quote) not in before, (path, quote)
        segments = re.split(r"What followed (?=Verdict)", before)  # k: decision k, until chosen
        session = Session.start(flagship, role)
        for step, choice in enumerate(path):
            point = session.point
            assert point is not None
            segment = segments[step]
            if point.counterfactual:  # labelled right where the situation is shown
                label = flat(f"{NOT_HISTORICAL}{INVENTED_SITUATION} {point.narrative}")
                assert label in segment, (path, point.id)
            known = {s.id for s in sources_known_on(scenario, point.date)}
            for source in scenario.sources:
                listed = f"{source.title} — {source.publisher}" in segment
                assert listed == (source.id in known), (point.id, source.id)
            shown_notes = set(notes_known_on(scenario, point.date))
            for note in scenario.notes:
                assert (flat(note.text) in segment) == (note in shown_notes), (point.id, note.id)
            session.choose(choice)
        for entry in session.entries:
            event = events.get(getattr(entry, "event", ""))
            if event is not None and event.counterfactual:
                assert f"{NOT_HISTORICAL}" in transcript
                line = next(ln for ln in transcript.splitlines() if event.title in ln)
                assert NOT_HISTORICAL.strip() in line, line
        report = debrief(session)
        exports = {
            "text": to_text(debrief_document(report)),
            "md": to_markdown(debrief_document(report)),
            "html": to_html(debrief_document(report)),
            "json": json.dumps(debrief_data(report), ensure_ascii=False),
        }
        ending = report.ending
        assert ending is not None
        for form, text in exports.items():
            if ending.distance > 0:
                assert "Not historical" in text or '"historical": false' in text, form
            for review in report.reviews:
                for event in review.reactions:
                    if event.counterfactual and form != "json":
                        assert NOT_HISTORICAL.strip() in text, (form, event.id)
        session.close()
    assert played_paths >= 4


@pytest.mark.parametrize("role", ["iran", "pakistan"])
def test_history_shown_during_play_never_names_a_later_document(
    flagship: LoadedScenario, role: str, tmp_path: Path
) -> None:
    """With history revealed after each decision, a document published on or after the day
    the round has moved to is credited without its title (which can tell what came next)."""
    scenario = flagship.scenario
    for number, path in enumerate(paths(flagship, role)):
        transcript = play_plain(flagship, role, path, tmp_path / str(number), "immediate")
        before = flat(transcript.partition(DEBRIEF_MARK)[0])
        segments = re.split(r"What followed (?=Verdict)", before)
        session = Session.start(flagship, role)
        for step, choice in enumerate(path, start=1):
            session.choose(choice)
            if session.point is None:
                break
            for source in scenario.sources:
                if source.published >= session.point.date:
                    assert source.title not in segments[step], (path, step, source.id)
        session.close()


@pytest.mark.parametrize(
    ("role", "point", "phrase", "recalled"),
    [
        (
            "pakistan",
            "pk_visit",
            "keep ambassadors away",
            lambda s: s.facts.chose("pk_response", "recall_and_bar"),
        ),
        (
            "iran",
            "ir_settle",
            "apologise for the deaths in Sistan",
            lambda s: s.facts.fired("pakistan_strikes_saravan"),
        ),
    ],
)
def test_wording_follows_the_round(
    flagship: LoadedScenario, role: str, point: str, phrase: str, recalled: object, tmp_path: Path
) -> None:
    """Text that speaks of a recall or a strike is shown only on paths where it happened."""
    checked = set()
    for number, path in enumerate(paths(flagship, role)):
        session = Session.start(flagship, role)
        step = None
        for index, choice in enumerate(path):
            if session.point is not None and session.point.id == point:
                step = index
                break
            session.choose(choice)
        if step is None:
            session.close()
            continue
        was_recalled = bool(recalled(session))  # type: ignore[operator]
        session.close()
        transcript = play_plain(flagship, role, path, tmp_path / str(number))
        played = flat(transcript.partition(DEBRIEF_MARK)[0])
        segment = re.split(r"What followed (?=Verdict)", played)[step]
        assert (phrase in segment) == was_recalled, path
        checked.add(was_recalled)
    assert checked == {True, False}  # both wordings were met


def test_a_quote_that_is_not_verbatim_says_where_it_goes_wrong() -> None:
    from game.engine.checks import loader
    from tests.conftest import ROOT

    _, problems = loader.check(ROOT / "tests" / "data" / "broken" / "quote_not_verbatim.yaml")
    shown = str(problems.errors[0])
    assert "the words that differ: 'bay' where the source has 'strait';" in shown
    assert "The northern fleet entered the strait at dawn" in shown
