#!/usr/bin/env python3
"""The Python binding against the built library: numbers worked out by hand,
the error classes, cancel through progress.  usage: test_binding.py LIBRARY WORKDIR"""
import os
import sqlite3
import sys

os.environ["CSKPI_LIBRARY"] = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cskpi  # noqa: E402

work = sys.argv[2]
os.makedirs(work, exist_ok=True)
db_path = os.path.join(work, "binding.sqlite")
if os.path.exists(db_path):
    os.remove(db_path)
db = sqlite3.connect(db_path)
db.executescript("""
  CREATE TABLE customers(customer_id TEXT, name TEXT, created_on DATE, segment TEXT);
  CREATE TABLE order_lines(order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, category TEXT, amount REAL);
  INSERT INTO customers VALUES ('a','A',NULL,'smb'), ('b','B',NULL,'smb');
  INSERT INTO order_lines VALUES ('o1','a','2024-03-01','p','x',10), ('o2','b','2024-03-02','p','x',30),
                                 ('o3','b','2024-03-20','p','y',20);
""")
db.commit()
db.close()
config = {"source": {"backend": "sqlite3", "connection": "db=" + db_path}, "as_of": "2024-03-31"}

with cskpi.Engine(config) as engine:
    rows = engine.compute(table="kpis")
    value = {(r["kpi"], r["segment"]): r["value"] for r in rows if r["period_start"] == "2024-03-01"}
    assert value[("orders", "all")] == 3, value[("orders", "all")]
    assert value[("aov", "smb")] == 20, value[("aov", "smb")]            # (10 + 30 + 20) / 3
    assert value[("purchase_frequency", "all")] == 1.5                    # 3 orders / 2 buyers
    assert value[("revenue", "all")] is None                              # no invoices source
    html = engine.report(lang="pt-BR", segment="smb")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="pt-BR">' in html
    assert "não disponível (sem fonte de chamados)" in html               # no tickets source
    # March: a and b are new customers of smb, the only period, drawn once.
    assert 'data-kpi="customers_new" data-period="2024-03-01" data-value="2"' in html
    try:
        engine.report(segment="retail")
        raise AssertionError("an unknown segment must raise")
    except cskpi.Error as e:
        assert e.status == "CSKPI_CONFIG" and "retail" in str(e), (e.status, str(e))

try:
    cskpi.Engine({"granularity": "fortnight"})
    raise AssertionError("a bad granularity must raise")
except cskpi.Error as e:
    assert e.status == "CSKPI_CONFIG" and "granularity" in str(e), (e.status, str(e))

with cskpi.Engine(config, progress=lambda phase, done, total: phase.startswith("read:order_lines")) as engine:
    try:
        engine.compute()
        raise AssertionError("cancel must raise")
    except cskpi.Error as e:
        assert e.status == "CSKPI_CANCELLED", e.status

print("python binding: all checks passed (cskpi %s)" % cskpi.version())
