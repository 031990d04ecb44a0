"""Release check benchmark: how long the disclosure check of a new release takes after a
year of releases, for the network's sum of one number question.

    .venv/bin/python bench/release_bench.py [--members 400] [--releases 12] [--runs 5]

A synthetic history, no database: between two releases some members are approved (0–40) and
up to three approved members correct their answer (the history a real round would have;
a change from fewer than four members is held back, as the real check would). Then the time
of `hold_back` for one more release against all before it, median of the runs. A round with
30 number questions and a survey runs the check once per question and option.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from maalbilde.networks.disclosure import hold_back


def history(members: int, releases: int, seed: int) -> list[dict[int, float]]:
    rng = random.Random(seed)
    state: dict[int, float] = {}
    waiting = list(range(members))
    rng.shuffle(waiting)
    shown: list[dict[int, float]] = []
    for _ in range(releases + 1):
        for _ in range(rng.randint(0, 40)):
            if waiting:
                state[waiting.pop()] = float(rng.randint(1, 100_000))
        for member in rng.sample(sorted(state), min(len(state), rng.randint(0, 3))):
            state[member] = float(rng.randint(1, 100_000))
        candidate = dict(state)
        if not hold_back({"c": {"q": candidate}}, {"q": shown}):
            shown.append(candidate)
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--releases", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times, sizes = [], []
    for run in range(args.runs):
        rows = history(args.members, args.releases, seed=run)
        last = {**rows[-1], 10_000 + run: 1.0, 10_001 + run: 2.0}  # one more, two approved
        started = time.perf_counter()
        hold_back({"next": {"q": last}}, {"q": rows})
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(rows))
    print(json.dumps({
        "members": args.members, "releases_shown": sizes, "runs": args.runs,
        "check_ms_median": round(statistics.median(times), 1),
        "check_ms_max": round(max(times), 1), "python": platform.python_version(),
        "machine": platform.processor() or platform.machine(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
