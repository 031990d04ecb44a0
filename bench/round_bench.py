"""Round benchmark: a reporting round of 400 members × 30 number questions, every answer
approved; the time to aggregate every question (sum, mean, quartiles for all members, each
region and each size group, with coverage) and every member's benchmark against them.

    .venv/bin/python bench/round_bench.py [--members 400] [--questions 30] [--calls 7]
                                          [--database both]

The round is made from a generated round file through `round_import`; the answers are
written straight into the tables (the workflow is not what is measured). The baseline is the
same figures computed in Python from every value fetched (`statistics.quantiles`), as a
spreadsheet-style script would. Writes bench/.data/round-*.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import benchlib
from benchlib import DATA, run_worker

SCRIPT = Path(__file__).resolve()
REGIONS = ["Nord-Norge", "Midt-Norge", "Vestlandet", "Sørlandet", "Østlandet"]
SIZES = ["small", "medium", "large"]


def setup_code(members: int, questions: int) -> str:
    return f"""
import random, yaml
from maalbilde.networks.models import Answer, Question, Round, Value
from maalbilde.networks.rounds import round_import
from maalbilde.organisations.services import organisations_upsert
members, questions = {members}, {questions}
regions, sizes = {REGIONS!r}, {SIZES!r}
organisations_upsert(entries=[
    {{"slug": "nettverk", "name": "Nettverk", "kind": "network", "parent": None,
      "description": "", "attributes": {{}}}},
    *({{"slug": f"hus-{{i}}", "name": f"Hus {{i}}", "kind": "member", "parent": "nettverk",
       "description": "", "attributes": {{"region": regions[i % 5], "size_group": sizes[i % 3]}}}}
      for i in range(members)),
])
round_import(text=yaml.safe_dump({{
    "format": "maalbilde-round/1", "slug": "bench", "title": "Bench", "network": "nettverk",
    "year": 2025, "deadline": "2026-03-01",
    "sections": [{{"title": "Tall", "questions": [
        {{"slug": f"felt-{{q}}", "kind": "number", "label": f"Felt {{q}}"}}
        for q in range(questions)]}}],
}}))
round_ = Round.objects.get(slug="bench")
Answer.objects.bulk_create(
    Answer(round=round_, organisation_id=m.organisation_id, state="approved")
    for m in round_.members.all())
rng = random.Random(1)
asked = list(round_.questions.all())
Value.objects.bulk_create(
    (Value(answer=a, question=q, number=round(rng.lognormvariate(8, 1), 1))
     for a in round_.answers.all() for q in asked), batch_size=5000)
"""


def _baseline(round_) -> int:
    """The same statistics from every value fetched into Python."""
    from maalbilde.networks.models import Value

    groups: dict = {}
    rows = Value.objects.filter(answer__round=round_, answer__state="approved").values_list(
        "question__slug", "number", "answer__organisation__attributes"
    )
    for question, number, attributes in rows:
        for key in ("all", attributes.get("region"), attributes.get("size_group")):
            groups.setdefault((question, key), []).append(number)
    figures = {}
    for key, numbers in groups.items():
        quartiles = statistics.quantiles(numbers, n=4, method="inclusive")
        figures[key] = (sum(numbers), statistics.fmean(numbers), *quartiles)
    return len(figures)


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from maalbilde.networks.models import Round, Value
    from maalbilde.networks.results import (
        members_view,
        round_benchmarks,
        round_numbers,
        round_statistics,
    )

    round_ = Round.objects.get(slug="bench")

    def ours() -> tuple[int, int]:
        """Every statistic as the secretariat and as members see them, and every member's
        place among the members' ones, from one reading of the round's numbers."""
        numbers = round_numbers(round_)
        stats = round_statistics(round_, for_member=False, numbers=numbers)
        private = members_view(round_, stats)
        benchmarks = round_benchmarks(round_, private, numbers)
        return len(stats), benchmarks.height

    def timed(function, calls: int) -> list[float]:
        function()  # warm
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
        return times

    counts = ours()
    statistics_only = timed(lambda: round_statistics(round_, for_member=False), args.calls)
    both = timed(ours, args.calls)
    baseline = timed(lambda: _baseline(round_), args.calls)
    from maalbilde.networks.releases import release_draft

    release = timed(lambda: release_draft(round_), args.calls)
    print(json.dumps({
        "values": Value.objects.filter(answer__round=round_).count(),
        "statistics": counts[0], "benchmark_rows": counts[1],
        "statistics_ms": statistics.median(statistics_only),
        "statistics_and_benchmarks_ms": statistics.median(both),
        "baseline_statistics_ms": statistics.median(baseline),
        "release_draft_ms": statistics.median(release),
        "calls": args.calls,
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--calls", type=int, default=7)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=benchlib.DEFAULT_POSTGRES_URL)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    DATA.mkdir(exist_ok=True)
    report = {"machine": benchlib.machine(), "members": args.members,
              "questions": args.questions, "databases": {}}  # fmt: skip
    for database in benchlib.databases(args.database, args.postgres_url):
        database.template(setup_code(args.members, args.questions))
        try:
            result = run_worker(SCRIPT, ["--calls", str(args.calls)], database.fresh())
        finally:
            database.drop()
        report["databases"][database.kind] = result
        print(f"{database.kind:<9} {result['values']:,} values: statistics "
              f"{result['statistics_ms']:.1f} ms, with every member's benchmark "
              f"{result['statistics_and_benchmarks_ms']:.1f} ms (baseline, statistics in "
              f"Python: {result['baseline_statistics_ms']:.1f} ms)", flush=True)  # fmt: skip
    out = DATA / f"round-{args.members}x{args.questions}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=1))
    print(f"all figures: {out.relative_to(benchlib.REPO)}")


if __name__ == "__main__":
    main()
