"""Play seeded random rounds of a scenario through the engine and write their result records.

Used for docs/examples (see docs/debrief.md) and by the class-report benchmark:

    python scripts/make_sample_results.py docs/examples/sample-results --count 12 --seed 2024
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

from game.engine.checks import loader
from game.engine.play.session import Session
from game.engine.scenario.loaded import LoadedScenario

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "iran-pakistan-2024.yaml"
NAMES = (
    "Amina",
    "Bilal",
    "Chen",
    "Dana",
    "Emre",
    "Farah",
    "Gabriel",
    "Hina",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
)
REASONS = (
    "We cannot look weak at home.",
    "Keep every channel open.",
    "A measured answer avoids a spiral.",
    "Sovereignty has to be defended.",
    "China will press both sides anyway.",
    "The evidence is not clear yet.",
    "",
)


def random_round(
    loaded: LoadedScenario, rng: random.Random, number: int, history_bias: float = 0.5
) -> Session:
    """One round with seeded choices, leaning towards history by ``history_bias``."""
    now = [1_706_000_000.0 + number * 3600]
    role = rng.choice(loaded.scenario.roles).id
    session = Session.start(loaded, role, NAMES[number % len(NAMES)], clock=lambda: now[0])
    session.round_id = f"sample-{number:05d}"
    while session.point is not None:
        point = session.point
        if point.history.choice and rng.random() < history_bias:
            choice = point.history.choice
        else:
            choice = rng.choice(point.choices).id
        now[0] += rng.randint(15, 150)  # seconds the student thinks
        session.choose(choice, rng.choice(REASONS))
    return session


def write_records(folder: Path, count: int, seed: int, scenario: Path = FLAGSHIP) -> None:
    """Write ``count`` result records into ``folder``."""
    loaded = loader.load(scenario)
    rng = random.Random(seed)
    for number in range(count):
        session = random_round(loaded, rng, number)
        data = session.to_dict()
        data["scenario"]["file"] = (
            str(scenario.relative_to(ROOT)) if scenario.is_relative_to(ROOT) else str(scenario)
        )
        (folder / f"{session.round_id}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if args.folder.exists():
        shutil.rmtree(args.folder)
    args.folder.mkdir(parents=True)
    write_records(args.folder, args.count, args.seed)


if __name__ == "__main__":
    main()
