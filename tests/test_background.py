"""The flagship's background pack from the first decision, nothing dated after a decision
shown before it, and notes in every debrief output (issue 28)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from game.engine.checks.context import dates_named
from game.engine.classroom.debrief import debrief
from game.engine.play.session import Session
from game.engine.scenario.known import note_known, notes_known_at
from game.engine.scenario.loaded import LoadedScenario
from game.engine.scenario.model import Reveal
from game.reports.background import FRAMING, since_text
from game.reports.debrief_report import debrief_data, debrief_document
from game.reports.round_blocks import nested
from game.reports.writers import to_html, to_markdown, to_text
from tests.conftest import ROOT
from tests.test_flagship import historical_round
from tests.test_record_trust import flat, paths, play_plain

PACK = (
    "iraq_syria_strikes",
    "kerman_bombings",
    "jaish_al_adl",
    "bla_blf",
    "the_border",
    "mutual_accusations",
    "baloch_insurgency",
    "regional_context",
)
PUBLISHED = re.compile(r"published \d{1,2} \w+ \d{4}")
"""A later document's credit names its publication day: when it was written, not news."""


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
@pytest.mark.parametrize("role", ["iran", "pakistan"])
def test_the_background_pack_is_readable_before_the_first_choice(
    flagship: LoadedScenario, role: str, reveal: Reveal, tmp_path: Path
) -> None:
    scenario = flagship.scenario
    first = scenario.point_by_id[scenario.role_by_id[role].start]
    shown = {n.id for n in notes_known_at(scenario, first)}
    assert set(PACK) <= shown, set(PACK) - shown
    transcript = play_plain(flagship, role, (first.choices[0].id,), tmp_path, reveal)
    before = flat(transcript.split("You decide:")[0])
    notes = {n.id: n for n in scenario.notes}
    for ident in PACK:
        note = notes[ident]
        assert flat(note.text) in before, ident
        for citation in note.citations:
            assert flat(nested(citation.quote)) in before, (ident, citation.quote)
            assert citation.known_since is not None, (ident, citation.quote)
            assert flat(since_text(citation.known_since)) in before


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
@pytest.mark.parametrize("role", ["iran", "pakistan"])
def test_nothing_dated_after_a_decision_is_shown_before_it(
    flagship: LoadedScenario, role: str, reveal: Reveal, tmp_path: Path
) -> None:
    scenario = flagship.scenario
    played = 0
    for number, path in enumerate(paths(flagship, role)):
        if number % 3:  # a third of the paths, spread over the tree
            continue
        transcript = play_plain(flagship, role, path, tmp_path / str(number), reveal)
        before_debrief = transcript.split("Debrief:")[0]
        segments = before_debrief.split("You decide:")
        session = Session.start(flagship, role)
        for step, choice in enumerate(path):
            point = session.point
            assert point is not None
            segment = PUBLISHED.sub("", flat(segments[step]))
            later = [words for day, words in dates_named(segment, point.date) if day > point.date]
            assert not later, (path, point.id, later)
            for note in scenario.notes:  # the validator's rule decides which notes show
                assert (flat(note.text) in segment) == note_known(scenario, note, point.date), (
                    point.id,
                    note.id,
                )
            session.choose(choice)
        session.close()
        played += 1
    assert played >= 3


def _exports(flagship: LoadedScenario, role: str) -> dict[str, str]:
    report = debrief(historical_round(flagship, role))
    document = debrief_document(report)
    return {
        "text": to_text(document),
        "md": to_markdown(document),
        "html": to_html(document),
        "json": json.dumps(debrief_data(report), ensure_ascii=False),
    }


@pytest.mark.parametrize("form", ["text", "md", "html", "json"])
def test_every_debrief_output_holds_every_note_and_the_framing(
    flagship: LoadedScenario, form: str
) -> None:
    text = _exports(flagship, "pakistan")[form]
    if form == "json":
        data = json.loads(text)
        assert [n["id"] for n in data["notes"]] == [n.id for n in flagship.scenario.notes]
        assert data["framing"] == FRAMING
        schema = json.loads((ROOT / "docs" / "debrief.schema.json").read_text())
        jsonschema.validate(data, schema)
        text = json.dumps(data["notes"], ensure_ascii=False)
    else:
        assert "How to read this debrief" in text
        assert "not the quality of your decisions" in text  # divergence is no score
    shown = words(text)
    for note in flagship.scenario.notes:
        assert words(note.title) in shown, (form, note.id)
        assert words(note.text) in shown, (form, note.id)
        for citation in note.citations:
            assert words(citation.quote) in shown, (form, citation.quote)
            if citation.known_since is not None and form != "json":
                assert words(since_text(citation.known_since)) in shown


def words(text: str) -> str:
    """``text`` as its words alone: markup, entities, quote marks and line breaks dropped."""
    text = re.sub(r"&[#\w]+;|<[^>]+>", " ", text)
    return " ".join(re.findall(r"[^\W_]+", text))


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
def test_the_plain_debrief_holds_every_note(
    flagship: LoadedScenario, reveal: Reveal, tmp_path: Path
) -> None:
    """A student in plain mode (a screen-reader user) gets every note in the debrief, the
    ones that never opened during the round too."""
    path = ("strike_jaish", "defend_and_reassure", "demand_explanation", "agree_deescalate")
    transcript = play_plain(flagship, "iran", (*path, "fm_visit"), tmp_path, reveal)
    after = flat(transcript.split("Debrief:", 1)[1])
    for note in flagship.scenario.notes:
        assert flat(note.title) in after and flat(note.text) in after, note.id
