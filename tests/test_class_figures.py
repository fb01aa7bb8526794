"""Every figure of the class report, checked against a computation written here from the raw
JSON records and the raw scenario YAML (Decimal rounding, the statistics module), not from
the engine's own helpers."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from game.cli import main
from game.engine.play.session import Session
from game.engine.scenario.loaded import LoadedScenario
from tests.conftest import FLAGSHIP, ROOT

# (player, role, choices, status): ties, odd and even counts per point, abandoned rounds,
# a point reached by one round only, a name that looks like a formula, an unnamed round.
CLASS = [
    (
        "Ana",
        "pakistan",
        ["recall_and_bar", "targeted_strikes", "open_channels", "host_visit"],
        "finished",
    ),
    (
        "Ben",
        "pakistan",
        ["protest_only", "hold_fire", "open_channels", "border_commission"],
        "finished",
    ),
    ("Cleo", "pakistan", ["recall_and_bar", "targeted_strikes", "warn_again"], "abandoned"),
    (
        "Dev",
        "pakistan",
        ["strike_today", "explain_and_call", "open_channels", "host_visit"],
        "finished",
    ),
    ("=SUM(A1)", "pakistan", ["appeal_abroad"], "abandoned"),
    (
        "",
        "iran",
        [
            "strike_jaish",
            "defend_and_reassure",
            "demand_explanation",
            "agree_deescalate",
            "fm_visit",
        ],
        "finished",
    ),
    ("Gus", "iran", ["strike_jaish", "warn_pakistan", "counter_strike", "hit_back"], "finished"),
    ("Eli", "iran", ["strike_jaish"], "abandoned"),
    ("Fay", "iran", ["border_only"], "abandoned"),
]
SECONDS = [12.5, 40.0, 7.25, 61.5, 30.0, 44.5, 9.0]


def half_up(value: Decimal | float | int, places: int = 0) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def share(part: int, whole: int) -> str:
    return f"{half_up(Decimal(part) * 100 / Decimal(whole))}%"


def write_class(loaded: LoadedScenario, folder: Path) -> None:
    folder.mkdir()
    clock = [1_700_000_000.0]
    tick = iter(SECONDS * 10)

    def now() -> float:
        return clock[0]

    for number, (player, role, choices, status) in enumerate(CLASS):
        session = Session.start(loaded, role, player=player, clock=now)
        for choice in choices:
            clock[0] += next(tick)
            session.choose(choice, rationale=f"reason {number}-{choice}")
        if status == "abandoned":
            session.abandon()
        assert session.status == status, (player, session.status)
        session.round_id = f"round-{number:02d}"
        path = folder / f"{session.round_id}.json"
        path.write_text(json.dumps(session.to_dict()))


def independent(folder: Path, keep: set[str]) -> dict[str, Any]:
    """The report's figures from the raw files."""
    scenario = yaml.safe_load(FLAGSHIP.read_text())
    points = {p["id"]: p for p in scenario["points"]}
    ladder = [r["id"] for r in scenario["ladder"]]
    endings = {e["id"]: e for e in scenario["endings"]}
    records = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    records = [r for r in records if r["status"] in keep]
    figures: dict[str, Any] = {"rounds": len(records), "by_point": defaultdict(Counter)}
    matched = decided = 0
    divergences = []
    seconds: dict[str, list[int]] = defaultdict(list)
    curves: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    students = []
    for record in records:
        decisions = [e for e in record["entries"] if e["kind"] == "decision"]
        mine = 0
        per_day: Counter[str] = Counter()
        for d in decisions:
            figures["by_point"][d["point"]][d["choice"]] += 1
            mine += d["choice"] == points[d["point"]]["history"].get("choice")
            seconds[d["point"]].append(int(Decimal(str(d["seconds"])).quantize(1, ROUND_HALF_UP)))
            day = str(points[d["point"]]["date"])
            curves[(record["role"], day, per_day[day])].append(ladder.index(d["rung"]))
            per_day[day] += 1
        ending = record["state"].get("ending")
        distance = endings[ending]["distance"] if ending else 10
        differ = Decimal(len(decisions) - mine) / Decimal(len(decisions))
        divergence = int(half_up(50 * differ + Decimal(distance * 50) / 10))
        divergences.append(divergence)
        matched += mine
        decided += len(decisions)
        students.append(
            (record["player"], record["role"], ending, mine, len(decisions), divergence)
        )
    figures.update(
        matched=matched,
        decided=decided,
        match_percent=share(matched, decided),
        average=float(half_up(Decimal(sum(divergences)) / len(divergences), 1)),
        seconds={p: float(half_up(statistics.median(v))) for p, v in seconds.items()},
        curves={
            k: (min(v), statistics.median(v), max(v), float(half_up(statistics.mean(v), 2)))
            for k, v in curves.items()
        },
        students=sorted(students),
        endings=Counter(r["state"].get("ending") or "(unfinished)" for r in records),
    )
    return figures


@pytest.fixture
def class_folder(flagship: LoadedScenario, tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    write_class(flagship, folder)
    return folder


def report(folder: Path, tmp_path: Path, *options: str) -> dict[str, Any]:
    output = tmp_path / "class.json"
    assert main(["class", str(folder), "--format", "json", "-o", str(output), *options]) == 0
    data = json.loads(output.read_text())
    assert len(data["groups"]) == 1
    return data["groups"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("status", "keep"),
    [("all", {"finished", "abandoned"}), ("finished", {"finished"}), ("abandoned", {"abandoned"})],
)
def test_every_figure_matches_an_independent_computation(
    class_folder: Path, tmp_path: Path, status: str, keep: set[str]
) -> None:
    expected = independent(class_folder, keep)
    group = report(class_folder, tmp_path, "--status", status)
    assert group["rounds"] == expected["rounds"]
    assert group["match"] == {
        "matched": expected["matched"],
        "decisions": expected["decided"],
        "percent": expected["match_percent"],
        "no_move_in_time": 0,  # no match here: tests/test_no_move_in_time.py counts those
    }
    assert group["divergence"]["average"] == expected["average"]
    for point in group["points"]:
        counts = expected["by_point"][point["point"]]
        total = sum(counts.values())
        assert point["decisions"] == total
        assert point["median_seconds"] == expected["seconds"][point["point"]]
        for choice in point["choices"]:
            assert choice["rounds"] == counts[choice["choice"]]
            assert choice["percent"] == share(counts[choice["choice"]], total)
        if point["matched"] is not None:
            real = next(c["choice"] for c in point["choices"] if c["historical"])
            assert point["matched"] == counts[real]
            assert point["match_percent"] == share(counts[real], total)
    assert {p["point"] for p in group["points"]} == set(expected["by_point"])
    seen = {}
    for curve in group["curves"]:
        for p in curve["points"]:
            if p["rounds"]:
                seen[(curve["role"], p["date"], p["ordinal"])] = (
                    p["lowest"],
                    p["median"],
                    p["highest"],
                    p["mean"],
                )
    assert seen == {
        k: (lo, float(md), hi, mn) for k, (lo, md, hi, mn) in expected["curves"].items()
    }
    got_students = sorted(
        (s["name"], s["role"], s["ending"], s["matched"], s["decisions"], s["divergence"])
        for s in group["students"]
    )
    assert got_students == expected["students"]
    assert {e["ending"]: e["rounds"] for e in group["endings"]} == expected["endings"]
    for ending in group["endings"]:
        assert ending["percent"] == share(ending["rounds"], expected["rounds"])


def test_the_class_exercises_ties_even_counts_and_halves(
    class_folder: Path, tmp_path: Path
) -> None:
    """The made-up class really has the cases the statistics must get right."""
    group = report(class_folder, tmp_path)
    first = next(p for p in group["points"] if p["point"] == "pk_response")
    counts = sorted(c["rounds"] for c in first["choices"] if c["rounds"])
    assert counts == [1, 1, 1, 2]  # a tie, and 1 of 5 = 20 %
    evens = [
        p for c in group["curves"] for p in c["points"] if p["rounds"] and p["rounds"] % 2 == 0
    ]
    assert any(p["median"] != int(p["median"]) for p in evens)  # a median between two rungs
    assert "abandoned" in group["statuses"] and "finished" in group["statuses"]


def test_the_report_shows_the_same_figures_in_every_format(
    class_folder: Path, tmp_path: Path
) -> None:
    group = report(class_folder, tmp_path)
    out = tmp_path / "class.md"
    assert main(["class", str(class_folder), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text()
    match = group["match"]
    assert f"{match['matched']} of {match['decisions']} ({match['percent']})" in text
    assert f"{group['divergence']['average']:.1f} of 100" in text
    assert "Iran's government" in text and "Role: iran" not in text
    assert "Not historical:" in text  # "After the strike" never arose
    assert text.index("Answering the strike") < text.index("Jaish al-Adl across the border")
    reasons = text[text.index("Reasons students gave") :]
    assert reasons.index("Pakistan's caretaker") < reasons.index("Iran's government")
    for question in yaml.safe_load(FLAGSHIP.read_text())["discussion"]:
        assert question.split()[0] in text
    assert "Sources" in text and "Where the sources disagree" in text


def test_anonymized_reports_use_stable_pseudonyms_only(class_folder: Path, tmp_path: Path) -> None:
    first = report(class_folder, tmp_path, "--anonymize")
    again = report(class_folder, tmp_path, "--anonymize")
    names = [s["name"] for s in first["students"]]
    assert names == [s["name"] for s in again["students"]]
    assert all(name.startswith("Student ") for name in names)
    assert len(set(names)) == len(names)
    for fmt in ("md", "html", "csv", "text"):
        out = tmp_path / f"class.{fmt}"
        assert (
            main(["class", str(class_folder), "--format", fmt, "--anonymize", "-o", str(out)]) == 0
        )
        shown = out.read_text()
        for player, *_ in CLASS:
            if player:
                assert player not in shown, (fmt, player)


def test_rows_come_in_a_stable_order(class_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "class.csv"
    assert main(["class", str(class_folder), "--format", "csv", "-o", str(out)]) == 0
    rounds = [line.split(",")[1] for line in out.read_text().splitlines()[1:]]
    assert rounds == sorted(rounds)


def test_debrief_json_has_the_full_content(flagship: LoadedScenario, tmp_path: Path) -> None:
    import jsonschema

    session = Session.start(flagship, "pakistan", player="Ana")
    for choice in ("strike_today", "explain_and_call", "open_channels"):
        session.choose(choice, rationale="because")
    path = tmp_path / "round.json"
    path.write_text(json.dumps(session.to_dict()))
    out = tmp_path / "debrief.json"
    assert main(["debrief", str(path), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    schema = json.loads((ROOT / "docs" / "debrief.schema.json").read_text())
    jsonschema.validate(data, schema)
    first = data["decisions"][0]
    assert first["consequence"] and first["why_plausible"] and first["discuss"]
    assert data["decisions"][1]["historical_situation"] is False
    assert data["sources"] and data["discussion"]
    assert [p["date"] for p in data["curve"]] == ["2024-01-17", "2024-01-18", "2024-01-19"]
    assert dt.date.fromisoformat(data["historical_curve"][-1]["date"]) == dt.date(2024, 1, 29)


def test_class_json_matches_its_schema(class_folder: Path, tmp_path: Path) -> None:
    import jsonschema

    out = tmp_path / "class.json"
    assert main(["class", str(class_folder), "--format", "json", "-o", str(out)]) == 0
    schema = json.loads((ROOT / "docs" / "class-report.schema.json").read_text())
    jsonschema.validate(json.loads(out.read_text()), schema)


def test_one_rounding_rule_and_a_true_median() -> None:
    from fractions import Fraction

    from game.engine.base.stats import half_up, median, percent

    assert [half_up(Fraction(n, 2)) for n in (1, 3, 5, 115, 165)] == ["1", "2", "3", "58", "83"]
    assert percent(33, 40) == "83%" and percent(23, 40) == "58%" and percent(0, 0) == "–"
    assert half_up(Fraction(2781, 100), 1) == "27.8" and half_up(Fraction(-5, 2)) == "-3"
    assert median({0: 1, 1: 1, 3: 1, 4: 1}) == 2  # Diplomatic downgrade, not Formal protest
    assert median({1: 1, 2: 1, 4: 2}) == 3
    assert median({1: 1, 2: 1}) == Fraction(3, 2) and median({}) is None


def test_the_chart_is_readable_without_colour_and_draws_a_single_decision() -> None:
    from game.reports.curves import Line, calendar_curves, svg_curves

    day = dt.date(2024, 1, 17)
    curves = calendar_curves(
        (
            Line("You", {(day, 0): 2.0}),
            Line("History", {(day, 0): 2.0, (day, 1): 3.0, (dt.date(2024, 1, 29), 0): 0.0}),
        ),
        ("Normal", "Protest", "Downgrade", "Strike"),
    )
    svg = svg_curves(curves)
    assert svg.count('class="m0"') == 2  # the lone decision's marker, and its legend's
    assert 'stroke-dasharray="8 5"' in svg and 'class="m1"' in svg  # history: dashes, squares
    assert "17 Jan" in svg and "29 Jan" in svg and "≈" in svg  # dates, and the quiet stretch
    assert "In-game date (2024)" in svg and "Escalation ladder" in svg
    assert 'fill="currentColor">You<' in svg  # legend text follows the page (light or dark)
    assert 0 < curves.series[1].points[1][0] < 1  # a second decision that day, later that day
