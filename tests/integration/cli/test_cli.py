#!/usr/bin/env python3
"""The cskpi command end to end: compute --json on a canonical-layout SQLite
database with numbers worked out by hand, the nightly job, and the
documented exit codes (docs/cli.md).

usage: test_cli.py CSKPI_BINARY WORKDIR
"""
import json
import os
import sqlite3
import subprocess
import sys

cskpi, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAILED:", what)


def make_db(path):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript("""
      CREATE TABLE customers(customer_id TEXT, name TEXT, created_on DATE, segment TEXT);
      CREATE TABLE order_lines(order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT,
                               category TEXT, amount REAL);
      CREATE TABLE invoices(invoice_id TEXT, customer_id TEXT, invoice_date DATE, due_date DATE,
                            paid_date DATE, amount REAL, kind TEXT);
      INSERT INTO customers VALUES ('a','A','2024-01-01','smb'), ('b','B','2024-01-01',NULL);
      -- a: Jan 100 + Feb 300 (an order of two lines); b: Jan 50 only
      INSERT INTO order_lines VALUES ('o1','a','2024-01-03','p','x',100), ('o2','b','2024-01-04','p','x',50),
                                     ('o3','a','2024-02-10','p','x',200), ('o3','a','2024-02-10','q','y',100);
      -- invoices: a Jan 100, Feb 300; b Jan 50 and a credit note -20 in Feb
      INSERT INTO invoices VALUES ('i1','a','2024-01-03',NULL,NULL,100,'invoice'),
                                  ('i2','b','2024-01-04',NULL,NULL,50,'invoice'),
                                  ('i3','a','2024-02-10',NULL,NULL,300,'invoice'),
                                  ('c1','b','2024-02-12',NULL,NULL,-20,'credit_note');
    """)
    db.commit()
    db.close()


def write_config(name, cfg):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def run(*args):
    return subprocess.run([cskpi, *args], capture_output=True, text=True, timeout=300)


db = os.path.join(work, "cli.sqlite")
make_db(db)
good = write_config("good.json", {"source": {"backend": "sqlite3", "connection": "db=" + db, "profile": "canonical"},
                                  "as_of": "2024-02-29"})

# compute --json: one array of objects, every period from the first data to as_of.
r = run("compute", "--config", good, "--json")
check(r.returncode == 0, "compute exits 0: " + r.stderr)
rows = json.loads(r.stdout or "[]")
check(all({"kpi", "granularity", "period_start", "segment", "value", "partial"} <= set(o) for o in rows),
      "every object has the documented fields")
val = {(o["kpi"], o["period_start"], o["segment"]): o for o in rows}
check({o["period_start"] for o in rows} == {"2024-01-01", "2024-02-01"}, "periods Jan and Feb")
check(val[("orders", "2024-02-01", "all")]["value"] == 1, "Feb: one order (o3, two lines)")
check(val[("aov", "2024-02-01", "all")]["value"] == 300, "Feb aov 300")
check(val[("buyers", "2024-01-01", "unassigned")]["value"] == 1, "null segment reported as unassigned")
# revenue movements, Feb vs Jan: a 100 -> 300 expansion 200; b 50 -> -20 clamped 0: churned 50
check(val[("revenue", "2024-02-01", "all")]["value"] == 280, "Feb revenue 300 - 20 = 280 (unclamped)")
check(val[("expansion_revenue", "2024-02-01", "all")]["value"] == 200, "expansion 200")
check(val[("churned_revenue", "2024-02-01", "all")]["value"] == 50, "churned 50")
check(abs(val[("nrr", "2024-02-01", "all")]["value"] - (150 + 200 - 50) / 150) < 1e-12, "nrr (150+200-50)/150")
check(val[("grr", "2024-02-01", "all")]["value"] == (150 - 50) / 150, "grr 100/150")
check(val[("orders", "2024-02-01", "all")]["partial"] is False, "Feb ends on as_of: complete")
check(val[("nps", "2024-02-01", "all")]["value"] is None, "no feedback source: nps null")
check(val[("orders", "2024-02-01", "all")]["value_previous"] == 2, "comparison with P'")

# --granularity and --as-of
r = run("compute", "--config", good, "--json", "--granularity", "week", "--as-of", "2024-01-31")
check(r.returncode == 0, "weekly compute exits 0")
weekly = json.loads(r.stdout or "[]")
check(all(o["granularity"] == "week" for o in weekly), "weekly rows")
check(max(o["period_start"] for o in weekly) == "2024-01-29", "last week contains as_of")
check(any(o["partial"] for o in weekly), "the week containing as_of is partial")

# another table
r = run("compute", "--config", good, "--json", "--table", "data_quality")
check(r.returncode == 0 and r.stdout.strip().startswith("["), "data_quality table as JSON")

# the nightly job into a separate target
target = os.path.join(work, "target.sqlite")
if os.path.exists(target):
    os.remove(target)
nightly = write_config("nightly.json", {"source": {"backend": "sqlite3", "connection": "db=" + db, "profile": "canonical"},
                                        "target": {"backend": "sqlite3", "connection": "db=" + target}})
for attempt in range(2):  # a rerun replaces the same as_of's rows
    r = run("nightly", "--config", nightly, "--as-of", "2024-02-29")
    check(r.returncode == 0, "nightly exits 0: " + r.stderr)
t = sqlite3.connect(target)
n = t.execute("SELECT count(*) FROM cskpi_kpi_value WHERE kpi='orders' AND segment='all' AND granularity='month'").fetchone()[0]
check(n == 2, "nightly wrote one orders row per month, no duplicates after a rerun (got %d)" % n)
check(t.execute("SELECT count(*) FROM cskpi_run WHERE status='succeeded'").fetchone()[0] == 2, "two succeeded runs")
t.close()

# exit codes
r = run("compute")
check(r.returncode == 2, "missing --config: exit 2")
r = run("compute", "--config", good, "--bogus")
check(r.returncode == 2, "unknown option: exit 2")
bad_key = write_config("bad_key.json", {"source": {"backend": "sqlite3", "connection": "db=" + db}, "granularty": "week"})
r = run("compute", "--config", bad_key)
check(r.returncode == 2 and "granularty" in r.stderr, "unknown configuration key: exit 2 naming the key")
profile_dir = os.path.join(work, "broken_profile")
os.makedirs(profile_dir, exist_ok=True)
with open(os.path.join(profile_dir, "customers.sql"), "w") as f:
    f.write("SELECT customer_id, name, created_on, segment FROM customers")
with open(os.path.join(profile_dir, "order_lines.sql"), "w") as f:
    f.write("SELECT order_id, customer_id, order_date, product_id, category, amount AS amnt FROM order_lines")
broken = write_config("broken.json", {"source": {"backend": "sqlite3", "connection": "db=" + db, "profile": profile_dir},
                                      "as_of": "2024-02-29"})
r = run("compute", "--config", broken)
check(r.returncode == 3 and "amount" in r.stderr and "order_lines" in r.stderr,
      "missing column: exit 3 naming source and column: " + r.stderr)
unreachable = write_config("unreachable.json", {"source": {"backend": "postgresql",
                                                           "connection": "host=127.0.0.1 port=1 dbname=x connect_timeout=2"}})
r = run("compute", "--config", unreachable)
check(r.returncode == 4, "unreachable database: exit 4")
r = run("nightly", "--config", broken)
check(r.returncode == 3, "nightly with a broken profile: exit 3")
check("amount" in r.stderr and "order_lines" in r.stderr,
      "nightly with a broken profile names source and column (the message is not lost): " + r.stderr)

# --csv (RFC 4180) and --xlsx, by hand: customer_movements of February.
# Bytes, not text: text mode would turn the CRLFs into newlines.
r = subprocess.run([cskpi, "compute", "--config", good, "--table", "customer_movements", "--csv"],
                   capture_output=True, timeout=300)
check(r.returncode == 0, "compute --csv: exit 0: %s" % r.stderr)
csv_text = r.stdout.decode()
lines = csv_text.split("\r\n")
check(lines[0] == "period_start,segment,customer_id,flow_event,event_day,revenue_movement,v0,v1,amount",
      "csv header: " + lines[0])
check(lines[-1] == "" and "\n" not in csv_text.replace("\r\n", ""), "csv: every line ends with CRLF")
# February: a 100 -> 300 (expansion 200), b 50 -> 0 (credit note -20: churned 50).
check("2024-02-01,smb,a,,,expansion,100,300,200" in lines, "csv: a's expansion row: %s" % lines)
check("2024-02-01,unassigned,b,,,churned,50,0,50" in lines, "csv: b's churned row (null flow cells empty)")
xlsx = os.path.join(work, "all.xlsx")
r = run("compute", "--config", good, "--xlsx", xlsx)
check(r.returncode == 0 and os.path.getsize(xlsx) > 0, "compute --xlsx: exit 0: " + r.stderr)
import zipfile  # noqa: E402
with zipfile.ZipFile(xlsx) as z:
    book = z.read("xl/workbook.xml").decode()
for table in ("kpis", "customer_movements", "cohort_retention", "health", "data_quality"):
    check('name="%s"' % table in book, "xlsx has a sheet " + table)
check('name="profile_check"' not in book, "xlsx leaves profile_check out")

# cskpi report: the HTML file, and its errors naming the value.
out = os.path.join(work, "report.html")
r = run("report", "--config", good, "--out", out, "--lang", "pt-BR")
check(r.returncode == 0 and open(out, encoding="utf-8").read().startswith("<!DOCTYPE html>"), "report: " + r.stderr)
r = run("report", "--config", good, "--out", out, "--segment", "retail")
check(r.returncode == 2 and "retail" in r.stderr, "report: unknown segment exit 2 naming it: " + r.stderr)
r = run("report", "--config", good, "--out", out, "--as-of", "2020-01-31")
check(r.returncode == 2 and "2020-01-31" in r.stderr, "report: as_of before the data exit 2 naming it: " + r.stderr)
r = run("report", "--config", good)
check(r.returncode == 2 and "--out" in r.stderr, "report without --out: exit 2")

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("cskpi command: all checks passed")
