"""Import benchmark: a generated 1 000 000-row ticket-sales CSV in Norwegian format.

Measured in the same run, each part in a fresh process on a fresh copy of a migrated
database (so a part's peak RSS is its own, and no part sees another's rows):
  (a) Målbilde's batch_import, end to end: read the file's bytes → batch stored;
  (b) a naive baseline: the csv module, Python parsing of every Norwegian number and date,
      and the ORM creating one Fact per line, bulk_create in batches of 5 000;
  (c) DuckDB's bare read_csv of the same file into a table, as the floor;
  (d) the peak memory (RSS) of each.

    .venv/bin/python bench/import_bench.py                    # 1 M rows, SQLite and PostgreSQL
    .venv/bin/python bench/import_bench.py --rows 10000       # a smoke run
    .venv/bin/python bench/import_bench.py --database sqlite --runs 5 --baseline-runs 1

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

import benchlib
from benchlib import DATA, REPO, median, run_worker

SCRIPT = Path(__file__).resolve()
FIRST_DAY = datetime.date(2025, 1, 1)
LAST_DAY = datetime.date(2026, 11, 22)
BENCH_DATASET = "bench-billettsalg"
PLAN_DATASET = "rr-billettsalg"

# The bench plan: the plan file's own organisations, and a dataset that declares all ten
# columns of the export (three categories, five measures), so that the importer parses and
# keeps everything the baseline does.
SETUP = r"""
import yaml
from maalbilde.plans.files import parse_plan_file, read_plan_file
from maalbilde.plans.services import plan_import
real = read_plan_file("plans/ringve-rockheim.yaml")
plan_import(document=real)
with open("plans/ringve-rockheim.yaml", encoding="utf-8") as plan_file:
    organisations = yaml.safe_load(plan_file)["organisations"]
columns = [
    {"name": "dato", "role": "date", "label": "Dato"},
    {"name": "sted", "role": "organisation", "label": "Sted"},
    {"name": "arrangement", "role": "category", "label": "Arrangement"},
    {"name": "billettype", "role": "category", "label": "Billettype"},
    {"name": "salgskanal", "role": "category", "label": "Salgskanal"},
    {"name": "antall", "role": "measure", "label": "Antall"},
    {"name": "pris", "role": "measure", "label": "Pris"},
    {"name": "brutto", "role": "measure", "label": "Beløp brutto"},
    {"name": "gebyr", "role": "measure", "label": "Gebyr"},
    {"name": "netto", "role": "measure", "label": "Netto"},
]
plan = {
    "format": "maalbilde-plan/1",
    "organisations": organisations,
    "plan": {"slug": "bench", "title": "Benchmark", "owner": "nmm", "start_year": 2024,
             "end_year": 2030, "state": "draft"},
    "datasets": [{"slug": "bench-billettsalg", "name": "Billettsalg (benchmark, alle kolonner)",
                  "organisation_column": "sted", "date_column": "dato", "columns": columns}],
    "focus_areas": [{"slug": "bench", "title": "Benchmark", "indicators": [
        {"slug": "bench-besok", "name": "Besøk", "unit": "count",
         "metric": {"dataset": "bench-billettsalg", "aggregate": "sum", "column": "antall"}}]}],
}
plan_import(document=parse_plan_file(yaml.safe_dump(plan, allow_unicode=True).encode()))
"""


# --- the measured parts (each in its own process) --------------------------------------------


def _django() -> None:
    import django

    django.setup()


def part_maalbilde(path: Path, dataset_slug: str) -> dict:
    _django()
    from django.db import connection
    from django.db.models import Sum

    from maalbilde.data.imports import batch_import
    from maalbilde.data.models import Dataset, Fact
    from maalbilde.organisations.models import Organisation

    dataset = Dataset.objects.get(slug=dataset_slug)
    organisation = Organisation.objects.get(slug="nmm")
    connection.ensure_connection()
    rss_before = benchlib.current_rss_mb()
    stages: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(stage: str) -> None:
        stages.append((stage, time.perf_counter() - started))

    raw = path.read_bytes()
    result = batch_import(
        dataset=dataset,
        raw=raw,
        file_name=path.name,
        organisation=organisation,
        progress=progress,
    )
    seconds = time.perf_counter() - started
    peak = benchlib.peak_rss_mb()
    antall = dataset.slots["antall"]
    totals = Fact.objects.filter(batch=result.batch).aggregate(rows=Sum("rows"), antall=Sum(antall))
    return {
        "seconds": seconds,
        "peak_rss_mb": peak,
        "rss_before_mb": rss_before,
        "rows_stored": result.rows_stored,
        "rows_skipped": len(result.skipped),
        "facts": result.batch.facts,
        "fact_rows": int(totals["rows"] or 0),
        "antall": round(float(totals["antall"] or 0)),
        "stages": stages,
    }


def _naive_number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace(",", ".")
    return float(cleaned)


def part_naive(path: Path, dataset_slug: str) -> dict:
    """The baseline as a developer would first write it."""
    _django()
    import csv
    import hashlib
    import io

    from django.db import connection, transaction
    from django.db.models import Sum

    from maalbilde.data.models import Batch, Dataset, Fact
    from maalbilde.organisations.models import Organisation

    dataset = Dataset.objects.get(slug=dataset_slug)
    organisation = Organisation.objects.get(slug="nmm")
    connection.ensure_connection()
    rss_before = benchlib.current_rss_mb()
    started = time.perf_counter()

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = [h.strip() for h in next(reader)]
    # Which cell holds each declared column, by its label (the file's header).
    cell = {c["name"]: header.index(c.get("label") or c["name"]) for c in dataset.columns}
    date_cell = cell[dataset.date_column]
    site_cell = cell[dataset.organisation_column]
    measures = [
        (cell[c["name"]], dataset.slots[c["name"]]) for c in dataset.columns_with_role("measure")
    ]
    categories = [
        (cell[c["name"]], dataset.slots[c["name"]]) for c in dataset.columns_with_role("category")
    ]
    sites = {
        name.lower(): pk
        for pk, name in Organisation.objects.subtree(organisation).values_list("pk", "name")
    }
    stored = 0
    with transaction.atomic():
        batch = Batch.objects.create(
            dataset=dataset,
            organisation=organisation,
            file_name=path.name,
            checksum=hashlib.sha256(raw).hexdigest(),
        )
        pending: list[Fact] = []
        for row in reader:
            if not any(value.strip() for value in row):
                continue  # a blank row
            if row[0].strip().lower() in ("sum", "totalt"):
                continue  # the closing total
            day, month, year = row[date_cell].strip().split(".")
            date = datetime.date(int(year), int(month), int(day))
            values = {"rows": 1}
            for index, slot in measures:
                number = _naive_number(row[index])
                values[slot] = number
                values["k" + slot[1:]] = 0 if number is None else 1
            for index, slot in categories:
                values[slot] = row[index].strip()
            pending.append(
                Fact(
                    batch=batch,
                    dataset=dataset,
                    organisation_id=sites[row[site_cell].strip().lower()],
                    year=date.year,
                    month=date.month,
                    **values,
                )
            )
            if len(pending) == 5000:
                Fact.objects.bulk_create(pending)
                stored += len(pending)
                pending = []
        Fact.objects.bulk_create(pending)
        stored += len(pending)
        batch.rows_read = batch.rows_stored = batch.facts = stored
        batch.save()
    seconds = time.perf_counter() - started
    peak = benchlib.peak_rss_mb()
    antall = dataset.slots["antall"]
    totals = Fact.objects.filter(batch=batch).aggregate(rows=Sum("rows"), antall=Sum(antall))
    return {
        "seconds": seconds,
        "peak_rss_mb": peak,
        "rss_before_mb": rss_before,
        "rows_stored": stored,
        "facts": stored,
        "fact_rows": int(totals["rows"] or 0),
        "antall": round(float(totals["antall"] or 0)),
    }


def part_duckdb(path: Path) -> dict:
    """DuckDB reading the same file into a table of text columns: the floor for reading."""
    try:
        import duckdb
    except ImportError:
        return {"missing": True}
    connection = duckdb.connect()
    rss_before = benchlib.current_rss_mb()
    started = time.perf_counter()
    connection.execute(
        "CREATE TABLE sales AS SELECT * FROM read_csv(?, delim = ';', header = true, "
        "all_varchar = true)",
        [str(path)],
    )
    seconds = time.perf_counter() - started
    rows = connection.execute("SELECT count(*) FROM sales").fetchone()[0]
    return {
        "seconds": seconds,
        "peak_rss_mb": benchlib.peak_rss_mb(),
        "rss_before_mb": rss_before,
        "rows_read": rows,
        "threads": connection.execute("SELECT current_setting('threads')").fetchone()[0],
    }


def worker(args: argparse.Namespace) -> None:
    path = Path(args.file)
    if args.part == "maalbilde":
        result = part_maalbilde(path, args.dataset)
    elif args.part == "naive":
        result = part_naive(path, args.dataset)
    else:
        result = part_duckdb(path)
    print(json.dumps(result))


# --- the run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=benchlib.parse_count, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=benchlib.DEFAULT_POSTGRES_URL)
    parser.add_argument("--runs", type=int, default=3, help="runs of (a) and (c)")
    parser.add_argument("--baseline-runs", type=int, default=1, help="runs of (b)")
    parser.add_argument("--encoding", choices=["utf-8-sig", "cp1252"], default="utf-8-sig")
    parser.add_argument(
        "--plan-dataset",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also import into the plan's own rr-billettsalg (5 of the 10 columns declared)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", default=BENCH_DATASET, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    DATA.mkdir(exist_ok=True)
    path, meta = benchlib.export_file(args.rows, 1, FIRST_DAY, LAST_DAY, args.encoding)
    print(
        f"file: {path.relative_to(REPO)} ({meta['bytes'] / 1e6:.1f} MB, {meta['rows']:,} rows "
        f"+ blank + Sum row, {meta['encoding']})",
        flush=True,
    )
    report = {
        "machine": benchlib.machine(),
        "postgres": benchlib.postgres_version(args.postgres_url),
        "file": {k: meta[k] for k in ("rows", "bytes", "sha256", "encoding", "antall")},
        "databases": {},
    }

    for database in benchlib.databases(args.database, args.postgres_url):
        print(f"\n== {database.kind} ==", flush=True)
        database.template(SETUP)
        results: dict[str, list[dict]] = {
            "maalbilde": [],
            "naive": [],
            "duckdb": [],
            "maalbilde_plan_dataset": [],
        }

        def measure(
            part: str, dataset: str = BENCH_DATASET, key: str = "", db=database, results=results
        ) -> None:
            env = db.fresh()
            result = run_worker(
                SCRIPT, ["--part", part, "--file", str(path), "--dataset", dataset], env
            )
            results[key or part].append(result)
            line = f"  {key or part:24} {result.get('seconds', float('nan')):8.2f} s"
            line += f"  peak {result.get('peak_rss_mb', float('nan')):6.0f} MB"
            if "facts" in result:
                line += f"  facts {result['facts']:,}  antall {result['antall']:,}"
                if result["antall"] != meta["antall"] or result["fact_rows"] != meta["rows"]:
                    line += "  ** TOTALS DIFFER FROM THE FILE **"
            print(line, flush=True)

        for _run in range(args.runs):
            measure("maalbilde")
            if args.plan_dataset:
                measure("maalbilde", PLAN_DATASET, "maalbilde_plan_dataset")
            measure("duckdb")  # touches no database; run beside (a) for the same conditions
        for _run in range(args.baseline_runs):
            measure("naive")
        if not args.keep:
            database.drop()
        report["databases"][database.kind] = results

    print("\n== medians ==")
    for kind, results in report["databases"].items():
        floor = results["duckdb"]
        floor_s = median([r["seconds"] for r in floor]) if "seconds" in floor[0] else None
        a = median([r["seconds"] for r in results["maalbilde"]])
        b = median([r["seconds"] for r in results["naive"]])
        peak = max(r["peak_rss_mb"] for r in results["maalbilde"])
        print(
            f"{kind}: (a) Målbilde {a:.2f} s  (b) naive {b:.2f} s  "
            f"(c) DuckDB {floor_s or float('nan'):.2f} s  (a) peak {peak:.0f} MB  "
            f"b/a {b / a:.1f}x  a/c {a / floor_s if floor_s else float('nan'):.1f}x"
        )
        if results["maalbilde_plan_dataset"]:
            p = median([r["seconds"] for r in results["maalbilde_plan_dataset"]])
            print(f"{kind}: (a') Målbilde into rr-billettsalg (5 declared columns) {p:.2f} s")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = DATA / f"import-{args.rows}-{stamp}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nall figures: {out.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
