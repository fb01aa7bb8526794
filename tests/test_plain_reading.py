"""Plain mode for a screen reader: short sections, each ending in a pause, nothing decorative,
numbered citations read at the passage, a map in words and a linear debrief."""

from __future__ import annotations

import io
import re
from pathlib import Path

from game.engine.checks import loader
from game.engine.records.store import RoundStore
from game.engine.seats.lifecycle import Round
from game.plain import PlainGame
from tests.conftest import FLAGSHIP

PAUSE = "Enter to continue, r to repeat"
LINES_PER_PAUSE = 50
"""The budget stated in README (plain mode): at most this many lines before a pause while
playing (a situation and its choices, or an outcome)..."""
DEBRIEF_LINES_PER_PAUSE = 65
"""...and in the debrief (a decision, a dispute, a background note)."""
DECORATIVE = re.compile(r"^[\s\-=*>→_~|#.]+$")
BULLET = re.compile(r"^\s*([*>•→-]|\|)")


def play(home: Path, keys: str, role: str = "pakistan") -> str:
    loaded = loader.load(FLAGSHIP)
    played = Round.start(RoundStore(home), loaded, role)
    out = io.StringIO()
    PlainGame(io.StringIO(keys), out, pauses=True).play(played)
    return out.getvalue()


def history_keys(role: str) -> str:
    """The historical choice at each decision, confirmed, with a pause read after each."""
    loaded = loader.load(FLAGSHIP)
    from game.engine.play.session import Session

    session = Session.start(loaded, role, clock=lambda: 0.0)
    keys = []
    while session.point is not None:
        point = session.point
        number = [c.id for c in point.choices].index(point.history.choice or "") + 1
        session.choose(point.choices[number - 1].id)
        keys.append(f"{number}\n\n\n")
    return "\n" + "".join(keys) + "\n" * 40  # after the briefing; Enter through the debrief


def test_every_section_fits_the_line_budget_and_nothing_is_decorative(home: Path) -> None:
    for role in ("pakistan", "iran"):
        shown = play(home / role, history_keys(role), role)
        playing, debrief = shown.split("Debrief:", 1)
        for text, budget in ((playing, LINES_PER_PAUSE), (debrief, DEBRIEF_LINES_PER_PAUSE)):
            sections = re.split(f"{PAUSE}|Your decision", text)
            assert len(sections) > 5
            longest = max(len(part.strip("\n").splitlines()) for part in sections)
            assert longest <= budget, longest
        lines = shown.splitlines()
        assert not [line for line in lines if line.strip() and DECORATIVE.match(line)]
        assert not [line for line in lines if BULLET.match(line)]
        assert "→" not in shown


def test_the_debrief_is_linear_without_table_rows(home: Path) -> None:
    shown = play(home, history_keys("pakistan"))
    debrief = shown.split("Debrief:", 1)[1]
    assert "Decision by decision" in debrief
    assert not re.search(r" {3,}\S", debrief)  # no columns
    assert "---" not in debrief


def test_s_n_reads_the_quoted_passage_first(home: Path) -> None:
    loaded = loader.load(FLAGSHIP)
    point = loaded.scenario.point_by_id["pk_military"]
    first = point.history.citations[0]
    # Recall (2), then the historical strike (3); at its outcome's pause, s 1.
    shown = play(home, "\n2\n\n\n3\n\ns 1\n\n")
    after = shown.split("s N to read cited passage N: ")[-2]
    passage = " ".join(after.splitlines()[:10])
    assert " ".join(first.quote.replace("“", '"').split()[:4]).strip('"') in passage.replace(
        "“", '"'
    )


def test_the_map_is_a_list_of_places(home: Path) -> None:
    shown = play(home, "\nm\n")
    assert "Koh-e-Sabz / Sabz Koh (a village in Panjgur district, ~45 km from the border)." in shown
    assert ". . ." not in shown


def test_tables_in_sources_read_as_text_and_every_quote_is_still_found() -> None:
    from game.engine.scenario.sources import find_quote
    from game.reports.source_text import readable

    loaded = loader.load(FLAGSHIP)
    scenario = loaded.scenario
    quoted = [(c.source, c.quote) for p in scenario.points for c in p.history.citations]
    quoted += [(v.source, v.quote) for fact in scenario.contested for v in fact.versions]
    quoted += [(c.source, c.quote) for note in scenario.notes for c in note.citations]
    tables = 0
    for source in scenario.sources:
        text = loaded.texts.text(source.file)
        shown = readable(text)
        tables += text.count("|")
        assert "|" not in shown and "---" not in shown
        for _, quote in (q for q in quoted if q[0] == source.id and q[1]):
            assert find_quote(shown, quote) is not None, (source.id, quote)
    assert tables  # the encyclopedia's infobox: the case this is for


def test_each_dispute_unfolds_once_per_round_and_the_debrief_gives_each_in_full_once() -> None:
    from game.engine.classroom.debrief import debrief
    from game.engine.play.session import Session
    from game.plain_outcome import outcome_of
    from game.reports.debrief_report import debrief_document
    from game.reports.document import Paragraph
    from game.reports.outcome_blocks import situation_disputes
    from game.reports.round_blocks import EARLIER, SOURCES_DISAGREE, disputes_of

    loaded = loader.load(FLAGSHIP)
    for role in ("pakistan", "iran"):
        session = Session.start(loaded, role, clock=lambda: 0.0)
        opening = situation_disputes(loaded.scenario, session.entries, session.node)
        unfolded = [loaded.scenario.contested_by_id[ident].claim for ident in opening]
        while session.point is not None:
            point = session.point
            step = session.choose(point.history.choice or point.choices[0].id)
            found = outcome_of(session, step)
            claims = [
                b.spans[1].text
                for b in found.disputes
                if isinstance(b, Paragraph) and b.spans[0].text == SOURCES_DISAGREE
            ]
            assert not set(claims) & set(unfolded)
            unfolded += claims
            # the point's own disputes and those the moves that followed bear on
            assert len(claims) + len(found.repeated) == len(disputes_of(point, step.events))
        assert len(unfolded) >= 2
        blocks = debrief_document(debrief(session)).blocks
        full = [
            b.spans[1].text
            for b in blocks
            if isinstance(b, Paragraph)
            and b.spans[0].text == SOURCES_DISAGREE
            and b.spans[-1].text != EARLIER
        ]
        assert sorted(full) == sorted(unfolded)


def test_r_repeats_a_section_and_d_reads_the_disputes(home: Path) -> None:
    shown = play(home, "\n2\n\nr\nd\n\n")
    outcome = shown.split("What followed\n", 1)[1]
    assert outcome.count("Verdict: you matched what happened.") == 2  # read, then repeated
    assert "Sources disagree: " in outcome.split("Verdict:")[2]  # d, after the repeat
