"""Concurrency benchmark (issue 10): two 500 000-row imports started in the browser at the
same moment, and a person logging in every second all the while, against gunicorn (2
workers, as `make run`) on loopback, on SQLite and PostgreSQL.

    .venv/bin/python bench/concurrency_bench.py [--rows 500000] [--runs 3] [--database both]

Every import must end "done" with every row of its file stored once, and every login must
succeed; the script prints how long the imports took side by side (and one alone, for
comparison) and the logins' latency, and writes bench/.data/concurrency-*.json.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import re
import statistics
import subprocess
import threading
import time
import uuid
from pathlib import Path

import benchlib
from load_bench import free_port, log_in, percentile, wait_for

SETUP = """
from django.contrib.auth.models import User
from django.core.management import call_command
call_command("plan", "import", "plans/ringve-rockheim.yaml", verbosity=0)
User.objects.create_superuser("bench", password="bench-passord-1")
"""
COUNT = """
import json
import django
django.setup()
from django.db.models import Sum
from maalbilde.data.models import Batch, Fact
print(json.dumps({b.file_name: [b.rows_stored, Fact.objects.filter(batch=b).aggregate(
    n=Sum("rows"))["n"]] for b in Batch.objects.all()}))
"""
FIRST_DAY, LAST_DAY = datetime.date(2025, 1, 1), datetime.date(2026, 11, 22)
PLAN, DATASET, ORGANISATION = "ringve-rockheim", "rr-billettsalg", "nmm"


class Browser:
    """One person's session: cookies, and the CSRF token the forms carry."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = log_in(port)
        self.csrf = re.search(r"csrftoken=([^;]+)", self.cookie).group(1)

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie, "Referer": f"http://127.0.0.1:{self.port}{path}"}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode()


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def import_in_browser(port: int, path: Path, start: threading.Event, result: dict) -> None:
    """Upload → preview → import → wait for "done", as a person does in the browser."""
    browser = Browser(port)
    content = path.read_bytes()
    fields = {"csrfmiddlewaretoken": browser.csrf, "dataset": DATASET,
              "organisation": ORGANISATION}  # fmt: skip
    body, content_type = multipart(fields, path.name, content)
    start.wait()
    began = time.perf_counter()
    status, preview, page = browser.request("POST", f"/plans/{PLAN}/import/", body, content_type)
    if status != 302 or "/import/" not in preview:
        raise RuntimeError(f"upload refused: {status} {page[:500]}")
    form = f"csrfmiddlewaretoken={browser.csrf}&action=import".encode()
    browser.request("POST", preview, form, "application/x-www-form-urlencoded")
    uploaded = time.perf_counter() - began
    state = {}
    while time.perf_counter() - began < 600:
        status, _, page = browser.request("GET", f"{preview}progress/?format=json")
        if status != 200:  # done: the progress page has sent the person on to the batch
            state = {"state": "gone", "status": status}
            break
        state = json.loads(page)
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.25)
    result.update(state=state.get("state"), seconds=time.perf_counter() - began,
                  upload_and_start_seconds=uploaded)  # fmt: skip


def log_in_every_second(port: int, stop: threading.Event, logins: list) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        try:
            log_in(port)
            logins.append(time.perf_counter() - began)
        except Exception as error:  # a failed login is the finding, not a crash of the bench
            logins.append(f"{type(error).__name__}: {error}")
        stop.wait(max(0.0, 1.0 - (time.perf_counter() - began)))


def run(database: benchlib.Database, files: list[Path], rows: int) -> dict:
    env = database.fresh()
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    port = free_port()
    server = subprocess.Popen(
        [benchlib.PYTHON, "-m", "maalbilde.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=benchlib.REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(port)
        start, stop = threading.Event(), threading.Event()
        results = [{} for _ in files]
        importers = [
            threading.Thread(target=import_in_browser, args=(port, path, start, result))
            for path, result in zip(files, results, strict=True)
        ]
        for importer in importers:
            importer.start()
        logins: list = []
        login_thread = threading.Thread(target=log_in_every_second, args=(port, stop, logins))
        login_thread.start()
        time.sleep(1)
        start.set()
        for importer in importers:
            importer.join()
        time.sleep(2)  # logins go on a little after the imports
        stop.set()
        login_thread.join()
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    counted = json.loads(
        subprocess.run([benchlib.PYTHON, "-c", COUNT], env=env, cwd=benchlib.REPO,
                       capture_output=True, text=True, check=True).stdout.splitlines()[-1]
    )  # fmt: skip
    good = [t for t in logins if isinstance(t, float)]
    return {
        "imports": results,
        "stored": counted,
        "all_rows_stored_once": sorted(counted) == sorted(p.name for p in files)
        and all(stored == summed == rows for stored, summed in counted.values()),
        "logins": len(logins),
        "login_failures": [t for t in logins if not isinstance(t, float)],
        "login_p50_ms": round(statistics.median(good) * 1000, 1) if good else None,
        "login_max_ms": round(max(good) * 1000, 1) if good else None,
        "login_p95_ms": round(percentile(good, 0.95) * 1000, 1) if good else None,
        "server_errors": [line for line in errors.splitlines() if "level=ERROR" in line][:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=benchlib.parse_count, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=benchlib.DEFAULT_POSTGRES_URL)
    args = parser.parse_args()
    benchlib.DATA.mkdir(exist_ok=True)
    files = [benchlib.export_file(args.rows, seed, FIRST_DAY, LAST_DAY, "utf-8-sig")[0]
             for seed in (1, 2)]  # fmt: skip
    figures = {"machine": benchlib.machine(), "rows": args.rows, "databases": {}}
    for database in benchlib.databases(args.database, args.postgres_url):
        database.template(SETUP)
        alone = [run(database, files[:1], args.rows) for _ in range(args.runs)]
        together = [run(database, files, args.rows) for _ in range(args.runs)]
        database.drop()
        figures["databases"][database.kind] = {"alone": alone, "together": together}
        ok = all(
            r["all_rows_stored_once"] and not r["login_failures"]
            and all(i["state"] == "done" for i in r["imports"])
            for r in alone + together
        )  # fmt: skip
        alone_s = benchlib.median([r["imports"][0]["seconds"] for r in alone])
        both_s = benchlib.median([max(i["seconds"] for i in r["imports"]) for r in together])
        logins = sum(r["logins"] for r in together)
        failed = sum(len(r["login_failures"]) for r in together)
        print(f"{database.kind:<9} one import alone {alone_s:.1f} s; two side by side "
              f"{both_s:.1f} s (median of {args.runs}); logins during them {logins}, "
              f"failed {failed}, p50 {benchlib.median([r['login_p50_ms'] for r in together])} ms, "
              f"max {max(r['login_max_ms'] for r in together)} ms; "
              f"{'all succeeded' if ok else '** FAILURES **'}", flush=True)  # fmt: skip
    out = benchlib.DATA / f"concurrency-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=1))
    print(f"all figures: {Path(out).relative_to(benchlib.REPO)}")


if __name__ == "__main__":
    main()
