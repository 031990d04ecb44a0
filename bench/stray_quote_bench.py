"""Stray-quote benchmark: a CSV with one unbalanced quote near the start (12" vinyl), which
leaves every later line break inside quotes. The time to find the file's pieces and to
preview it, for 2.5, 5 and 10 MB: it should grow with the size, not with its square.

    .venv/bin/python bench/stray_quote_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def csv_with_stray_quote(megabytes: float) -> bytes:
    line = b"01.03.2026;nord;5;100;Voksen\n"
    head = b'Dato;Avdeling;Antall;Kapasitet;Billettype\n01.03.2026;12" vinyl;1;1;Voksen\n'
    return head + line * int(megabytes * 1_000_000 / len(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maalbilde.settings")
    import django

    django.setup()
    from maalbilde.data.imports import CHUNK_BYTES, _line_ranges

    results = {}
    for megabytes in (2.5, 5, 10):
        raw = csv_with_stray_quote(megabytes)
        times = []
        for _run in range(args.runs):
            started = time.perf_counter()
            pieces = list(_line_ranges(raw, 42, CHUNK_BYTES))
            times.append((time.perf_counter() - started) * 1000)
        results[f"{megabytes} MB"] = {"pieces": len(pieces),
                                      "ms_median": round(statistics.median(times), 1)}  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
