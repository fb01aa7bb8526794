"""The flagship against its five seeds (issue 28, the last re-read): every phrase in quote
marks is the seeds' own, each background passage's ``known_since`` is justified by the passage
itself, the visit claims nothing the sources do not say, figures name their source, and each
dispute reaches the seat that decides on it under every reveal policy."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from game.engine.checks.context import dates_named
from game.engine.checks.loader import LoadedScenario
from game.engine.play.session import Session
from game.engine.scenario.known import notes_known_at
from game.engine.scenario.model import Citation, Reveal
from game.engine.scenario.sources import find_quote
from game.reports.round_blocks import decision_blocks
from game.reports.writers import text_blocks
from tests.test_record_corrections import NOTES, before_decisions, texts
from tests.test_record_trust import flat, play_plain

QUOTED = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")
"""A phrase in double quote marks, straight or typographic."""
GAME_WORDS = {
    "Not historical",
    "What followed (the game's model)",
    "After the strike",
    "harm to civilians",
    "published … (title and full text in the debrief)",
}
"""Phrases the instructor notes quote from the game itself, not from a seed."""


def quoted(text: str) -> list[str]:
    return [m.group(1).strip().rstrip(",.") for m in QUOTED.finditer(text)]


def in_a_seed(loaded: LoadedScenario, phrase: str) -> bool:
    return any(find_quote(loaded.texts.text(s.file), phrase) for s in loaded.scenario.sources)


def test_every_phrase_in_quote_marks_is_in_a_seed(flagship: LoadedScenario) -> None:
    """Paraphrases are never in quote marks: in the scenario (its reasons too) and in the
    instructor notes, each quoted phrase stands word for word, and case for case, in a seed."""
    phrases = {p for text in texts(flagship.scenario) for p in quoted(text)}
    assert len(phrases) > 30
    wrong = sorted(p for p in phrases if not in_a_seed(flagship, p))
    assert wrong == []
    notes = {p for p in quoted(NOTES.read_text()) if p not in GAME_WORDS}
    assert sorted(p for p in notes if not in_a_seed(flagship, p)) == []


def background(flagship: LoadedScenario) -> list[Citation]:
    return [c for n in flagship.scenario.notes for c in n.citations if c.known_since]


def test_each_known_since_is_justified_by_its_own_passage(flagship: LoadedScenario) -> None:
    """The reason quotes the passage's own words; a day is one the passage names, a year's
    end a year it names, and 1 January 2024 (the crisis's year) needs words that say so."""
    checked = 0
    for citation in background(flagship):
        known = citation.known_since
        assert known is not None
        words = quoted(known.reason)
        assert words, (citation.quote, "the reason quotes nothing of its passage")
        for phrase in words:
            assert find_quote(citation.quote, phrase) is not None, (phrase, citation.quote)
        named = {day for day, _ in dates_named(citation.quote, known.date)}
        if (known.date.month, known.date.day) == (12, 31):
            assert str(known.date.year) in citation.quote, citation.quote
        elif known.date != dt.date(2024, 1, 1):
            assert known.date in named, (known.date, citation.quote)
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize(
    "assumption",
    [
        "the game shows it from",  # a day the authors chose, not the passage
        "the game takes them as known",
        "Iran gave them as a reason",  # the passage gives no such day
        "in the weeks before the crisis",
        "in the months before the crisis",
        "which was public before the crisis",
    ],
)
def test_no_known_since_rests_on_the_authors_assumption(
    flagship: LoadedScenario, assumption: str
) -> None:
    reasons = " ".join(c.known_since.reason for c in background(flagship) if c.known_since)
    assert assumption not in reasons


def test_what_the_passages_do_not_date_waits_for_its_document(flagship: LoadedScenario) -> None:
    """The Kerman toll, the other accounts of Iran's reasons, the attacks by Iran's allies and
    the blog's 'highly unusual' are dated by no passage: they open on 19 January, not before
    the first decision; the dead in Erbil, in the compilation only, in the debrief."""
    scenario = flagship.scenario
    late = {"iran_reasons", "kerman_toll", "iran_allies", "the_precedent", "erbil"}
    for role in ("iran", "pakistan"):
        first = scenario.point_by_id[scenario.role_by_id[role].start]
        assert not late & {n.id for n in notes_known_at(scenario, first)}, role
    day = scenario.point_by_id["pk_deescalate"]
    opened = {n.id for n in notes_known_at(scenario, day)}
    assert late - opened == {"erbil"}
    erbil = next(n for n in scenario.notes if n.id == "erbil")
    assert "four civilians" in erbil.text and "encyclopedia compilation" in erbil.text


def test_the_bla_blf_note_names_its_one_source_and_its_limits(flagship: LoadedScenario) -> None:
    """The note rested on the blog alone for its last sentence; the compilation's dated
    passages now carry it, and the note says whose account it is."""
    note = next(n for n in flagship.scenario.notes if n.id == "bla_blf")
    assert {c.source for c in note.citations} == {"encyclopedia"}
    assert "encyclopedia compilation, unsigned and undated" in flat(note.text)
    assert "infrastructure" not in note.text  # the blog's word, in no other seed


def test_the_visit_claims_nothing_the_sources_do_not_say(flagship: LoadedScenario) -> None:
    """The ambassadors' return and a promise of security cooperation were the visit's outcome;
    the seeds say only that it came in a push to defuse the standoff, and one of them, undated,
    that Pakistan reinstated its ambassador."""
    scenario = flagship.scenario
    events = {e.id: e for e in scenario.events}
    for point_id, choice_id, event_id in (
        ("pk_visit", "host_visit", "pakistan_invites_minister"),
        ("ir_visit", "fm_visit", "iran_minister_visits"),
    ):
        point = scenario.point_by_id[point_id]
        choice = next(c for c in point.choices if c.id == choice_id)
        said = " ".join(
            [choice.label, choice.consequence, choice.in_match, events[event_id].text]
            + [v.text for v in choice.variants]
        )
        for claim in ("ambassador", "security cooperation", "restore ties"):
            assert claim not in said, (choice_id, claim)
        summary = flat(point.history.summary)
        assert "push to defuse the standoff, according to the encyclopedia compilation" in summary
        assert "reinstated its ambassador in Tehran, without giving a date" in summary
        assert "nothing of what the two ministers agreed" in summary
        quotes = {c.quote for c in point.history.citations}
        assert "reinstated the Pakistani ambassador in Tehran" in quotes
    for point in scenario.points:  # no label of what a government did claims a return
        real = next((c for c in point.choices if c.id == point.history.choice), None)
        assert real is None or "return the ambassadors" not in real.label, point.id


def test_the_dead_are_counted_as_the_sources_count_them(flagship: LoadedScenario) -> None:
    """Every figure of the dead names who gave it; no 'another report' for a figure."""
    scenario = flagship.scenario
    ending = next(e for e in scenario.endings if e.id == "managed_deescalation")
    assessment = flat(ending.assessment)
    for attributed in (
        "two children, according to local officials and Pakistan's Foreign Ministry",
        "nine people, among them three women and four children, according to an Iranian deputy "
        "governor (CNN wire report, citing IRNA)",
        "at least seven, according to an unsigned blog citing Iranian authorities",
        'Ministry spoke of a "number" of militants killed',
    ):
        assert attributed in assessment
    shown = " ".join(flat(text) for text in texts(scenario))
    unnamed = ("another report gives", "according to another report", "among them, were killed")
    for words in unnamed:
        assert words not in shown
    choices = {c.id: c for p in scenario.points for c in p.choices}
    moves = {e.id: e.text for e in scenario.events}
    for real in (  # what Iranian officials said of the dead of Pakistan's real strikes
        choices["targeted_strikes"].consequence,
        scenario.point_by_id["pk_after_strike"].narrative,
        moves["pakistan_strikes_saravan"],
    ):
        assert "Iranian officials report that women and children are among the dead" in flat(real)
    for point in ("pk_military", "ir_answer"):
        summary = flat(scenario.point_by_id[point].history.summary)
        assert "unsigned blog" in summary and "CNN wire report" in summary, point


@pytest.mark.parametrize("reveal", ["immediate", "debrief"])
def test_disputes_reach_the_iran_student_before_the_decision_they_bear_on(
    flagship: LoadedScenario, reveal: Reveal, tmp_path: Path
) -> None:
    """Pakistan's recall carries the ambassadors' dispute, and its strikes the dispute over
    their dead, to the Iran student before the 17 and 18 January decisions, whatever the
    reveal policy."""
    scenario = flagship.scenario
    path = ("strike_jaish", "defend_and_reassure", "demand_explanation", "agree_deescalate")
    transcript = play_plain(flagship, "iran", (*path, "fm_visit"), tmp_path, reveal)
    before = before_decisions(transcript)
    ambassadors = scenario.contested_by_id["ambassadors"].claim
    dead = scenario.contested_by_id["ir_strike_casualties"].claim
    assert ambassadors in before[1] and dead not in before[1]
    assert dead in before[2]
    session = Session.start(flagship, "iran")
    step = session.choose(path[0])
    shown = text_blocks(decision_blocks(scenario, step.point, step.choice, "", step.events, False))
    assert ambassadors in flat(shown)  # with the move, under --reveal debrief too


def test_a_reason_for_an_option_names_its_sources(flagship: LoadedScenario) -> None:
    """Why waiting, or talking under fire, was plausible: from the sources, named, not the
    authors' belief that quiet diplomacy 'had long been' the usual way."""
    scenario = flagship.scenario
    choices = {(p.id, c.id): c for p in scenario.points for c in p.choices}
    wait = flat(choices["ir_no_strike", "wait_longer"].counterfactual)
    assert "(Errraand News)" in wait and "an unsigned blog" in wait
    hotline = next(e for e in scenario.events if e.id == "pakistan_opens_hotline")
    for reason in (
        choices["pk_escalation", "defend_and_talk"].counterfactual,
        hotline.counterfactual,
    ):
        reason = flat(reason)
        assert "according to the CNN wire report" in reason
        assert (
            "on 19 January the two governments communicated through diplomatic channels" in reason
        )


def test_the_instructor_notes_agree_with_the_game_and_the_seeds(flagship: LoadedScenario) -> None:
    """The notes said the ambassadors' 'return came after the decisions' (no seed dates it),
    counted nine background notes, and said a dispute waits for the debrief under
    --reveal debrief even where a move carries it to the student."""
    notes = flat(NOTES.read_text())
    scenario = flagship.scenario
    pack = {
        n.id
        for role in ("iran", "pakistan")
        for n in notes_known_at(scenario, scenario.point_by_id[scenario.role_by_id[role].start])
        if n.citations
    }
    counted = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
    assert f"{counted[len(pack) - 1]} background notes" in notes
    assert "the return came after the decisions" not in notes
    assert "in a push to defuse the standoff" in notes
    assert "before an Iran student's 17 January decision" in notes  # the recall's dispute
    assert "before an Iran student's 18 January decision" in notes  # the strikes' dead
    events = {e.id: e for e in scenario.events}
    assert events["pakistan_recalls_ambassador"].contested == ("ambassadors",)
    assert events["pakistan_strikes_saravan"].contested == ("ir_strike_casualties",)


def test_the_title_screen_s_summary_tells_nothing_of_what_the_governments_did(
    flagship: LoadedScenario,
) -> None:
    """The summary is read before the first decision (title screen, role list): it sets the
    scene without telling who struck whom or how the crisis ended."""
    summary = flagship.scenario.summary.lower()
    told = ("struck", "strike", "stepped back", "retaliat", "de-escalat", "within a week")
    assert not [word for word in told if word in summary], summary
