"""Report benchmark: the annual report of the whole Ringve og Rockheim plan for 2025 (every
focus area, goal and indicator, the demo's figures), made as HTML, PDF, DOCX and XLSX, each
`--calls` times (default 5) after a warm-up; the median, and where the time goes: the
status rows (`plan_status`), the content (`report_build`), the HTML, and WeasyPrint's
layout and PDF (the PDF's time less the HTML's). And Norske kulturhus' yearly analysis of
its two statistics rounds (40 houses, 2024 and 2025) as HTML, PDF and DOCX.

The database is a new SQLite file in a temporary folder with the four plans and the demo
data (`demo_load`, as `make run` has them).

    .venv/bin/python bench/report_bench.py [--calls 5]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import benchlib
from benchlib import DATA, REPO

TODAY = datetime.date(2026, 11, 23)
YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="maalbilde-report-bench-")
    os.environ["MAALBILDE_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maalbilde.settings")
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    from maalbilde.demo.load import demo_load
    from maalbilde.networks.models import Round
    from maalbilde.networks.releases import latest_release
    from maalbilde.plans.models import Plan
    from maalbilde.plans.status import plan_status
    from maalbilde.reports.analysis import ReleasedRound, network_analysis, round_series
    from maalbilde.reports.build import report_build
    from maalbilde.reports.files import shipped_reports
    from maalbilde.reports.render import analysis_bytes, report_bytes, report_html

    call_command("migrate", verbosity=0)
    call_command("plan", "import", *map(str, sorted(Path("plans").glob("*.yaml"))), verbosity=0)
    demo_load(today=TODAY)
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    spec = shipped_reports()["annual"]
    translation.activate("nb")

    def rows():
        return plan_status(version, year=YEAR, today=TODAY)

    def built():
        return report_build(spec, version, year=YEAR, rows=rows(), today=TODAY)

    def timed(function) -> float:
        return benchlib.warm_median_ms(function, args.calls)

    def analysis():
        series = round_series(Round.objects.get(slug="nk-medlemsstatistikk-2025"))
        return network_analysis([ReleasedRound(r, latest_release(r)) for r in series],
                                today=TODAY)  # fmt: skip

    report = built()
    result = {
        "machine": benchlib.machine(), "calls": args.calls,
        "status_ms": timed(rows), "build_ms": timed(built),
        "html_only_ms": timed(lambda: report_html(report)),
        "html_ms": timed(lambda: report_html(built())),
        "pdf_ms": timed(lambda: report_bytes(built(), "pdf")),
        "docx_ms": timed(lambda: report_bytes(built(), "docx")),
        "xlsx_ms": timed(lambda: report_bytes(built(), "xlsx")),
        "pdf_bytes": len(report_bytes(report, "pdf")),
        "analysis_build_ms": timed(analysis),
        "analysis_html_ms": timed(lambda: analysis_bytes(analysis(), "html")),
        "analysis_pdf_ms": timed(lambda: analysis_bytes(analysis(), "pdf")),
        "analysis_docx_ms": timed(lambda: analysis_bytes(analysis(), "docx")),
    }  # fmt: skip
    print(f"annual report, Ringve og Rockheim {YEAR}: HTML {result['html_ms']:.0f} ms "
          f"(status {result['status_ms']:.0f}, content {result['build_ms']:.0f} with the "
          f"status, template {result['html_only_ms']:.0f}); PDF {result['pdf_ms']:.0f} ms; "
          f"DOCX {result['docx_ms']:.0f} ms; XLSX {result['xlsx_ms']:.0f} ms")  # fmt: skip
    print(
        f"Norske kulturhus' yearly analysis 2024–2025: content "
        f"{result['analysis_build_ms']:.0f} ms, HTML {result['analysis_html_ms']:.0f} ms, "
        f"PDF {result['analysis_pdf_ms']:.0f} ms, DOCX {result['analysis_docx_ms']:.0f} ms"
    )
    DATA.mkdir(exist_ok=True)
    out = DATA / f"report-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"all figures: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
