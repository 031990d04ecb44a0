"""Load benchmark: 20 concurrent users on the plan page and the indicator page, against
gunicorn on loopback, with the four plans and the demo data. Bounded in time and count.
With --api: 20 systems reading a plan's status through the API, each with a token of its
own, and 2 ticket systems pushing a day's sales (50 rows) at a time.

    .venv/bin/python bench/load_bench.py [--users 20] [--seconds 20] [--database both]
                                          [--think 0] [--api] [--pushers 2]

First one user alone, warm: the time of one page. Then with --think 0 every user asks again
the moment an answer comes (a stress test: the server is never idle); with --think 1 each
user reads a page for 0.5–1.5 s before the next, as people do. Prints the time alone (and
the server's own part of it, from the Server-Timing header),
p50/p95/p99 latency and throughput per page, and writes bench/.data/load-*.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import benchlib

PAGES = {
    "plan": "/plans/ringve-rockheim/",
    "indicator": "/plans/ringve-rockheim/indicators/besokstall/",
}
SETUP = """
import datetime
from pathlib import Path
from django.contrib.auth.models import User
from django.core.management import call_command
from maalbilde.demo.load import demo_load
call_command("plan", "import", *map(str, sorted(Path("plans").glob("*.yaml"))), verbosity=0)
demo_load(today=datetime.date(2026, 11, 23))
User.objects.create_superuser("bench", password="bench-passord-1")
"""
MAX_REQUESTS = 100_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start on port {port}")


def log_in(port: int) -> str:
    """A session cookie for the bench user, through the login form as a browser does."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    body = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"csrfmiddlewaretoken={token}&username=bench&password=bench-passord-1"
    connection.request("POST", "/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
        "Referer": f"http://127.0.0.1:{port}/login/"})  # fmt: skip
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise RuntimeError(f"login failed: {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf}"


def user(port: int, cookie: str, deadline: float, results: dict, lock: threading.Lock,
         think: float = 0.0, seed: int = 0, server_times: dict | None = None) -> None:  # fmt: skip
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    reading = random.Random(seed)
    turn = 0
    while time.monotonic() < deadline:
        if think and turn:
            time.sleep(think * reading.uniform(0.5, 1.5))
        name = list(PAGES)[turn % len(PAGES)]
        turn += 1
        started = time.perf_counter()
        connection.request("GET", PAGES[name], headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if server_times is not None:
            timing = re.search(r"dur=([0-9.]+)", response.getheader("Server-Timing") or "")
            server_times[name].append(float(timing.group(1)) if timing else float("nan"))
        with lock:
            if sum(len(v) for v in results.values()) >= MAX_REQUESTS:
                return
            results[name].append(elapsed if response.status == 200 else float("nan"))


TOKENS = """
from django.contrib.auth.models import User
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.tokens import token_create
owner, by = Organisation.objects.get(slug="nmm"), User.objects.get(username="bench")
for n in range({count}):
    print(token_create(organisation=owner, name=f"system {{n}}", scopes=["read", "import"],
                       days=1, by=by)[1])
"""
API_STATUS = "/api/v1/plans/ringve-rockheim/status?year=2026"
# Each pusher sends the days after 1 January 2027 in turn (day n of pusher p: n × this + p),
# a new day each push, within the years dates may have.
PUSHERS_AT_MOST = 4
FIRST_PUSHED = datetime.date(2027, 1, 1)
API_PUSH = "/api/v1/datasets/rr-billettsalg/batches?organisation=nmm"


def api_client(port: int, secret: str, deadline: float, results: dict, lock: threading.Lock,
               pusher: int | None = None) -> None:  # fmt: skip
    """A system calling the API: reading the status again and again, or (a pusher) sending
    one new day of ticket sales after another, each with its own idempotency key."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    day = 0
    while time.monotonic() < deadline:
        headers = {"Authorization": f"Bearer {secret}"}
        if pusher is None:
            name, method, path, body = "api-status", "GET", API_STATUS, None
        else:
            date = FIRST_PUSHED + datetime.timedelta(days=day * PUSHERS_AT_MOST + pusher)
            day += 1
            rows = [f"{date:%d.%m.%Y};{'Ringve' if i % 2 else 'Rockheim'};Voksen;1;150"
                    for i in range(50)]  # fmt: skip
            body = "Dato;Sted;Billettype;Antall;Beløp\n" + "\n".join(rows) + "\n"
            headers |= {"Content-Type": "text/csv", "Idempotency-Key": f"{pusher}-{date}"}
            name, method, path = "api-push", "POST", API_PUSH
        started = time.perf_counter()
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        elapsed = time.perf_counter() - started
        with lock:
            good = response.status == (201 if pusher is not None else 200)
            results[name].append(elapsed if good else float("nan"))
            if not good and len(results.setdefault("failures", [])) < 5:
                results["failures"].append(f"{response.status} {answer[:300]!r}")


@contextlib.contextmanager
def serving(database: benchlib.Database, env: dict, workers: int) -> Iterator[int]:
    """`maalbilde serve` on a free port of loopback, for the time of the block; then the
    server stopped and the database dropped. Yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [benchlib.PYTHON, "-m", "maalbilde.cli", "serve", "--port", str(port),
         "--workers", str(workers)],
        env=env, cwd=benchlib.REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        database.drop()


def run_all(threads: list[threading.Thread], timeout: float) -> float:
    """Start the clients together and wait for them; the seconds they took."""
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return time.monotonic() - started


def latencies(times: list[float], elapsed: float) -> dict:
    """Requests, errors (NaN), throughput and p50/p95/p99 of one kind of request."""
    good = [t for t in times if t == t]
    return {
        "requests": len(times), "errors": len(times) - len(good),
        "per_second": round(len(good) / elapsed, 1),
        "p50_ms": round(statistics.median(good) * 1000, 1) if good else None,
        **{f"p{share}_ms": round(percentile(good, share / 100) * 1000, 1) if good else None
           for share in (95, 99)},
    }  # fmt: skip


def measure_api(database: benchlib.Database, users: int, pushers: int, seconds: float,
                workers: int) -> dict:  # fmt: skip
    database.template(SETUP)
    env = database.fresh()
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    # Each system has a token of its own; none is held back by the rate limit here.
    env["MAALBILDE_API_CALLS_PER_MINUTE"] = "1000000"
    secrets = subprocess.run(
        [benchlib.PYTHON, "-m", "maalbilde.cli", "shell", "--no-imports", "-c",
         TOKENS.format(count=users + pushers)],
        env=env, cwd=benchlib.REPO, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    results: dict = {"api-status": [], "api-push": []}
    with serving(database, env, workers) as port:
        warm: dict = {"api-status": [], "api-push": []}
        api_client(port, secrets[0], time.monotonic() + 2, warm, threading.Lock())
        lock = threading.Lock()
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=api_client,
                                    args=(port, secrets[n], deadline, results, lock))
                   for n in range(users)]  # fmt: skip
        threads += [threading.Thread(target=api_client,
                                     args=(port, secrets[users + n], deadline, results, lock, n))
                    for n in range(pushers)]  # fmt: skip
        elapsed = run_all(threads, seconds + 120)
    failures = results.pop("failures", [])
    for failure in failures:
        print("failed:", failure)
    return {name: latencies(times, elapsed) for name, times in results.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(
    database: benchlib.Database, users: int, seconds: float, workers: int, think: float
) -> dict:
    database.template(SETUP)
    env = database.fresh()
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    with serving(database, env, workers) as port:
        cookie = log_in(port)
        # One person alone first, for 3 s: the pages warm up, and the last 2 s give the time
        # of one page when nobody else asks (the server's time plus the loopback's).
        user(port, cookie, time.monotonic() + 1, {name: [] for name in PAGES}, threading.Lock())
        alone: dict = {name: [] for name in PAGES}
        alone_server: dict = {name: [] for name in PAGES}
        user(port, cookie, time.monotonic() + 2, alone, threading.Lock(), server_times=alone_server)
        results: dict = {name: [] for name in PAGES}
        lock = threading.Lock()
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=user, args=(port, cookie, deadline, results, lock, think, n))
            for n in range(users)
        ]
        elapsed = run_all(threads, seconds + 60)
    report: dict = {
        name: {**latencies(times, elapsed),
               "alone_ms": round(statistics.median(alone[name]) * 1000, 2),
               "alone_server_ms": round(statistics.median(alone_server[name]), 2)}
        for name, times in results.items()
    }  # fmt: skip
    report["all"] = {"per_second": round(sum(len(v) for v in results.values()) / elapsed, 1)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.0, help="seconds a user reads a page")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=benchlib.DEFAULT_POSTGRES_URL)
    parser.add_argument("--api", action="store_true", help="the API instead of the pages")
    parser.add_argument("--pushers", type=int, default=2)
    args = parser.parse_args()
    benchlib.DATA.mkdir(exist_ok=True)
    figures = {"machine": benchlib.machine(), "users": args.users, "seconds": args.seconds,
               "workers": args.workers, "think": args.think, "databases": {}}  # fmt: skip
    for database in benchlib.databases(args.database, args.postgres_url):
        if args.api:
            report = measure_api(database, args.users, args.pushers, args.seconds, args.workers)
            figures["databases"][database.kind] = report
            for name, r in report.items():
                print(f"{database.kind:<9} {name:<10} {r['requests']:>6} requests  "
                      f"{r['per_second']:>6}/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
                      f"p99 {r['p99_ms']} ms  errors {r['errors']}", flush=True)  # fmt: skip
            continue
        report = measure(database, args.users, args.seconds, args.workers, args.think)
        figures["databases"][database.kind] = report
        for name in PAGES:
            r = report[name]
            print(f"{database.kind:<9} {name:<10} alone {r['alone_ms']} ms "
                  f"(server {r['alone_server_ms']} ms)  "
                  f"{r['requests']:>6} requests  "
                  f"{r['per_second']:>6}/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
                  f"p99 {r['p99_ms']} ms  errors {r['errors']}", flush=True)  # fmt: skip
    kind = "load-api" if args.api else "load"
    out = benchlib.DATA / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=1))
    print(f"all figures: {Path(out).relative_to(benchlib.REPO)}")


if __name__ == "__main__":
    main()
