"""Status benchmark: the status of the whole Ringve og Rockheim plan for one year,
`plan_status(version, year=2026, today=date(2026, 11, 23))`, with 1 M, 3 M and 10 M
ticket-sales rows stored.

The database holds the four source plans and the demo data (`demo_load`, every dataset),
then generated ticket-sales exports of `--file-rows` rows each (default 1 M), spread over
2017–2026 and both sites, imported one by one through batch_import into the plan's own
`rr-billettsalg`. After each stage the status is computed warm `--calls` times (default 25)
and the median reported; then once more after ANALYZE, so that the planner's statistics are
known to be fresh.

    .venv/bin/python bench/status_bench.py                  # up to 10 M rows, both databases
    .venv/bin/python bench/status_bench.py --rows 100000    # a smoke run (10 k, 30 k, 100 k)
    .venv/bin/python bench/status_bench.py --database postgres

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import statistics
import sys
import time
from pathlib import Path

import benchlib
from benchlib import DATA, REPO, median, run_worker

SCRIPT = Path(__file__).resolve()
FIRST_DAY = datetime.date(2017, 1, 1)
LAST_DAY = datetime.date(2026, 11, 22)
TODAY = datetime.date(2026, 11, 23)
YEAR = 2026
SETUP = f"""
import datetime, glob
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from maalbilde.demo.load import demo_load
for path in sorted(glob.glob("plans/*.yaml")):
    plan_import(document=read_plan_file(path))
demo_load(today=datetime.date({TODAY.year}, {TODAY.month}, {TODAY.day}))
"""


def _status_timings(version, calls: int) -> dict:
    from django.db import connection

    from maalbilde.plans.status import plan_status

    def once():
        return plan_status(version, year=YEAR, today=TODAY)

    statuses = once()  # warm: connection, caches of the database and of Python
    once()
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        once()
        times.append((time.perf_counter() - started) * 1000)
    # One more call, with the time spent in the database (execute and fetch) taken apart.
    sql = {"queries": 0, "seconds": 0.0}

    def timed(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["queries"] += 1
            sql["seconds"] += time.perf_counter() - started

    sql_times = []
    for _ in range(5):
        sql["seconds"] = 0.0
        sql["queries"] = 0
        with connection.execute_wrapper(timed):
            once()
        sql_times.append(sql["seconds"] * 1000)
    visits = {s.organisation: s.actual for s in statuses if s.indicator == "besokstall"}
    verdicts = {}
    for status in statuses:
        verdicts[status.verdict] = verdicts.get(status.verdict, 0) + 1
    return {
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "p90_ms": sorted(times)[max(0, math.ceil(0.9 * len(times)) - 1)],
        "calls": calls,
        "targets": len(statuses),
        "queries": sql["queries"],
        "sql_execute_ms_median": statistics.median(sql_times),
        "verdicts": verdicts,
        "besokstall_2026": visits,
    }


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Sum

    from maalbilde.data.imports import batch_import
    from maalbilde.data.models import Batch, Dataset, Fact
    from maalbilde.organisations.models import Organisation
    from maalbilde.plans.models import Plan

    files = json.loads(Path(args.files).read_text())
    stages = [int(s) for s in args.stages.split(",")]
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    dataset = Dataset.objects.get(slug="rr-billettsalg")
    nmm = Organisation.objects.get(slug="nmm")
    results = []
    imported_rows = 0
    imports = []
    pending = list(files)
    for stage in [0, *stages]:
        while imported_rows < stage and pending:
            item = pending.pop(0)
            started = time.perf_counter()
            result = batch_import(
                dataset=dataset,
                raw=Path(item["path"]).read_bytes(),
                file_name=Path(item["path"]).name,
                organisation=nmm,
            )
            imports.append(time.perf_counter() - started)
            imported_rows += result.rows_stored
            print(
                f"    imported {Path(item['path']).name}: {result.rows_stored:,} rows, "
                f"{result.batch.facts:,} facts, {imports[-1]:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        as_imported = _status_timings(version, args.calls)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analysed = _status_timings(version, args.calls)
        batches = Batch.objects.active().filter(dataset=dataset)
        ticket_rows = batches.aggregate(rows=Sum("rows_stored"))["rows"] or 0
        all_rows = Batch.objects.active().aggregate(rows=Sum("rows_stored"))["rows"] or 0
        facts = Fact.objects.aggregate(n=Count("id"))["n"]
        ticket_facts = Fact.objects.filter(dataset=dataset).aggregate(n=Count("id"))["n"]
        results.append(
            {
                "bench_rows": imported_rows,
                "ticket_rows_stored": ticket_rows,
                "all_rows_stored": all_rows,
                "facts": facts,
                "ticket_facts": ticket_facts,
                "as_imported": as_imported,
                "after_analyze": analysed,
            }
        )
        print(
            f"  {imported_rows:>12,} bench rows ({all_rows:,} rows in all, {facts:,} facts):"
            f" status median {as_imported['median_ms']:.1f} ms, after ANALYZE "
            f"{analysed['median_ms']:.1f} ms ({as_imported['targets']} targets, "
            f"{as_imported['queries']} queries)",
            file=sys.stderr,
            flush=True,
        )
    print(json.dumps({"stages": results, "import_seconds": imports}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rows",
        type=benchlib.parse_count,
        default=10_000_000,
        help="ticket-sales rows at the last stage; the stages are 1/10, 3/10 and all of it",
    )
    parser.add_argument(
        "--file-rows",
        type=benchlib.parse_count,
        default=None,
        help="rows per imported file (default: --rows / 10, at most 1 M)",
    )
    parser.add_argument("--calls", type=int, default=25, help="timed status calls per stage")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=benchlib.DEFAULT_POSTGRES_URL)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    parser.add_argument("--stages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    stages = [args.rows // 10, args.rows * 3 // 10, args.rows]
    file_rows = args.file_rows or min(1_000_000, max(1, args.rows // 10))
    DATA.mkdir(exist_ok=True)
    files = []
    for number in range(math.ceil(args.rows / file_rows)):
        # Every other file as Excel would save it (Windows-1252), the rest UTF-8 with BOM.
        encoding = "utf-8-sig" if number % 2 == 0 else "cp1252"
        path, meta = benchlib.export_file(file_rows, 100 + number, FIRST_DAY, LAST_DAY, encoding)
        files.append({"path": str(path), "rows": meta["rows"]})
        files[-1]["visits_2026"] = {
            site: meta["antall_by_site_year"].get(f"{site.capitalize()}-{YEAR}", 0)
            for site in ("ringve", "rockheim")
        }
    files_json = DATA / f"status-files-{args.rows}-{file_rows}.json"
    files_json.write_text(json.dumps(files))
    print(f"{len(files)} files of {file_rows:,} rows; stages {', '.join(f'{s:,}' for s in stages)}")

    report = {
        "machine": benchlib.machine(),
        "postgres": benchlib.postgres_version(args.postgres_url),
        "stages": stages,
        "file_rows": file_rows,
        "databases": {},
    }
    for database in benchlib.databases(args.database, args.postgres_url):
        print(f"\n== {database.kind} ==", flush=True)
        started = time.perf_counter()
        database.template(SETUP)
        print(
            f"  migrated, four plans and demo data loaded in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        env = database.fresh()
        result = run_worker(
            SCRIPT,
            [
                "--files",
                str(files_json),
                "--stages",
                ",".join(map(str, stages)),
                "--calls",
                str(args.calls),
            ],
            env,
        )
        report["databases"][database.kind] = result
        if not args.keep:
            database.drop()

    print("\n== status of ringve-rockheim for 2026, warm median ==")
    for kind, result in report["databases"].items():
        line = [f"{kind}:"]
        for stage in result["stages"]:
            line.append(
                f"{stage['bench_rows']:,} rows → {stage['as_imported']['median_ms']:.1f} ms"
                f" ({stage['after_analyze']['median_ms']:.1f} after ANALYZE)"
            )
        print("  ".join(line))
        first, last = result["stages"][1], result["stages"][-1]
        growth = last["as_imported"]["median_ms"] / first["as_imported"]["median_ms"]
        print(
            f"  growth {first['bench_rows']:,} → {last['bench_rows']:,} rows: {growth:.2f}×; "
            f"{last['ticket_rows_stored']:,} ticket-sales rows are {last['ticket_facts']:,} facts;"
            f" all datasets: {last['all_rows_stored']:,} rows, {last['facts']:,} facts; "
            f"imports median {median(result['import_seconds']):.1f} s a file"
        )
        # The visits indicator must have grown by exactly the generated rows of 2026.
        added = {
            site: sum(f["visits_2026"][site] for f in files) for site in ("ringve", "rockheim")
        }
        before = result["stages"][0]["as_imported"]["besokstall_2026"]
        after = last["as_imported"]["besokstall_2026"]
        for site in ("ringve", "rockheim"):
            ok = round(after[site] - before[site]) == added[site]
            print(
                f"  besokstall {site} 2026: {before[site]:,.0f} (demo) + {added[site]:,} "
                f"(generated) = {after[site]:,.0f} {'✓' if ok else '** MISMATCH **'}"
            )
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = DATA / f"status-{args.rows}-{stamp}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nall figures: {out.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
