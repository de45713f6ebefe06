#!/usr/bin/python3
"""The benchmark of cskpi against its peers; run it through tests/bench/run.sh.

On one generated demo ERP (PostgreSQL and SQLite) it times, alternating the
contenders each repetition:
  cskpi-pg      cskpi full compute from PostgreSQL (every table, month
                granularity, all segments; cskpi-bench --only postgresql)
  cskpi-pg-1    the same on one connection (source parallel_reads 1), like
                the floor; cskpi-pg reads over two sharing one snapshot
  cskpi-sqlite  the same from SQLite
  floor         psql \\copy of every source cskpi reads (the demo profile's
                SELECTs, the columns cskpi loads) to /dev/null
  sql           sql/bench/core_kpis.sql in PostgreSQL (psql)
  pandas        tests/bench/peers/pandas_kpis.py (psycopg2 + pandas)
  duckdb        the same core_kpis.sql in DuckDB over its own copy of the data
                (tests/bench/peers/duckdb_kpis.mjs); its load is timed apart
  nightly-incremental, nightly-full
                the nightly job (`cskpi nightly`, PostgreSQL source, SQLite
                target) on a copy of the database: after a first full run,
                each repetition applies one day of activity (cskpi-demo-gen
                --apply-day, scaled by the customers: 10k new orders at L;
                not timed), then times the incremental run into target A
                and a forced full run (--full) into target B over the same
                data; --check compares every snapshot table of A and B
Each run: wall time, client CPU (user + sys) and client peak RSS from wait4,
and, when the PostgreSQL server is on this machine, the server's CPU (every
server process, reaped backends and parallel workers included) and the peak
RSS of the backends serving the run (sampled VmHWM, shared buffers touched
included). --check compares the KPIs of sql, pandas and duckdb with
`cskpi compute --json` (segment all, month granularity, every period).
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
SOURCES = ["customers", "order_lines", "invoices", "tickets", "feedback", "subscriptions", "retention_costs"]
# The columns cskpi loads from each source (plugin/source/canonical.cpp: the
# ones marked kLoad; `name` and `product_id` are only checked, never read).
LOADED = {
    "customers": ["customer_id", "segment", "created_on"],
    "order_lines": ["order_id", "customer_id", "order_date", "category", "amount"],
    "invoices": ["invoice_id", "customer_id", "invoice_date", "due_date", "paid_date", "amount", "kind"],
    "tickets": ["ticket_id", "customer_id", "opened_at", "first_response_at", "resolved_at", "channel",
                "category", "priority", "reopen_count"],
    "feedback": ["feedback_id", "customer_id", "answered_at", "kind", "score", "ticket_id"],
    "subscriptions": ["subscription_id", "customer_id", "start_date", "end_date", "mrr"],
    "retention_costs": ["cost_date", "amount"],
}
ALL_CONTENDERS = ["cskpi-pg", "cskpi-pg-1", "cskpi-sqlite", "floor", "sql", "pandas", "duckdb", "nightly-incremental",
                  "nightly-full"]
NIGHTLY = ["nightly-incremental", "nightly-full"]  # measured together, in this order, on the same day
LABELS = {
    "cskpi-pg": "cskpi, full compute (PostgreSQL)",
    "cskpi-pg-1": "cskpi, full compute (PostgreSQL, one connection)",
    "cskpi-sqlite": "cskpi, full compute (SQLite)",
    "floor": "transfer floor: psql \\copy of cskpi's SELECTs",
    "sql": "hand-written SQL, core KPIs (PostgreSQL)",
    "pandas": "pandas, core KPIs (psycopg2 COPY from PostgreSQL)",
    "duckdb": "DuckDB, core KPIs (own copy; load not included)",
    "nightly-incremental": "cskpi nightly, incremental after one day of activity (PostgreSQL)",
    "nightly-full": "cskpi nightly, forced full run on the same data (PostgreSQL)",
}
CHECKED = ["sql", "pandas", "duckdb"]
USES_PG = {"cskpi-pg", "cskpi-pg-1", "floor", "sql", "pandas", "nightly-incremental", "nightly-full"}
TOLERANCE = 1e-6
PYTHON = "/usr/bin/python3"  # Debian's, which has python3-pandas and python3-psycopg2


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def psql(conn, *args, capture=False, env=None):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", conn, *args]
    r = run(cmd, stdout=subprocess.PIPE if capture else None, text=True, env=env)
    return r.stdout if capture else None


def profile_select(source):
    """The demo profile's SELECT for PostgreSQL, without its comment lines."""
    with open(os.path.join(ROOT, "sql", "profiles", "demo", source + ".sql")) as f:
        return "\n".join(line for line in f.read().splitlines() if not line.lstrip().startswith("--")).strip()


# ---------------------------------------------------------------- PostgreSQL

class OwnServer:
    """A throwaway PostgreSQL server in the build tree, kept between runs so
    the generated data is reused; started on a free loopback port and stopped
    at the end if this run started it."""

    def __init__(self, directory):
        self.dir = directory
        self.data = os.path.join(directory, "data")
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in re.findall(r"\d+", p)])[-1]
        self.started = False
        self.port = None

    def _as_owner(self, cmd):
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return cmd

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        pidfile = os.path.join(self.data, "postmaster.pid")
        if os.path.exists(pidfile):
            with open(pidfile) as f:
                lines = f.read().splitlines()
            if len(lines) > 3 and os.path.exists(f"/proc/{lines[0]}"):
                self.port = int(lines[3])
                log(f"bench: reusing the PostgreSQL server already running on port {self.port} ({self.dir}); "
                    "it is left running")
                return
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            run(self._as_owner([f"{self.bin}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                "--locale=C.UTF-8"]), stdout=subprocess.DEVNULL)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        opts = (f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c full_page_writes=off "
                "-c max_connections=40")
        run(self._as_owner([f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                            "-w", "-t", "120", "-o", opts, "start"]), stdout=subprocess.DEVNULL)
        self.started = True
        log(f"bench: started PostgreSQL on 127.0.0.1:{self.port} ({self.dir})")

    def stop(self):
        if self.started:
            subprocess.run(self._as_owner([f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"]),
                           stdout=subprocess.DEVNULL)
            self.started = False

    def conninfo(self, dbname):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"


class ServerProbe:
    """CPU and memory of a local PostgreSQL server, read from /proc."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, postmaster_pid):
        self.pm = postmaster_pid

    @staticmethod
    def connect(conn):
        try:
            d = psql(conn, "-At", "-c", "SHOW data_directory", capture=True).strip()
            with open(os.path.join(d, "postmaster.pid")) as f:
                pid = int(f.readline())
            with open(f"/proc/{pid}/stat"):
                pass
            return ServerProbe(pid)
        except (OSError, ValueError, subprocess.CalledProcessError):
            return None

    @staticmethod
    def _stat(pid):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields  # fields[0] = state (field 3 of proc(5))

    def children(self):
        """The postmaster's live children (backends, workers, auxiliary processes)."""
        try:
            with open(f"/proc/{self.pm}/task/{self.pm}/children") as f:
                return {int(p) for p in f.read().split()}
        except FileNotFoundError:  # a kernel without CONFIG_PROC_CHILDREN
            kids = set()
            for p in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if int(self._stat(p)[1]) == self.pm:
                        kids.add(int(p))
                except (OSError, IndexError):
                    pass
            return kids

    def cpu(self):
        """Seconds of CPU used so far by the whole server: the postmaster,
        its live children and the children it has reaped."""
        total = 0
        for pid in [self.pm] + sorted(self.children()):
            try:
                f = self._stat(pid)
                total += sum(int(x) for x in f[11:15])  # utime stime cutime cstime
            except (OSError, IndexError):
                pass
        return total / self.TICK

    @staticmethod
    def hwm_kb(pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def settle(self, baseline, timeout=10.0):
        """Waits until the backends of the finished run have exited and been reaped."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.children() - baseline:
            time.sleep(0.02)


# ---------------------------------------------------------------- measuring

def measure(cmd, probe=None, env=None, log_path=None):
    """Runs cmd; returns wall, client CPU, client peak RSS, server CPU, server peak RSS."""
    baseline = probe.children() if probe else set()
    cpu0 = probe.cpu() if probe else None
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in probe.children() - baseline:
                peak[0] = max(peak[0], probe.hwm_kb(pid))
            done.wait(0.1)

    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    sampler = threading.Thread(target=sample) if probe else None
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT if log_path else None, env=env)
    if sampler:
        sampler.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if log_path:
        out.close()
    r = {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024.0,
         "server_cpu_s": None, "server_rss_mb": None, "ok": p.returncode == 0}
    if probe:
        probe.settle(baseline)
        done.set()
        sampler.join()
        r["server_cpu_s"] = probe.cpu() - cpu0
        r["server_rss_mb"] = peak[0] / 1024.0 if peak[0] else None
    return r


# ---------------------------------------------------------------- preparation

def prepare(a, conn):
    data = a.data
    os.makedirs(data, exist_ok=True)
    bench = os.path.join(a.build, "tests", "bench", "cskpi-bench")
    base = [bench, "--customers", str(a.customers), "--seed", str(a.seed), "--dir", data, "--pg", conn]
    t0 = time.monotonic()
    run(base + ["--generate-only"])
    log(f"bench: data ready in {time.monotonic() - t0:.1f} s")

    # The canonical sources as views: exactly the demo profile's SELECTs.
    views = ["SET client_min_messages = warning;", "CREATE SCHEMA IF NOT EXISTS canonical;"]
    for s in SOURCES:
        views.append(f"CREATE OR REPLACE VIEW canonical.{s} AS\n{profile_select(s)};")
    psql(conn, "-c", "\n".join(views))
    # Vacuum once after generation: visibility map and hint bits set, so no
    # contender pays for them; regenerating drops this marker with the schema.
    done = psql(conn, "-At", "-c", "SELECT to_regclass('public.cskpi_bench_vacuumed') IS NOT NULL",
                capture=True).strip()
    if done != "t":
        t0 = time.monotonic()
        psql(conn, "-c", "VACUUM (ANALYZE)")
        psql(conn, "-c", "CREATE TABLE public.cskpi_bench_vacuumed()")
        log(f"bench: VACUUM ANALYZE in {time.monotonic() - t0:.1f} s")

    tag = f"{a.customers}-{a.seed}"
    counts_file = os.path.join(data, f"counts-{tag}.json")
    if not os.path.exists(counts_file):
        counts = {s: int(psql(conn, "-At", "-c", f"SELECT count(*) FROM canonical.{s}", capture=True)) for s in SOURCES}
        with open(counts_file, "w") as f:
            json.dump(counts, f)
    with open(counts_file) as f:
        counts = json.load(f)

    floor = os.path.join(data, "floor.sql")
    with open(floor, "w") as f:
        for s in SOURCES:
            select = " ".join(profile_select(s).split())
            f.write(f"\\copy (SELECT {', '.join(LOADED[s])} FROM ({select}) AS src) TO '/dev/null'\n")

    load = None
    if "duckdb" in a.contenders:
        csv_dir = os.path.join(data, f"csv-{tag}")
        if not os.path.exists(os.path.join(csv_dir, "done")):
            os.makedirs(csv_dir, exist_ok=True)
            t0 = time.monotonic()
            for s in SOURCES:
                psql(conn, "-c", f"\\copy (SELECT * FROM canonical.{s}) TO '{csv_dir}/{s}.csv' WITH (FORMAT csv, HEADER)")
            open(os.path.join(csv_dir, "done"), "w").close()
            log(f"bench: CSV export for DuckDB in {time.monotonic() - t0:.1f} s")
        db = os.path.join(data, f"duckdb-{tag}.duckdb")
        load_file = db + ".load.json"
        if not (os.path.exists(db) and os.path.exists(load_file)):
            if os.path.exists(load_file):
                os.remove(load_file)
            load = measure(["node", os.path.join(ROOT, "tests/bench/peers/duckdb_load.mjs"), csv_dir, db],
                           log_path=os.path.join(data, f"duckdb-load-{tag}.log"))
            if not load["ok"]:
                sys.exit(f"bench: the DuckDB load failed, see {data}/duckdb-load-{tag}.log")
            load["date"] = datetime.date.today().isoformat()
            with open(load_file, "w") as f:
                json.dump(load, f)
        with open(load_file) as f:
            load = json.load(f)
    return counts, floor, load


def commands(a, conn, floor, outdir):
    bench = os.path.join(a.build, "tests", "bench", "cskpi-bench")
    base = [bench, "--customers", str(a.customers), "--seed", str(a.seed), "--dir", a.data, "--pg", conn,
            "--no-generate"]
    tag = f"{a.customers}-{a.seed}"
    sql_env = dict(os.environ, PGOPTIONS="-c search_path=canonical,public")
    return {
        "cskpi-pg": (base + ["--only", "postgresql"], None),
        "cskpi-pg-1": (base + ["--only", "postgresql", "--parallel-reads", "1"], None),
        "cskpi-sqlite": (base + ["--only", "sqlite3"], None),
        "floor": (["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", conn, "-f", floor], None),
        "sql": (["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-F", ",", "-P", "footer=off", conn,
                 "-f", os.path.join(ROOT, "sql/bench/core_kpis.sql"), "-o", os.path.join(outdir, "sql.csv")],
                sql_env),
        "pandas": ([PYTHON, os.path.join(ROOT, "tests/bench/peers/pandas_kpis.py"), "--pg", conn,
                    "--out", os.path.join(outdir, "pandas.csv")], None),
        "duckdb": (["node", os.path.join(ROOT, "tests/bench/peers/duckdb_kpis.mjs"),
                    os.path.join(a.data, f"duckdb-{tag}.duckdb"), os.path.join(ROOT, "sql/bench/core_kpis.sql"),
                    os.path.join(outdir, "duckdb.csv")], None),
    }


# ---------------------------------------------------------------- the nightly job

def with_dbname(conn, dbname):
    parts = [p for p in conn.split() if not p.startswith("dbname=")]
    return " ".join(parts + [f"dbname={dbname}"])


class Nightly:
    """The incremental nightly contender's world: a copy of the benchmark
    database (the days of activity change it; the other contenders keep
    reading the original), targets A (incremental) and B (full), their
    configurations, and the days applied so far."""

    def __init__(self, a, conn):
        self.a = a
        source_db = dict(p.split("=", 1) for p in conn.split() if "=" in p)["dbname"]
        self.conn = with_dbname(conn, source_db + "_nightly")
        admin = with_dbname(conn, "postgres")
        t0 = time.monotonic()
        psql(admin, "-c", f"DROP DATABASE IF EXISTS {source_db}_nightly",
             "-c", f"CREATE DATABASE {source_db}_nightly TEMPLATE {source_db}")
        log(f"bench: copied the database for the nightly runs in {time.monotonic() - t0:.1f} s")
        bench = os.path.join(a.build, "tests", "bench", "cskpi-bench")
        config = json.loads(run([bench, "--customers", str(a.customers), "--seed", str(a.seed), "--dir", a.data,
                                 "--pg", self.conn, "--print-config", "postgresql"],
                                stdout=subprocess.PIPE, text=True).stdout)
        self.targets, self.configs = {}, {}
        for name, key in (("nightly-incremental", "A"), ("nightly-full", "B")):
            target = os.path.join(a.data, f"nightly-{key}.sqlite")
            for suffix in ("", ".cskpi-model", ".cskpi-model.tmp"):
                if os.path.exists(target + suffix):
                    os.remove(target + suffix)
            self.targets[name] = target
            self.configs[name] = os.path.join(a.data, f"nightly-{key}.json")
            with open(self.configs[name], "w") as f:
                json.dump(dict(config, target={"backend": "sqlite3", "connection": "db=" + target}), f)
        self.cli = os.path.join(a.build, "hosts", "cli", "cskpi")
        self.days, self.differences = [], []
        t0 = time.monotonic()
        run([self.cli, "nightly", "--config", self.configs["nightly-incremental"], "--as-of", "2025-12-31"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log(f"bench: first (full) nightly run into target A in {time.monotonic() - t0:.1f} s")

    def next_day(self, rep):
        """Applies one more day of activity (not timed); returns its date."""
        day = (datetime.date(2026, 1, 1) + datetime.timedelta(days=rep)).isoformat()
        gen = os.path.join(self.a.build, "hosts", "demo", "cskpi-demo-gen")
        t0 = time.monotonic()
        out = run([gen, "--backend", "postgresql", "--connection", self.conn, "--apply-day", "--customers",
                   str(self.a.customers), "--seed", str(1000 + rep), "--day", day],
                  stdout=subprocess.PIPE, text=True).stdout
        counts = dict(re.findall(r"^(\w+)\s+(\d+)$", out, re.M))
        self.days.append({"day": day, "apply_s": time.monotonic() - t0, "counts": {k: int(v) for k, v in counts.items()}})
        return day

    def command(self, name, day):
        cmd = [self.cli, "nightly", "--config", self.configs[name], "--as-of", day]
        return cmd + ["--full"] if name == "nightly-full" else cmd

    def last_run(self, name):
        """mode, fallback and rows read of the target's latest run."""
        import sqlite3
        c = sqlite3.connect(self.targets[name])
        try:
            mode, fallback, rows = c.execute("SELECT mode, fallback, rows_read FROM cskpi_run "
                                             "ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            c.close()
        return {"mode": mode, "fallback": fallback, "rows_read": json.loads(rows) if rows else {}}

    def compare(self, day):
        """Every snapshot table of `day` in A and B: equal (reals within 1e-9
        relative), the rule of docs/nightly.md "Incremental runs"."""
        import sqlite3
        c = sqlite3.connect(self.targets["nightly-incremental"])
        try:
            c.execute("ATTACH DATABASE ? AS b", (self.targets["nightly-full"],))
            tables = [t for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE "
                                              "'cskpi_%' AND name NOT IN ('cskpi_run', 'cskpi_schema_version')")]
            bad = []
            for t in tables:
                cols = [r[1] for r in c.execute(f"PRAGMA table_info({t})") if r[1] != "run_id"]
                sel = ", ".join(f'"{x}"' for x in cols)
                rows = [sorted(c.execute(f"SELECT {sel} FROM {db}.{t} WHERE as_of = ?", (day,)).fetchall(),
                               key=lambda r: tuple((v is None, v if not isinstance(v, float) else 0) for v in r))
                        for db in ("main", "b")]
                if len(rows[0]) != len(rows[1]):
                    bad.append(f"{t}: {len(rows[0])} rows against {len(rows[1])}")
                    continue
                for x, y in zip(*rows):
                    for col, u, v in zip(cols, x, y):
                        if isinstance(u, float) and isinstance(v, float):
                            if abs(u - v) > 1e-9 * max(abs(u), abs(v)):
                                bad.append(f"{t}.{col}: {u!r} against {v!r}")
                        elif u != v:
                            bad.append(f"{t}.{col}: {u!r} against {v!r}")
            return bad
        finally:
            c.close()


# ---------------------------------------------------------------- checking

def number(text):
    if text is None or text == "" or text.lower() == "nan":
        return None
    return float(text)


def check(a, conn, outdir):
    """Compares each checked contender's report with cskpi's, value by value."""
    bench = os.path.join(a.build, "tests", "bench", "cskpi-bench")
    config = run([bench, "--customers", str(a.customers), "--seed", str(a.seed), "--dir", a.data, "--pg", conn,
                  "--print-config", "postgresql"], stdout=subprocess.PIPE, text=True).stdout
    cfg = os.path.join(outdir, "cskpi-config.json")
    with open(cfg, "w") as f:
        f.write(config)
    cli = os.path.join(a.build, "hosts", "cli", "cskpi")
    out = run([cli, "compute", "--config", cfg, "--granularity", "month", "--json"], stdout=subprocess.PIPE,
              text=True).stdout
    cskpi = {}
    for row in json.loads(out):
        if row["segment"] == "all" and row["granularity"] == "month":
            cskpi[(row["period_start"], row["kpi"])] = row["value"]
    periods = sorted({p for p, _ in cskpi})
    failures = []
    for name in CHECKED:
        if name not in a.contenders:
            continue
        path = os.path.join(outdir, name + ".csv")
        with open(path) as f:
            lines = [line.rstrip("\n").split(",") for line in f if line.strip()]
        header, rows = lines[0], lines[1:]
        got_periods = [r[0] for r in rows]
        bad = []
        if got_periods != periods:
            bad.append(f"periods {got_periods[:1]}..{got_periods[-1:]} ({len(got_periods)}) != cskpi's "
                       f"{periods[:1]}..{periods[-1:]} ({len(periods)})")
        compared = 0
        for r in rows:
            for kpi, text in zip(header[1:], r[1:]):
                if (r[0], kpi) not in cskpi:
                    bad.append(f"{r[0]} {kpi}: cskpi has no such value")
                    continue
                want, got = cskpi[(r[0], kpi)], number(text)
                compared += 1
                if want is None or got is None:
                    if want is not got:
                        bad.append(f"{r[0]} {kpi}: cskpi {want}, {name} {got}")
                elif abs(want - got) > TOLERANCE * max(1.0, abs(want), abs(got)):
                    bad.append(f"{r[0]} {kpi}: cskpi {want!r}, {name} {got!r}")
        if bad:
            failures.append(name)
            log(f"check: {name} DIFFERS from cskpi in {len(bad)} of {compared} values:")
            for b in bad[:20]:
                log("  " + b)
        else:
            log(f"check: {name} agrees with cskpi on all {compared} values "
                f"({len(header) - 1} KPIs x {len(rows)} months, within {TOLERANCE:g})")
    return not failures


# ---------------------------------------------------------------- report

def machine():
    model = cores = "?"
    try:
        out = subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True).stdout
        for line in out.splitlines():
            k, _, v = line.partition(":")
            if k.strip() == "Model name":
                model = v.strip()
            if k.strip() == "CPU(s)":
                cores = v.strip()
    except OSError:
        pass
    ram = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return f"{model}, {cores} cores, {ram} RAM, {platform.system()} {platform.release()}"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def fmt(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def total_cpu(m):
    """Client CPU plus, for contenders served by PostgreSQL, the server's."""
    return m["cpu_s"] + (m["server_cpu_s"] or 0)


def summarize(results):
    """Median of each metric over the repetitions."""
    out = {}
    for name, runs in results.items():
        m = {}
        for k in ("wall_s", "cpu_s", "rss_mb", "server_cpu_s", "server_rss_mb", "load_s", "compute_s"):
            vals = [r[k] for r in runs if r.get(k) is not None]
            m[k] = statistics.median(vals) if vals else None
        m["ok"] = all(r["ok"] for r in runs)
        m["runs"] = len(runs)
        m["walls"] = [r["wall_s"] for r in runs]
        out[name] = m
    return out


def report(a, summary, counts, load, load_before, load_after, started, nightly=None):
    lines = []
    ref = summary.get("cskpi-pg")
    lines.append(f"Size {a.size_label}: {a.customers:,} customers, seed {a.seed}; canonical rows: " +
                 ", ".join(f"{s} {counts[s]:,}" for s in SOURCES))
    lines.append(f"Machine: {machine()}")
    lines.append(f"Date: {started}; load average before {load_before}, after {load_after}")
    lines.append(f"Command: {a.command}")
    lines.append(f"Repetitions: {a.repeat} (contenders rotated each repetition; medians shown)")
    lines.append("")
    lines.append("| contender | wall s | CPU s (client) | CPU s (server) | peak RSS MB (client) | "
                 "peak RSS MB (server backend) | wall / cskpi PG | CPU / cskpi PG |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in a.contenders:
        m = summary[name]
        wall = f"{m['wall_s'] / ref['wall_s']:.2f}x" if ref and ref["wall_s"] else "n/a"
        cpu = f"{total_cpu(m) / total_cpu(ref):.2f}x" if ref and total_cpu(ref) else "n/a"
        flag = "" if m["ok"] else " (FAILED)"
        lines.append(f"| {LABELS[name]}{flag} | {fmt(m['wall_s'])} | {fmt(m['cpu_s'])} | {fmt(m['server_cpu_s'])} | "
                     f"{fmt(m['rss_mb'], 0)} | {fmt(m['server_rss_mb'], 0)} | {wall} | {cpu} |")
    if load:
        lines.append(f"| DuckDB load (CSV -> .duckdb, once, {load.get('date', '?')}) | {fmt(load['wall_s'])} | "
                     f"{fmt(load['cpu_s'])} | n/a | {fmt(load['rss_mb'], 0)} | n/a | | |")
    where = {"cskpi-pg": "PostgreSQL", "cskpi-pg-1": "PostgreSQL on one connection", "cskpi-sqlite": "SQLite"}
    splits = [f"{where[name]}: load {summary[name]['load_s']:.2f} s + compute {summary[name]['compute_s']:.2f} s"
              for name in where if name in summary and summary[name].get("load_s") is not None]
    if splits:
        lines.append("")
        lines.append("cskpi's wall time split, timed in its process (load = reading the source into the model, "
                     "compute = every table from the model): " + "; ".join(splits) + ".")
    lines.append("")
    if ref and ref["ok"]:
        lines.append("Targets (issue 6), judged on wall time; CPU = client + server:")

        def target(text, ok):
            lines.append(f"- {text}: {'met' if ok else 'MISSED'}")

        def speedup(name):  # the contender's time over cskpi's, by wall and by CPU
            m = summary[name]
            return m["wall_s"] / ref["wall_s"], total_cpu(m) / total_cpu(ref)

        if "floor" in summary:
            w, c = speedup("floor")
            target(f"cskpi PG <= 1.5x the transfer floor: cskpi PG / floor = {1 / w:.2f}x wall, {1 / c:.2f}x CPU",
                   1 / w <= 1.5)
            if "cskpi-pg-1" in summary:  # the like-for-like figure: one connection each
                one = summary["cskpi-pg-1"]["wall_s"] / summary["floor"]["wall_s"]
                target(f"cskpi PG on one connection <= 1.5x the transfer floor: {one:.2f}x wall", one <= 1.5)
        for name, want, text in (("sql", 5, "hand-written SQL"), ("pandas", 10, "pandas")):
            if name in summary:
                w, c = speedup(name)
                target(f"cskpi PG >= {want}x faster than {text}: {text} / cskpi PG = {w:.2f}x wall, {c:.2f}x CPU",
                       w >= want)
        if "duckdb" in summary:
            w, c = speedup("duckdb")
            target(f"cskpi PG not slower than DuckDB (compute only): DuckDB / cskpi PG = {w:.2f}x wall, {c:.2f}x CPU",
                   w >= 1)
        b = ref["rss_mb"] * 1024 * 1024 / counts["order_lines"]
        target(f"cskpi PG peak RSS <= 40 bytes per order line: {b:.0f} B/line "
               f"({ref['rss_mb']:.0f} MB / {counts['order_lines']:,} lines)", b <= 40)
    if nightly:
        lines.extend(nightly_report(summary, nightly))
    return "\n".join(lines)


def nightly_report(summary, nightly):
    """The incremental nightly run against the full one and the peers (issue 15)."""
    inc, full = summary.get("nightly-incremental"), summary.get("nightly-full")
    if not inc or not full or not inc["ok"] or not full["ok"]:
        return ["", "Incremental nightly: not measured (a run failed)"]
    day = nightly.days[-1]
    c = day["counts"]
    runs = nightly.runs
    modes = ", ".join(sorted({f"{r['mode']}" + (f" ({r['fallback']})" if r["fallback"] else "") for r in runs}))
    rows = runs[-1]["rows_read"]
    lines = ["", "Incremental nightly (issue 15), judged on the medians above: one day of activity per repetition "
             f"(last: {c.get('new_orders', 0) + c.get('backdated_orders', 0):,} new orders, "
             f"{c.get('edited_orders', 0):,} edited, {c.get('cancelled_orders', 0):,} cancelled, "
             f"{c.get('deleted_documents', 0):,} deleted, {c.get('new_tickets', 0):,} tickets, "
             f"{c.get('answers', 0):,} answers; applied in {day['apply_s']:.1f} s, not timed); "
             f"run mode of target A: {modes}; rows read by the last incremental run: " +
             ", ".join(f"{s} {n:,}" for s, n in rows.items()) + "."]

    def share(m, k):
        return m[k] / full[k] if m.get(k) and full.get(k) else None

    w, sc, r = share(inc, "wall_s"), share(inc, "server_cpu_s"), inc["rss_mb"] / full["rss_mb"]
    lines.append(f"- incremental <= 10% of the full nightly's wall: {fmt(w * 100 if w else None, 1)}%: "
                 f"{'met' if w is not None and w <= 0.10 else 'MISSED'}")
    lines.append(f"- incremental <= 5% of the full nightly's database CPU: {fmt(sc * 100 if sc else None, 1)}%: "
                 f"{'met' if sc is not None and sc <= 0.05 else 'MISSED'}")
    lines.append(f"- incremental peak RSS <= the full nightly's: {inc['rss_mb']:.0f} MB against "
                 f"{full['rss_mb']:.0f} MB: {'met' if r <= 1 else 'MISSED'}")
    short = {"cskpi-pg": "cskpi full compute", "floor": "transfer floor", "sql": "hand-written SQL",
             "pandas": "pandas", "duckdb": "DuckDB (compute only)"}
    peers = [n for n in short if n in summary and summary[n]["ok"]]
    lines.append("- against the peers, who recompute from scratch (their wall / the incremental run's wall; "
                 "CPU client + server): " +
                 "; ".join(f"{short[n]} {summary[n]['wall_s'] / inc['wall_s']:.1f}x wall, "
                           f"{total_cpu(summary[n]) / total_cpu(inc):.1f}x CPU" for n in peers))
    if nightly.differences:
        lines.append(f"- incremental snapshot DIFFERS from the full one: {len(nightly.differences)} values")
    return lines


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description="cskpi and its peers on the same demo ERP (see docs/performance.md)")
    ap.add_argument("--size", choices=sorted(SIZES), default="S")
    ap.add_argument("--customers", type=int, help="overrides --size")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--pg", help="libpq conninfo of a database to use (its schema public is replaced); "
                                 "default: a throwaway server in the build tree")
    ap.add_argument("--build", required=True)
    ap.add_argument("--data", help="default: BUILD/bench-data")
    ap.add_argument("--only", help="comma-separated contenders (default: all): " + ",".join(ALL_CONTENDERS))
    ap.add_argument("--skip", help="comma-separated contenders to leave out")
    ap.add_argument("--check", action="store_true", help="compare sql/pandas/duckdb KPIs with cskpi's (exit 1 if not)")
    ap.add_argument("--command", default=" ".join(sys.argv))
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.data = os.path.abspath(a.data or os.path.join(a.build, "bench-data"))
    a.customers = a.customers or SIZES[a.size]
    a.size_label = a.size if a.customers == SIZES[a.size] else f"custom"
    a.contenders = a.only.split(",") if a.only else list(ALL_CONTENDERS)
    if a.skip:
        a.contenders = [c for c in a.contenders if c not in a.skip.split(",")]
    for c in a.contenders:
        if c not in ALL_CONTENDERS:
            sys.exit(f"bench: unknown contender {c}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    server = None
    try:
        if a.pg:
            conn = a.pg
        else:
            server = OwnServer(os.path.join(a.build, "bench-pg"))
            server.start()
            db = f"cskpi_bench_{a.customers}_{a.seed}"
            admin = server.conninfo("postgres")
            if psql(admin, "-At", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{db}'", capture=True).strip() != "1":
                psql(admin, "-c", f"CREATE DATABASE {db}")
            conn = server.conninfo(db)
        return bench(a, conn)
    finally:
        if server:
            server.stop()


def bench(a, conn):
    started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    counts, floor, load = prepare(a, conn)
    probe = ServerProbe.connect(conn)
    if not probe:
        log("bench: the PostgreSQL server is not local (or not readable): no server CPU / RSS")
    outdir = os.path.join(a.data, f"out-{a.customers}-{a.seed}")
    os.makedirs(outdir, exist_ok=True)
    cmds = commands(a, conn, floor, outdir)
    results = {c: [] for c in a.contenders}
    nightly = Nightly(a, conn) if any(n in a.contenders for n in NIGHTLY) else None
    if nightly:
        nightly.runs = []
    load_before = loadavg()
    ok = True
    rotated = [c for c in a.contenders if c not in NIGHTLY] + (["nightly"] if nightly else [])
    for rep in range(a.repeat):
        order = rotated[rep % len(rotated):] + rotated[:rep % len(rotated)]
        for name in order:
            if name == "nightly":
                ok = nightly_step(a, nightly, rep, probe, outdir, results) and ok
                continue
            cmd, env = cmds[name]
            log_path = os.path.join(outdir, f"{name}.log")
            r = measure(cmd, probe if name in USES_PG else None, env=env, log_path=log_path)
            if name.startswith("cskpi"):  # cskpi-bench's own split of the run
                with open(log_path) as f:
                    split = re.search(r"\(load ([\d.]+)s, compute ([\d.]+)s\)", f.read())
                if split:
                    r["load_s"], r["compute_s"] = float(split.group(1)), float(split.group(2))
            results[name].append(r)
            log(f"run {rep + 1}/{a.repeat} {name:13s} wall={r['wall_s']:.2f}s cpu={r['cpu_s']:.2f}s "
                f"rss={r['rss_mb']:.0f}MB server_cpu={fmt(r['server_cpu_s'])} "
                f"server_rss={fmt(r['server_rss_mb'], 0)} {'ok' if r['ok'] else 'FAILED'}")
            if not r["ok"]:
                ok = False
                with open(os.path.join(outdir, f"{name}.log")) as f:
                    sys.stdout.write(f.read()[-3000:])
    load_after = loadavg()
    text = report(a, summarize(results), counts, load, load_before, load_after, started, nightly)
    log("")
    log(text)
    label = a.size_label if a.size_label != "custom" else str(a.customers)
    with open(os.path.join(a.data, f"results-{label}.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(a.data, f"results-{label}.json"), "w") as f:
        json.dump({"command": a.command, "date": started, "customers": a.customers, "seed": a.seed,
                   "counts": counts, "load": load, "runs": results,
                   "nightly": {"days": nightly.days, "runs": nightly.runs} if nightly else None}, f, indent=1)
    log(f"\nbench: results in {a.data}/results-{label}.md")
    if a.check and ok:
        ok = check(a, conn, outdir)
        if nightly:
            if nightly.differences:
                log(f"check: the incremental nightly snapshot DIFFERS from the full one in "
                    f"{len(nightly.differences)} values:")
                for d in nightly.differences[:20]:
                    log("  " + d)
                ok = False
            else:
                log(f"check: the incremental nightly snapshots equal the full ones on all {len(nightly.days)} days "
                    "(every snapshot table)")
    return 0 if ok else 1


def nightly_step(a, nightly, rep, probe, outdir, results):
    """One day of activity, then the incremental and the full nightly run on it."""
    day = nightly.next_day(rep)
    ok = True
    for name in NIGHTLY:
        log_path = os.path.join(outdir, f"{name}.log")
        r = measure(nightly.command(name, day), probe, log_path=log_path)
        if name in results:
            results[name].append(r)
        log(f"run {rep + 1}/{a.repeat} {name:13s} wall={r['wall_s']:.2f}s cpu={r['cpu_s']:.2f}s "
            f"rss={r['rss_mb']:.0f}MB server_cpu={fmt(r['server_cpu_s'])} "
            f"server_rss={fmt(r['server_rss_mb'], 0)} {'ok' if r['ok'] else 'FAILED'}")
        if not r["ok"]:
            with open(log_path) as f:
                sys.stdout.write(f.read()[-3000:])
            return False
        if name == "nightly-incremental":
            nightly.runs.append(nightly.last_run(name))
    nightly.differences.extend(f"{day} {d}" for d in nightly.compare(day))
    return ok


if __name__ == "__main__":
    sys.exit(main())
