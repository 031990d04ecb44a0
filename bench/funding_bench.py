"""Funding benchmark: the expected amounts of 500 parties over 10 years — a county grant
regulated by index, municipalities by population tier (some joining during a year, the
agreement counting part-years), an amount per pupil — computed by `expected_amounts` for
each year. No database: the rules read the checked funding file.

A scenario adds 50 municipalities under two rules and is worked out for each of the years
(before and after: every party's expected amount twice, on a copy of the file).

The baseline is the same figures worked out the way a spreadsheet-style script would: for
each party and year, every rule of every agreement looked through, the index compounded from
the base year again for each party, floats rounded at the end.

An accounting export of 20 000 rows (the most an import takes) is read and every row placed
on a party with its exact amount, by `ledger_read` (the data importer's reader); its
baseline is Python's csv module with the same cell parsing, which reads only what it is
given (one encoding, one delimiter, no header matching, no limits).

    .venv/bin/python bench/funding_bench.py [--parties 500] [--years 10] [--calls 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

import benchlib
from benchlib import DATA

FIRST_YEAR = 2020


def funding_file(parties: int, years: int) -> dict:
    rng = random.Random(1)
    municipalities = [
        {"slug": f"kommune-{i}", "name": f"Kommune {i}", "kind": "municipality",
         "facts": {"population": {"value": rng.randint(1000, 200000), "checked": True},
                   "pupils": {"value": rng.randint(50, 3000), "checked": True}},
         **({"joins": {"year": FIRST_YEAR + rng.randrange(years), "month": rng.randint(1, 12)}}
            if i % 5 == 0 else {})}
        for i in range(parties - 1)
    ]  # fmt: skip
    slugs = [m["slug"] for m in municipalities]
    return {
        "format": "maalbilde-funding/1", "owner": "nettverk",
        "index": {str(FIRST_YEAR + y): 2.5 + y % 3 for y in range(years)},
        "parties": [{"slug": "fylket", "name": "Fylket", "kind": "county"}, *municipalities],
        "agreements": [{
            "slug": "avtale", "title": "Avtale", "first_year": FIRST_YEAR,
            "last_year": FIRST_YEAR + years - 1, "part_year": True,
            "rules": [
                {"slug": "fylke", "kind": "fixed", "amount": 2500000, "indexed": True,
                 "base_year": FIRST_YEAR - 1, "parties": ["fylket"]},
                {"slug": "trinn", "kind": "tiers", "fact": "population", "parties": slugs,
                 "tiers": [{"to": 14999, "amount": 60000},
                           {"from": 15000, "to": 49999, "amount": 80000},
                           {"from": 50000, "amount": 100000}]},
                {"slug": "per-elev", "kind": "per_unit", "amount": "12.50", "fact": "pupils",
                 "parties": slugs},
            ],
        }],
    }  # fmt: skip


def baseline(data: dict, years: int) -> float:
    """Every party and year, every rule looked through, the index compounded again each
    time; floats."""
    total = 0.0
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for party in data["parties"]:
            for agreement in data["agreements"]:
                for rule in agreement["rules"]:
                    if party["slug"] not in rule["parties"]:
                        continue
                    joins = party.get("joins")
                    if joins and joins["year"] > year:
                        continue
                    share = (13 - joins["month"]) / 12 if joins and joins["year"] == year else 1
                    if rule["kind"] == "fixed":
                        amount = float(rule["amount"])
                        for regulated in range(rule["base_year"] + 1, year + 1):
                            amount *= 1 + data["index"].get(str(regulated), 0) / 100
                    elif rule["kind"] == "per_unit":
                        amount = float(rule["amount"]) * party["facts"][rule["fact"]]["value"]
                    else:
                        value = party["facts"][rule["fact"]]["value"]
                        amount = next(float(t["amount"]) for t in reversed(rule["tiers"])
                                      if value >= t.get("from", 0))  # fmt: skip
                    total += round(amount * share, 2)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parties", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--calls", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maalbilde.settings")
    os.environ.setdefault("MAALBILDE_LANGUAGE", "en")
    import django

    django.setup()
    from maalbilde.funding.rules import expected_amounts
    from maalbilde.funding.scenarios import scenario_run

    data = funding_file(args.parties, args.years)
    added = [{"slug": f"ny-{i}", "name": f"Ny {i}", "kind": "municipality",
              "facts": {"population": {"value": 1000 + 997 * i, "checked": True},
                        "pupils": {"value": 100 + i, "checked": True}}}
             for i in range(50)]  # fmt: skip
    scenarios = [{"title": "Femti til", "owner": "nettverk", "year": FIRST_YEAR + y,
                  "pupils": {"before": 100000, "after": 110000}, "add_parties": added,
                  "add_to_rules": {"trinn": [p["slug"] for p in added],
                                   "per-elev": [p["slug"] for p in added]}}
                 for y in range(args.years)]  # fmt: skip

    def ours() -> int:
        return sum(len(expected_amounts(data, FIRST_YEAR + y)) for y in range(args.years))

    def what_if() -> int:
        return sum(len(scenario_run(data, scenario).after) for scenario in scenarios)

    def timed(function) -> float:
        return benchlib.warm_median_ms(function, args.calls)

    from maalbilde.funding.ledger import ledger_read, name_key
    from maalbilde.lib.norwegian import parse_amount, parse_date

    names = {name_key(p["name"]): p["slug"] for p in data["parties"]}
    export = "Bilagsdato;Bilagsnr;Kunde;Beløp\n" + "".join(
        f"{1 + i % 28:02d}.{1 + i % 12:02d}.2020;{i};{data['parties'][i % len(names)]['name']};"
        f"{1000 + i} {i % 1000:03d},{i % 100:02d}\n" for i in range(20_000))  # fmt: skip
    raw = export.encode("cp1252")

    def by_csv() -> int:
        import csv
        import io

        rows = list(csv.reader(io.StringIO(raw.decode("cp1252")), delimiter=";"))[1:]
        return len([(names[name_key(r[2])], parse_amount(r[3]), parse_date(r[0])) for r in rows])

    assert len(ledger_read(raw, names).rows) == by_csv() == 20_000
    rows = ours()
    result = {
        "machine": benchlib.machine(), "parties": args.parties, "years": args.years,
        "rows": rows, "expected_ms": timed(ours),
        "scenario_ms": timed(what_if),
        "one_scenario_ms": timed(lambda: scenario_run(data, scenarios[0])),
        "baseline_ms": timed(lambda: baseline(data, args.years)),
        "ledger_20000_ms": timed(lambda: ledger_read(raw, names)),
        "ledger_baseline_ms": timed(by_csv),
        "calls": args.calls,
    }  # fmt: skip
    print(f"{rows:,} expected amounts ({args.parties} parties × {args.years} years): "
          f"{result['expected_ms']:.1f} ms (baseline {result['baseline_ms']:.1f} ms); a scenario "
          f"of 50 more parties: {result['one_scenario_ms']:.1f} ms for one year, "
          f"{result['scenario_ms']:.1f} ms for each of the years; an accounting export of "
          f"20 000 rows {result['ledger_20000_ms']:.0f} ms (csv module "
          f"{result['ledger_baseline_ms']:.0f} ms)")  # fmt: skip
    DATA.mkdir(exist_ok=True)
    out = DATA / f"funding-{args.parties}x{args.years}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"all figures: {out.relative_to(benchlib.REPO)}")


if __name__ == "__main__":
    main()
