#!/usr/bin/python3
"""The core KPIs of sql/bench/core_kpis.sql, computed with pandas.

A contender of tests/bench/run.sh: what a data analyst would write in pandas
(Debian python3-pandas) for the same monthly report. It reads the canonical
sources from PostgreSQL with psycopg2: each source's view (made from the demo
profile's SELECTs, like cskpi reads them) is streamed with
COPY (SELECT <the columns needed>) TO STDOUT (CSV) through a pipe into
pandas.read_csv, the fast path for large tables (read_sql would build a
Python object per value). Customer ids are digits in the demo ERP and
read_csv reads them as int64 (its default inference). Everything after the
read is pandas/numpy.

    pandas_kpis.py --pg CONNINFO --out FILE.csv [--as-of 2025-12-31] [--window 90]
                   [--tz America/Sao_Paulo]

Output: the same columns as core_kpis.sql, one row per month (segment all).
Rows cskpi skips are skipped (null mandatory fields, dated after as_of,
scores out of scale, resolutions before the opening).
"""
import argparse
import os
import threading

import numpy as np
import pandas as pd
import psycopg2

KPIS = ["customers_active_start", "customers_active_end", "customers_new", "customers_reactivated",
        "customers_churned", "retention_rate", "churn_rate", "revenue", "new_revenue", "expansion_revenue",
        "contraction_revenue", "churned_revenue", "reactivation_revenue", "nrr", "grr",
        "ttr_hours_median", "ttr_hours_p90", "nps"]


def read(conn, select, **read_csv_args):
    """Streams COPY (select) TO STDOUT (CSV, header) into pandas.read_csv."""
    rfd, wfd = os.pipe()
    failure = []

    def produce():
        try:
            with os.fdopen(wfd, "wb") as w, conn.cursor() as cur:
                cur.copy_expert(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)", w)
        except Exception as e:  # reported after the reader has drained the pipe
            failure.append(e)

    t = threading.Thread(target=produce)
    t.start()
    with os.fdopen(rfd, "rb") as r:
        df = pd.read_csv(r, **read_csv_args)
    t.join()
    if failure:
        raise failure[0]
    return df


def days(series):
    """A datetime64 Series as int64 days since 1970-01-01 (NaT -> min int)."""
    return series.values.astype("datetime64[D]").astype(np.int64)


def months(day_numbers):
    """int64 days since the epoch -> int64 months since 1970-01."""
    return day_numbers.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def local_days(series, tz):
    """UTC naive timestamps -> local dates in tz as int64 days (NaT stays NaT -> min int)."""
    local = series.dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)
    return local.values.astype("datetime64[D]").astype(np.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--window", type=int, default=90)
    ap.add_argument("--tz", default="America/Sao_Paulo")
    a = ap.parse_args()
    as_of = int(np.datetime64(a.as_of, "D").astype(np.int64))
    w = a.window
    nat = np.iinfo(np.int64).min

    conn = psycopg2.connect(a.pg)
    conn.set_session(readonly=True, isolation_level="REPEATABLE READ")  # one snapshot, like cskpi

    # ---------------------------------------------------------------- read
    ol = read(conn, "SELECT customer_id, order_date FROM canonical.order_lines"
                    " WHERE order_id IS NOT NULL AND customer_id IS NOT NULL"
                    " AND order_date IS NOT NULL AND amount IS NOT NULL",
              parse_dates=["order_date"])
    inv = read(conn, "SELECT customer_id, invoice_date, amount FROM canonical.invoices"
                     " WHERE invoice_id IS NOT NULL AND customer_id IS NOT NULL AND invoice_date IS NOT NULL"
                     " AND amount IS NOT NULL AND kind IN ('invoice', 'credit_note')",
               dtype={"amount": np.float64}, parse_dates=["invoice_date"])
    tk = read(conn, "SELECT opened_at, resolved_at FROM canonical.tickets"
                    " WHERE ticket_id IS NOT NULL AND opened_at IS NOT NULL",
              parse_dates=["opened_at", "resolved_at"])
    fb = read(conn, "SELECT answered_at, kind, score FROM canonical.feedback"
                    " WHERE feedback_id IS NOT NULL AND answered_at IS NOT NULL"
                    " AND kind IS NOT NULL AND score IS NOT NULL",
              parse_dates=["answered_at"])
    sub = read(conn, "SELECT start_date FROM canonical.subscriptions WHERE subscription_id IS NOT NULL"
                     " AND customer_id IS NOT NULL AND start_date IS NOT NULL AND mrr IS NOT NULL",
               parse_dates=["start_date"])
    rc = read(conn, "SELECT cost_date FROM canonical.retention_costs"
                    " WHERE cost_date IS NOT NULL AND amount IS NOT NULL", parse_dates=["cost_date"])
    conn.close()

    # ---------------------------------------------------------------- clean rows
    ol_day = days(ol["order_date"])
    keep = ol_day <= as_of
    od = pd.DataFrame({"c": ol["customer_id"].values[keep], "d": ol_day[keep]}).drop_duplicates()

    inv_day = days(inv["invoice_date"])
    inv = inv[inv_day <= as_of]
    inv_day = inv_day[inv_day <= as_of]

    t_open = tk["opened_at"].values.astype("datetime64[s]").astype(np.int64)
    t_res = tk["resolved_at"].values.astype("datetime64[s]").astype(np.int64)
    t_open_day = local_days(tk["opened_at"], a.tz)
    t_res_day = local_days(tk["resolved_at"], a.tz)
    t_keep = t_open_day <= as_of
    t_open, t_res, t_open_day, t_res_day = t_open[t_keep], t_res[t_keep], t_open_day[t_keep], t_res_day[t_keep]

    f_day = local_days(fb["answered_at"], a.tz)
    kind, score = fb["kind"].values, fb["score"].values
    in_scale = (((kind == "nps") & (score >= 0) & (score <= 10))
                | ((kind == "csat") & (score >= 1) & (score <= 5))
                | ((kind == "ces") & (score >= 1) & (score <= 10)))
    f_keep = in_scale & (f_day <= as_of)
    f_day, kind, score = f_day[f_keep], kind[f_keep], score[f_keep]

    sub_day = days(sub["start_date"])
    rc_day = days(rc["cost_date"])

    # ---------------------------------------------------------------- the months
    firsts = [x.min() for x in (od["d"].values, inv_day, t_open_day, f_day,
                                sub_day[sub_day <= as_of], rc_day[rc_day <= as_of]) if len(x)]
    m_first = int(months(np.array([min(firsts)]))[0])
    m_last = int(months(np.array([as_of]))[0])
    n = m_last - m_first + 1

    def per_month(m, weights=None):
        m = np.asarray(m) - m_first
        ok = (m >= 0) & (m < n)
        return np.bincount(m[ok], weights=None if weights is None else np.asarray(weights)[ok], minlength=n)

    # ---------------------------------------------------------------- flow (§3)
    od = od.sort_values(["c", "d"])
    c, d = od["c"].values, od["d"].values
    first_of_customer = np.r_[True, c[1:] != c[:-1]]
    gap = np.r_[0, d[1:] - d[:-1]]
    starts = first_of_customer | (gap > w)
    spell = np.cumsum(starts) - 1
    s = d[starts]
    e = np.maximum.reduceat(d, np.flatnonzero(starts)) + w
    first_spell = first_of_customer[starts]
    prev_e = np.r_[nat, e[:-1]]
    s_m, e_m = months(s), months(e)
    returns = ~first_spell & (months(prev_e) == s_m) & (prev_e <= as_of)
    new = per_month(s_m[first_spell])
    react = per_month(s_m[~first_spell])
    churned = per_month(e_m[e <= as_of])
    back = per_month(s_m[returns])
    net = new + react - churned
    active_end = np.cumsum(net)
    active_start = active_end - net
    retained = active_start - churned + back
    with np.errstate(divide="ignore", invalid="ignore"):
        retention = np.where(active_start > 0, retained / np.where(active_start > 0, active_start, 1), np.nan)

    # ---------------------------------------------------------------- revenue (§4)
    inv_m = months(inv_day)
    cm = pd.DataFrame({"c": inv["customer_id"].values, "m": inv_m, "a": inv["amount"].values})
    cm["abs"] = cm["a"].abs()
    cm = cm.groupby(["c", "m"], sort=False).agg(rev=("a", "sum"), mag=("abs", "sum")).reset_index()
    cm.loc[cm["rev"].abs() <= 1e-9 * cm["mag"], "rev"] = 0.0
    cm["v"] = cm["rev"].clip(lower=0)
    cm["first_positive"] = cm["m"].where(cm["rev"] > 0).groupby(cm["c"]).transform("min")
    prev = cm[["c", "m", "v", "first_positive"]].assign(m=cm["m"] + 1)
    mv = cm[["c", "m", "v", "first_positive"]].merge(prev, on=["c", "m"], how="outer", suffixes=("1", "0"))
    v0 = mv["v0"].fillna(0).values
    v1 = mv["v1"].fillna(0).values
    fp = mv["first_positive1"].fillna(mv["first_positive0"]).values
    mm = mv["m"].values
    grow = (v0 == 0) & (v1 > 0)
    v0_sum = per_month(mm, v0)
    new_rev = per_month(mm, np.where(grow & (mm == fp), v1, 0))
    react_rev = per_month(mm, np.where(grow & (mm > fp), v1, 0))
    exp_rev = per_month(mm, np.where((v0 > 0) & (v0 < v1), v1 - v0, 0))
    con_rev = per_month(mm, np.where((v1 > 0) & (v1 < v0), v0 - v1, 0))
    churn_rev = per_month(mm, np.where((v0 > 0) & (v1 == 0), v0, 0))
    revenue = per_month(inv_m, inv["amount"].values)
    with np.errstate(divide="ignore", invalid="ignore"):
        nrr = np.where(v0_sum != 0, (v0_sum + exp_rev - con_rev - churn_rev) / v0_sum, np.nan)
        grr = np.where(v0_sum != 0, (v0_sum - con_rev - churn_rev) / v0_sum, np.nan)

    # ---------------------------------------------------------------- support (§6), voice (§7)
    resolved = (t_res != nat) & (t_res >= t_open) & (t_res_day <= as_of)
    ttr = pd.DataFrame({"m": months(t_res_day[resolved]) - m_first,
                        "h": (t_res[resolved] - t_open[resolved]) / 3600.0})
    q = ttr.groupby("m")["h"].quantile([0.5, 0.9]).unstack()
    ttr_med = np.full(n, np.nan)
    ttr_p90 = np.full(n, np.nan)
    ttr_med[q.index.values] = q[0.5].values
    ttr_p90[q.index.values] = q[0.9].values

    nps_m = months(f_day[kind == "nps"])
    nps_score = score[kind == "nps"]
    answers = per_month(nps_m)
    promoters = per_month(nps_m[nps_score >= 9])
    detractors = per_month(nps_m[nps_score <= 6])
    with np.errstate(divide="ignore", invalid="ignore"):
        nps = np.where(answers > 0, 100.0 * (promoters - detractors) / np.where(answers > 0, answers, 1), np.nan)

    # ---------------------------------------------------------------- the report
    out = pd.DataFrame({
        "period_start": np.arange(m_first, m_last + 1).astype("datetime64[M]").astype("datetime64[D]"),
        "customers_active_start": active_start.astype(np.int64),
        "customers_active_end": active_end.astype(np.int64),
        "customers_new": new.astype(np.int64),
        "customers_reactivated": react.astype(np.int64),
        "customers_churned": churned.astype(np.int64),
        "retention_rate": retention,
        "churn_rate": 1 - retention,
        "revenue": revenue,
        "new_revenue": new_rev,
        "expansion_revenue": exp_rev,
        "contraction_revenue": con_rev,
        "churned_revenue": churn_rev,
        "reactivation_revenue": react_rev,
        "nrr": nrr,
        "grr": grr,
        "ttr_hours_median": ttr_med,
        "ttr_hours_p90": ttr_p90,
        "nps": nps,
    })
    assert list(out.columns[1:]) == KPIS
    out.to_csv(a.out, index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
