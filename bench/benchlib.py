"""Shared parts of the benchmarks: the generated ticket-sales exports, fresh databases, and
the worker processes that each measure one thing.

Nothing here is imported by Målbilde itself. The scripts run as
`.venv/bin/python bench/<name>.py`, so this folder is on sys.path.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = BENCH / ".data"
PYTHON = sys.executable
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/maalbilde_bench"
GENERATOR_VERSION = 1  # bump when the generated files change, so cached ones are remade

# --- the generated export --------------------------------------------------------------------

HEADER = [
    "Dato",
    "Sted",
    "Arrangement",
    "Billettype",
    "Antall",
    "Pris",
    "Beløp brutto",
    "Gebyr",
    "Netto",
    "Salgskanal",
]
SITES = [("Ringve", 0.4), ("Rockheim", 0.6)]
ARRANGEMENTS = {
    "Ringve": [
        "Omvisning i museet",
        "Ringve botaniske hage",
        "Konsert i Ringvesalen",
        "Barnas søndag",
        "Julekonsert på Ringve",
        "Sommeråpent",
        "Fra kirkesang til pop",
        "Instrumentverksted",
        "Kammermusikk på låven",
        "Familiedag med sang",
        "Lørdagsomvisning",
        "Tirsdagstreff for seniorer",
        "Skoleforestilling",
        "Orgelkonsert",
        "Foredrag: Ringves historie",
        "Påskeverksted",
        "Høstferieprogram",
        "Musikkquiz",
        "Lysmesse",
        "Kulturnatt",
    ],
    "Rockheim": [
        "Basisutstillingen",
        "Tidsreisen",
        "Rockheim Hall of Fame",
        "Konsert på Tårnet",
        "Rockheim Live",
        "Karaokeboksen",
        "Studio: lag din egen låt",
        "Visepresentasjon",
        "Barnas rockeskole",
        "DJ-kurs for ungdom",
        "Plateslipp",
        "Foredrag: norsk pop",
        "Samtalekonsert",
        "Høstferie på Rockheim",
        "Vinterferieprogram",
        "Familielørdag",
        "Nattåpent",
        "Utstilling: Å være ung",
        "Skoleopplegg: Lyd og bilde",
        "Julebord med musikk",
    ],
}
# (ticket type, share, price in kroner)
TICKET_TYPES = [
    ("Voksen", 0.44, 160),
    ("Barn", 0.17, 60),
    ("Student", 0.1, 120),
    ("Honnør", 0.12, 120),
    ("Familie", 0.1, 390),
    ("Gratis", 0.07, 0),
]
# (sales channel, share, fee per ticket in øre)
CHANNELS = [
    ("Nett", 0.52, 1500),
    ("Billettluke", 0.38, 0),
    ("Kiosk", 0.06, 0),
    ("Partner", 0.04, 2500),
]


def _season_weight(day: datetime.date) -> float:
    """More sales in summer and at Christmas; Ringve and Rockheim close most Mondays."""
    summer = 1.0 + 1.6 * max(0.0, 1 - abs(day.timetuple().tm_yday - 196) / 75)
    december = 1.4 if day.month == 12 else 1.0
    closed = day.weekday() == 0 and day.month not in (6, 7, 8)
    return 0.0 if closed else summer * december


def generate_export(
    path: Path,
    *,
    rows: int,
    seed: int,
    first_day: datetime.date,
    last_day: datetime.date,
    encoding: str = "utf-8-sig",
) -> dict:
    """Write `rows` ticket-sales lines as a Norwegian ticket system exports them:
    semicolons, decimal comma, no-break spaces between thousands, dd.mm.yyyy, CRLF, a blank
    row and a closing "Sum" row. Deterministic for the same arguments. Returns the totals."""
    import polars as pl

    rng = random.Random(f"maalbilde-bench-{seed}")
    days = []
    day = first_day
    while day <= last_day:
        days.append(day)
        day += datetime.timedelta(days=1)
    day_index = rng.choices(range(len(days)), weights=[_season_weight(d) for d in days], k=rows)
    site = rng.choices(range(len(SITES)), weights=[w for _n, w in SITES], k=rows)
    event = [rng.randrange(20) for _ in range(rows)]
    ticket = rng.choices(range(len(TICKET_TYPES)), weights=[t[1] for t in TICKET_TYPES], k=rows)
    channel = rng.choices(range(len(CHANNELS)), weights=[c[1] for c in CHANNELS], k=rows)
    # Mostly one to four tickets a line, now and then a group; about 1 in 100 is a refund.
    count = rng.choices(
        [1, 2, 3, 4, 5, 6, 8, 10, 15, 25, 40],
        weights=[38, 30, 9, 10, 4, 3, 2, 1.5, 1, 1, 0.5],
        k=rows,
    )
    refund = [rng.random() < 0.01 for _ in range(rows)]

    epoch = datetime.date(1970, 1, 1)
    day_numbers = [(d - epoch).days for d in days]
    minus = "\u2212" if encoding.startswith("utf") else "-"
    frame = pl.DataFrame(
        {
            "day": pl.Series([day_numbers[i] for i in day_index], dtype=pl.Int32),
            "site": pl.Series(site, dtype=pl.Int32),
            "event": pl.Series(event, dtype=pl.Int32),
            "ticket": pl.Series(ticket, dtype=pl.Int32),
            "channel": pl.Series(channel, dtype=pl.Int32),
            "count": pl.Series(count, dtype=pl.Int64),
            "refund": pl.Series(refund, dtype=pl.Boolean),
        }
    )
    prices = pl.Series([p * 100 for _n, _s, p in TICKET_TYPES], dtype=pl.Int64)
    fees = pl.Series([f for _n, _s, f in CHANNELS], dtype=pl.Int64)
    events = [f"{s}|{i}" for s, _w in SITES for i in range(20)]
    event_names = [name for s, _w in SITES for name in ARRANGEMENTS[s]]
    frame = (
        frame.with_columns(
            antall=pl.when(pl.col("refund")).then(-pl.col("count")).otherwise(pl.col("count")),
            pris=pl.col("ticket").replace_strict(list(range(len(TICKET_TYPES))), prices),
            gebyr_per=pl.col("channel").replace_strict(list(range(len(CHANNELS))), fees),
            arrangement=(pl.col("site") * 20 + pl.col("event")).replace_strict(
                list(range(len(events))), event_names, return_dtype=pl.String
            ),
        )
        .with_columns(
            brutto=pl.col("antall") * pl.col("pris"),
            gebyr=pl.when(pl.col("pris") > 0)
            .then(pl.col("antall") * pl.col("gebyr_per"))
            .otherwise(0),
        )
        .with_columns(netto=pl.col("brutto") - pl.col("gebyr"))
    )

    def kroner(column: str) -> pl.Expr:
        """Øre as Norwegian text: "1 250,00" with U+00A0, a minus sign for refunds."""
        ore = pl.col(column)
        whole = ore.abs() // 100
        units = (whole % 1000).cast(pl.String)
        thousands = (whole // 1000 % 1000).cast(pl.String)
        millions = (whole // 1_000_000).cast(pl.String)
        digits = (
            pl.when(whole >= 1_000_000)
            .then(
                pl.concat_str(
                    millions, thousands.str.zfill(3), units.str.zfill(3), separator="\u00a0"
                )
            )
            .when(whole >= 1000)
            .then(pl.concat_str(thousands, units.str.zfill(3), separator="\u00a0"))
            .otherwise(units)
        )
        sign = pl.when(ore < 0).then(pl.lit(minus)).otherwise(pl.lit(""))
        return pl.concat_str(
            sign, digits, pl.lit(","), (ore.abs() % 100).cast(pl.String).str.zfill(2)
        )

    text = frame.select(
        pl.col("day").cast(pl.Date).dt.strftime("%d.%m.%Y").alias("Dato"),
        pl.col("site")
        .replace_strict([0, 1], [n for n, _w in SITES], return_dtype=pl.String)
        .alias("Sted"),
        pl.col("arrangement").alias("Arrangement"),
        pl.col("ticket")
        .replace_strict(
            list(range(len(TICKET_TYPES))), [t[0] for t in TICKET_TYPES], return_dtype=pl.String
        )
        .alias("Billettype"),
        pl.when(pl.col("antall") < 0)
        .then(pl.concat_str(pl.lit(minus), pl.col("antall").abs().cast(pl.String)))
        .otherwise(pl.col("antall").cast(pl.String))
        .alias("Antall"),
        kroner("pris").alias("Pris"),
        kroner("brutto").alias("Beløp brutto"),
        kroner("gebyr").alias("Gebyr"),
        kroner("netto").alias("Netto"),
        pl.col("channel")
        .replace_strict(
            list(range(len(CHANNELS))), [c[0] for c in CHANNELS], return_dtype=pl.String
        )
        .alias("Salgskanal"),
    )
    totals = frame.select(
        pl.col("antall").sum(), pl.col("brutto").sum(), pl.col("gebyr").sum(), pl.col("netto").sum()
    ).row(0, named=True)
    sum_row = pl.DataFrame(
        [
            {
                "Dato": "Sum",
                "Antall": f"{totals['antall']:,}".replace(",", "\u00a0").replace("-", minus),
                "Beløp brutto": _kroner_text(totals["brutto"], minus),
                "Gebyr": _kroner_text(totals["gebyr"], minus),
                "Netto": _kroner_text(totals["netto"], minus),
            }
        ]
    )
    body = text.write_csv(separator=";", line_terminator="\r\n", quote_style="necessary")
    tail = sum_row.select(
        [pl.col(c) if c in sum_row.columns else pl.lit(None, pl.String).alias(c) for c in HEADER]
    ).write_csv(separator=";", line_terminator="\r\n", include_header=False)
    content = body + "\r\n" + tail
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode(encoding))
    by_site_year = (
        frame.with_columns(year=pl.col("day").cast(pl.Date).dt.year(), site_name=pl.col("site"))
        .group_by("site", "year")
        .agg(pl.col("antall").sum())
        .sort("site", "year")
    )
    return {
        "rows": rows,
        "antall": int(totals["antall"]),
        "brutto_ore": int(totals["brutto"]),
        "gebyr_ore": int(totals["gebyr"]),
        "netto_ore": int(totals["netto"]),
        "antall_by_site_year": {
            f"{SITES[s][0]}-{y}": int(a) for s, y, a in by_site_year.iter_rows()
        },
    }


def _kroner_text(ore: int, minus: str) -> str:
    whole, rest = divmod(abs(ore), 100)
    text = f"{whole:,}".replace(",", "\u00a0") + f",{rest:02d}"
    return (minus if ore < 0 else "") + text


def export_file(
    rows: int,
    seed: int,
    first_day: datetime.date,
    last_day: datetime.date,
    encoding: str,
    say=print,
) -> tuple[Path, dict]:
    """The generated file for these arguments, made once and kept in bench/.data/."""
    tag = "utf8bom" if encoding == "utf-8-sig" else encoding
    days = f"{first_day:%Y%m%d}-{last_day:%Y%m%d}"
    name = f"billettsalg-{rows}-s{seed}-{days}-{tag}-g{GENERATOR_VERSION}"
    path = DATA / f"{name}.csv"
    meta_path = DATA / f"{name}.json"
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    say(f"generating {path.name} …")
    started = time.perf_counter()
    meta = generate_export(
        path, rows=rows, seed=seed, first_day=first_day, last_day=last_day, encoding=encoding
    )
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    meta["bytes"] = path.stat().st_size
    meta["encoding"] = encoding
    meta_path.write_text(json.dumps(meta, indent=1))
    say(f"  {rows:,} rows, {meta['bytes'] / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s")
    return path, meta


# --- databases -------------------------------------------------------------------------------


class Database:
    """A database to run on. `template()` prepares a migrated database once; `fresh()` gives
    a new copy of it for each measured run, so no run sees what another stored."""

    def __init__(self, kind: str, postgres_url: str = DEFAULT_POSTGRES_URL):
        self.kind = kind
        self.postgres_url = postgres_url
        self.workdir = DATA / f"db-{kind}"

    # The environment a worker process needs to reach this database.
    def env(self, data_dir: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["DJANGO_SETTINGS_MODULE"] = "maalbilde.settings"
        env["MAALBILDE_DATA_DIR"] = str(data_dir)
        env["MAALBILDE_LANGUAGE"] = "en"
        env.setdefault("SECRET_KEY", "maalbilde-bench-not-secret")
        if self.kind == "postgres":
            env["DATABASE_URL"] = self.postgres_url
        return env

    @property
    def _pg_name(self) -> str:
        return urlsplit(self.postgres_url).path.lstrip("/")

    def _pg_admin(self):
        import psycopg

        parts = urlsplit(self.postgres_url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        return psycopg.connect(admin, autocommit=True)

    def _template_dir(self) -> Path:
        return self.workdir / "template"

    def template(self, setup_code: str) -> None:
        """Migrate a database and run `setup_code` (Python, after django.setup()) in it."""
        shutil.rmtree(self.workdir, ignore_errors=True)
        self._template_dir().mkdir(parents=True)
        if self.kind == "postgres":
            with self._pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}_template" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{self._pg_name}_template"')
            env = self.env(self._template_dir())
            env["DATABASE_URL"] = self._pg_url(f"{self._pg_name}_template")
        else:
            env = self.env(self._template_dir())
        # ANALYZE at the end, as autovacuum would have done in a database in use: without it
        # PostgreSQL plans a fresh copy's joins for tables it believes empty.
        code = (
            "import django; django.setup()\n"
            "from django.core.management import call_command\n"
            "call_command('migrate', verbosity=0, interactive=False)\n" + setup_code + "\n"
            "from django.db import connection\n"
            "connection.cursor().execute('ANALYZE')\n"
        )
        subprocess.run([PYTHON, "-c", code], env=env, check=True, cwd=REPO)

    def _pg_url(self, name: str) -> str:
        return urlunsplit(urlsplit(self.postgres_url)._replace(path=f"/{name}"))

    def fresh(self) -> dict[str, str]:
        """A new copy of the template; returns the environment for a worker using it."""
        run_dir = self.workdir / "run"
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        if self.kind == "postgres":
            with self._pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
                admin.execute(
                    f'CREATE DATABASE "{self._pg_name}" TEMPLATE "{self._pg_name}_template"'
                )
        else:
            for item in self._template_dir().iterdir():
                if item.is_file():
                    shutil.copy2(item, run_dir / item.name)
        return self.env(run_dir)

    def drop(self) -> None:
        if self.kind == "postgres":
            with self._pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
                admin.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}_template" WITH (FORCE)')
        shutil.rmtree(self.workdir, ignore_errors=True)


def databases(choice: str, postgres_url: str) -> list[Database]:
    kinds = ["sqlite", "postgres"] if choice == "both" else [choice]
    return [Database(kind, postgres_url) for kind in kinds]


# --- workers ---------------------------------------------------------------------------------


def run_worker(script: Path, args: list[str], env: dict[str, str], timeout: float = 3600) -> dict:
    """Run `script --worker …` in a fresh process; its last stdout line is a JSON result."""
    completed = subprocess.run(
        [PYTHON, str(script), "--worker", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,  # the result; progress and errors go to stderr as they come
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-4000:])
        raise RuntimeError(f"worker {args} failed with exit code {completed.returncode}")
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def _proc_status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """The peak resident set of this process so far, in MB.

    Linux's VmHWM, the high-water mark of this process's own memory. getrusage's ru_maxrss
    is not used: Linux carries it over fork and exec, so a worker started by a parent that
    once held 800 MB would report 800 MB whatever it did itself. Where /proc is missing,
    ru_maxrss is the fallback."""
    peak = _proc_status_mb("VmHWM")
    if peak != peak:  # NaN: no /proc
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak


def current_rss_mb() -> float:
    return _proc_status_mb("VmRSS")


def warm_median_ms(function: Callable[[], object], calls: int) -> float:
    """The median time of `calls` calls of `function` after one to warm up, in ms."""
    function()
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict:
    """What the figures were measured on."""

    def run(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ""

    lscpu = run(["lscpu"])
    model = next(
        (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line), ""
    )
    memory = next(
        (line.split()[1] for line in run(["free", "-h"]).splitlines() if line.startswith("Mem:")),
        "",
    )
    versions = {"python": platform.python_version()}
    for module in ("polars", "django", "duckdb", "psycopg"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:
            versions[module] = "not installed"
    commit = run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]).strip()
    dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--", "maalbilde"]).strip()
    return {
        "commit": commit + (" (maalbilde/ has uncommitted changes)" if dirty else ""),
        "cpu": model,
        "cores": run(["nproc"]).strip(),
        "memory": memory,
        "disk": run(["df", "-h", "--output=source,fstype,size", str(DATA)]).splitlines()[-1:],
        "load_average": os.getloadavg(),
        "kernel": platform.release(),
        "versions": versions,
        "at": datetime.datetime.now().isoformat(timespec="seconds"),
    }


def postgres_version(url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres") as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception as error:
        return f"unreachable ({error.__class__.__name__})"


def parse_count(text: str) -> int:
    """A count as written on the command line: "1M", "3m", "10000", "100k"."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)
