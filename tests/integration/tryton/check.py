"""Checks of the Tryton integration test.

Expectations are written by hand from the scenario (scenario.py's docstring
tells the story); only Tryton's own creation/modification times, which no
one can choose, are taken from what Tryton wrote (read back by the
scenario through proteus). Nothing is taken from cskpi's output.
"""
import datetime as dt
import json
import math
import os
import subprocess

from scenario import month_day

SOURCES = ['customers', 'order_lines', 'invoices', 'tickets', 'feedback',
           'subscriptions', 'retention_costs']


class Checker:
    def __init__(self):
        self.failures = []
        self.count = 0

    def eq(self, what, got, want, tol=1e-6):
        self.count += 1
        if isinstance(want, float) or isinstance(got, float):
            good = (got is not None and want is not None
                    and math.isclose(float(got), float(want), rel_tol=tol, abs_tol=tol))
        else:
            good = got == want
        if not good:
            self.failures.append(f'{what}: got {got!r}, want {want!r}')


def ts(s):
    """A timestamp as stored by Tryton (text on SQLite) -> naive datetime."""
    if s is None or isinstance(s, dt.datetime):
        return s
    return dt.datetime.fromisoformat(str(s))


def day(v):
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return str(v)[:10]


def profile_sql(profile_dir, backend, source):
    for path in (os.path.join(profile_dir, backend, source + '.sql'),
                 os.path.join(profile_dir, source + '.sql')):
        if os.path.exists(path):
            with open(path) as f:
                return f.read()
    return None


def without_comments(sql):
    """sql without its '--' comments (outside quotes)."""
    out, quoted, i = [], False, 0
    while i < len(sql):
        if sql[i] == "'":
            quoted = not quoted
        if not quoted and sql.startswith('--', i):
            while i < len(sql) and sql[i] != '\n':
                i += 1
            continue
        out.append(sql[i])
        i += 1
    return ''.join(out)


def fetch(backend, db, sql, since=None):
    """Rows of sql as dicts; `since` binds the :since parameter of a
    change-capture SELECT (as cskpi binds it: a UTC text timestamp)."""
    if backend == 'sqlite3':
        import sqlite3
        conn = sqlite3.connect(db)
        try:
            cur = conn.execute(sql, {'since': since} if since is not None else ())
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]
        finally:
            conn.close()
    import psycopg2
    conn = psycopg2.connect(' '.join(f'{k}={v}' for k, v in db.items()))
    try:
        with conn.cursor() as cur:
            if since is None:
                cur.execute(sql)
            else:
                cur.execute(without_comments(sql).replace('%', '%%').replace(':since', '%(since)s'),
                            {'since': since})
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        conn.close()


def expected_rows(facts):
    """Rows each profile SELECT must return, written from the scenario."""
    today = dt.date.fromisoformat(facts['today'])

    def M(k, d):
        return month_day(today, k, d).isoformat()

    def plus(date, days):
        return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()

    p = {k: str(v) for k, v in facts['parties'].items()}
    A, B, C, D = p['A'], p['B'], p['C'], p['D']
    s = {k: str(v) for k, v in facts['sales'].items()}
    i = {k: str(v) for k, v in facts['invoices'].items()}
    k = facts['complaints']
    created = facts['parties_created']
    customers = {
        A: ('Alice Retail', day(created['A']), 'Retail'),
        B: ('Bob Retail', day(created['B']), 'Retail'),
        C: ('Carol Wholesale', day(created['C']), 'Wholesale'),
        D: ('Dave Prospect', day(created['D']), None),
    }
    # (order_id, customer_id, order_date, category, amount), sorted
    order_lines = sorted([
        (s['S1'], A, M(3, 10), 'Hardware', 200.0),
        (s['S2'], B, M(3, 15), 'Hardware', 100.0),
        (s['S2'], B, M(3, 15), 'Services', 50.0),
        (s['S3'], C, M(2, 5), 'Hardware', 300.0),
        (s['S9'], A, M(2, 20), 'Services', 50.0),   # sold to E, merged into A
        (s['S4'], A, M(1, 8), 'Services', 50.0),
        (s['S7'], C, M(1, 25), 'Goods', 80.0),      # accounting category
        (s['S8'], B, today.isoformat(), 'Hardware', 100.0),
        (s['S10'], B, M(2, 25), 'Hardware', 50.0),  # 100 EUR at 2 EUR per USD
    ])
    # invoice_id -> (customer_id, invoice_date, due_date, paid_date, amount, kind)
    invoices = {
        i['I1']: (A, M(3, 10), plus(M(3, 10), 30), M(3, 20), 200.0, 'invoice'),
        i['I2']: (B, M(3, 15), plus(M(3, 15), 30), None, 150.0, 'invoice'),
        i['I3']: (C, M(2, 5), plus(M(2, 5), 30), None, 300.0, 'invoice'),
        i['CN3']: (C, M(1, 12), plus(M(1, 12), 30), None, -100.0, 'credit_note'),
        i['I4']: (A, M(1, 8), plus(M(1, 8), 30), None, 50.0, 'invoice'),
        i['I10']: (B, M(2, 25), plus(M(2, 25), 30), None, 50.0, 'invoice'),  # 100 EUR
    }
    # ticket_id -> (customer_id, opened_at, resolved_at, category)
    tickets = {}
    for key, cust, cat in (('K1', A, 'Product defect'), ('K2', B, 'Billing error'),
                           ('K3', C, 'Product defect'), ('K4', C, 'Product defect'),
                           ('K6', A, 'Product defect')):
        c = k[key]
        resolved = ts(c['written']) if key in ('K1', 'K2') else None
        tickets[str(c['id'])] = (cust, ts(c['created']), resolved, cat)
    sub = facts['subscriptions']
    # subscription id prefix -> (customer_id, start_date, end_date, mrr)
    subscriptions = {
        str(sub['SUB1']): (A, M(2, 1), None, 60.0),
        str(sub['SUB2']): (B, M(3, 1), None, 100.0),
        str(sub['SUB3']): (C, M(3, 1), M(1, 15), 100.0),
    }
    return customers, order_lines, invoices, tickets, subscriptions


def check_rows(ck, facts, backend, profile_dir, db):
    customers, order_lines, invoices, tickets, subscriptions = expected_rows(facts)
    for absent in ('feedback', 'retention_costs'):
        ck.eq(f'profile has no {absent}.sql', profile_sql(profile_dir, backend, absent), None)

    rows = fetch(backend, db, profile_sql(profile_dir, backend, 'customers'))
    got = {r['customer_id']: (r['name'], day(r['created_on']), r['segment']) for r in rows}
    ck.eq('customers rows', len(rows), len(customers))
    ck.eq('customers', got, customers)

    rows = fetch(backend, db, profile_sql(profile_dir, backend, 'order_lines'))
    got = sorted((r['order_id'], r['customer_id'], day(r['order_date']), r['category'],
                  float(r['amount'])) for r in rows)
    ck.eq('order_lines', got, order_lines)
    ck.eq('order_lines product_id set', all(r['product_id'] for r in rows), True)

    rows = fetch(backend, db, profile_sql(profile_dir, backend, 'invoices'))
    got = {r['invoice_id']: (r['customer_id'], day(r['invoice_date']), day(r['due_date']),
                             day(r['paid_date']), float(r['amount']), r['kind']) for r in rows}
    ck.eq('invoices rows', len(rows), len(invoices))
    ck.eq('invoices', got, invoices)

    rows = fetch(backend, db, profile_sql(profile_dir, backend, 'tickets'))
    got = {r['ticket_id']: (r['customer_id'], ts(r['opened_at']), ts(r['resolved_at']),
                            r['category']) for r in rows}
    ck.eq('tickets rows', len(rows), len(tickets))
    ck.eq('tickets', got, tickets)
    for r in rows:
        for col in ('first_response_at', 'channel', 'priority', 'reopen_count'):
            ck.eq(f'tickets.{col} of {r["ticket_id"]}', r[col], None)

    rows = fetch(backend, db, profile_sql(profile_dir, backend, 'subscriptions'))
    got = {r['subscription_id'].split('-')[0]: (r['customer_id'], day(r['start_date']),
                                                 day(r['end_date']), float(r['mrr'])) for r in rows}
    ck.eq('subscriptions rows (one line each)', len(rows), len(subscriptions))
    ck.eq('subscriptions', got, subscriptions)


# Change capture (docs/profiles/README.md "Change capture"): the sources the
# profile captures, their canonical columns (docs/kpis.md §1), key first.
CAPTURED = {
    'customers': ['customer_id', 'name', 'created_on', 'segment'],
    'order_lines': ['order_id', 'customer_id', 'order_date', 'product_id', 'category', 'amount'],
    'invoices': ['invoice_id', 'customer_id', 'invoice_date', 'due_date', 'paid_date', 'amount', 'kind'],
    'tickets': ['ticket_id', 'customer_id', 'opened_at', 'first_response_at', 'resolved_at', 'channel',
                'category', 'priority', 'reopen_count'],
    'subscriptions': ['subscription_id', 'customer_id', 'start_date', 'end_date', 'mrr'],
}
EPOCH, FUTURE = '1970-01-01 00:00:00', '9999-01-01 00:00:00'


def check_capture(ck, backend, profile_dir, db):
    """S.changes.sql since the epoch, live = 1 rows: exactly S.sql's rows
    (multisets); every document S.documents.sql lists has a row, no other
    has one; since the far future: no row."""
    from collections import Counter
    for source, cols in CAPTURED.items():
        changes = profile_sql(profile_dir, backend, source + '.changes')
        listed = profile_sql(profile_dir, backend, source + '.documents')
        ck.eq(f'{source}: profile has change capture', (changes is not None, listed is not None), (True, True))
        if changes is None or listed is None:
            continue
        base = Counter(tuple(r[c] for c in cols)
                       for r in fetch(backend, db, profile_sql(profile_dir, backend, source)))
        rows = fetch(backend, db, changes, since=EPOCH)
        ck.eq(f'{source}.changes live values', {r['live'] for r in rows} <= {0, 1}, True)
        live = Counter(tuple(r[c] for c in cols) for r in rows if r['live'] == 1)
        ck.eq(f'{source}.changes live = 1 rows since the epoch are {source}.sql', live, base)
        ck.eq(f'{source}: rows read', sum(base.values()) > 0, True)
        documents = {r['document_id'] for r in fetch(backend, db, listed)}
        ck.eq(f'{source}.changes documents since the epoch', {r[cols[0]] for r in rows}, documents)
        ck.eq(f'{source}.changes since the far future', len(fetch(backend, db, changes, since=FUTURE)), 0)


def run_cskpi(cskpi, workdir, name, config, as_of):
    path = os.path.join(workdir, f'cskpi-{name}.json')
    with open(path, 'w') as f:
        json.dump(config, f, indent=1)
    r = subprocess.run([cskpi, 'compute', '--config', path, '--as-of', as_of, '--json'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with open(os.path.join(workdir, f'cskpi-{name}.out.json'), 'w') as f:
        f.write(r.stdout)
    if r.returncode != 0:
        raise RuntimeError(f'cskpi compute ({name}) exited with {r.returncode}:\n{r.stderr}')
    out = json.loads(r.stdout)
    return {(o['kpi'], o['segment'], o['period_start']): o for o in out}


class Approx:
    """An expected value known to within tol (absolute)."""

    def __init__(self, value, tol):
        self.value, self.tol = value, tol

    def __repr__(self):
        return f'{self.value!r} +- {self.tol!r}'


def expect_kpis(ck, got, label, table):
    """table: {(kpi, segment): {period_start: value or Approx}}"""
    for (kpi, segment), by_period in table.items():
        for period, want in by_period.items():
            o = got.get((kpi, segment, period))
            what = f'{label} {kpi} [{segment}] {period}'
            if o is None:
                ck.count += 1
                ck.failures.append(f'{what}: not reported')
                continue
            if isinstance(want, Approx):
                ck.eq(what, o['value'], float(want.value), tol=want.tol)
            else:
                ck.eq(what, o['value'], float(want) if want is not None else None)


def check_kpis(ck, facts, cskpi, connection, backend, workdir):
    today = dt.date.fromisoformat(facts['today'])
    P = {k: month_day(today, k, 1).isoformat() for k in range(4)}  # P[0] = as_of's month
    as_of = today.isoformat()
    # All complaints were entered during the scenario run: their month is
    # the as_of month unless the run crossed midnight at a month's end.
    for key, c in facts['complaints'].items():
        if day(c['created']) != as_of:
            ck.failures.append(f'complaint {key} was created on {day(c["created"])}, not on '
                               f'{as_of}: the scenario ran across midnight (UTC); run the test again')
            return
    source = {'backend': backend, 'connection': connection, 'profile': 'tryton'}

    # Run 1: orders / invoices modes; a 365-day inactivity window keeps
    # every customer's first spell running to as_of whatever today is.
    got = run_cskpi(cskpi, workdir, 'orders', {
        'source': source, 'as_of': as_of, 'timezone': 'UTC', 'inactivity_days': 365}, as_of)
    # K1 and K2 were resolved: resolution time = write_date - create_date,
    # a fraction of a second here (cskpi reads timestamps to the second).
    ttrs = sorted((ts(facts['complaints'][k]['written']) - ts(facts['complaints'][k]['created']))
                  .total_seconds() / 3600 for k in ('K1', 'K2'))
    series = lambda *v: {P[3 - n]: x for n, x in enumerate(v)}  # values for P3, P2, P1, P0
    expect_kpis(ck, got, 'orders-mode', {
        ('orders', 'all'): series(2, 3, 2, 1),
        ('buyers', 'all'): series(2, 3, 2, 1),
        ('aov', 'all'): series(175, 400 / 3, 65, 100),
        ('repeat_purchase_rate', 'all'): series(0, 2 / 3, 1, 1),
        ('cross_sell_rate', 'all'): {P[2]: 0.5, P[1]: 0.5, P[0]: 0},
        ('cross_sell_revenue', 'all'): {P[2]: 50, P[1]: 80, P[0]: 0},
        ('revenue', 'all'): series(350, 350, -50, 0),
        ('customers_new', 'all'): series(2, 1, 0, 0),
        ('customers_active_end', 'all'): series(2, 3, 3, 3),
        ('customers_churned', 'all'): series(0, 0, 0, 0),
        ('tickets_opened', 'all'): series(0, 0, 0, 5),
        ('tickets_resolved', 'all'): series(0, 0, 0, 2),
        ('backlog_end', 'all'): series(0, 0, 0, 3),
        ('ttr_hours_median', 'all'): {P[0]: Approx(sum(ttrs) / 2, 1.01 / 3600)},
        ('orders', 'Retail'): series(2, 2, 1, 1),
        ('revenue', 'Retail'): series(350, 50, 50, 0),
        ('customers_new', 'Retail'): series(2, 0, 0, 0),
        ('tickets_opened', 'Retail'): series(0, 0, 0, 3),
        ('tickets_resolved', 'Retail'): series(0, 0, 0, 2),
        ('orders', 'Wholesale'): series(0, 1, 1, 0),
        ('revenue', 'Wholesale'): series(0, 300, -100, 0),
        ('customers_new', 'Wholesale'): series(0, 1, 0, 0),
        ('tickets_opened', 'Wholesale'): series(0, 0, 0, 2),
        ('backlog_end', 'Wholesale'): series(0, 0, 0, 2),
    })
    for period, partial in ((P[3], False), (P[0], True)):
        o = got.get(('orders', 'all', period))
        ck.eq(f'orders-mode partial {period}', o and o['partial'], partial)
    ck.eq('orders-mode feedback KPI unavailable (no feedback source)',
          (got.get(('nps', 'all', P[0])) or {}).get('value', 'missing'), None)
    ck.eq('orders-mode first period is the first sale\'s month',
          min(p for (_, _, p) in got), P[3])

    # Run 2: subscription modes (activity and MRR from subscriptions).
    got = run_cskpi(cskpi, workdir, 'subscriptions', {
        'source': source, 'as_of': as_of, 'timezone': 'UTC',
        'activity': {'mode': 'subscriptions'}, 'revenue': {'mode': 'subscriptions'}}, as_of)
    expect_kpis(ck, got, 'subscriptions-mode', {
        ('mrr_end', 'all'): series(200, 260, 160, 160),
        ('mrr_end', 'Retail'): series(100, 160, 160, 160),
        ('mrr_end', 'Wholesale'): series(100, 100, 0, 0),
        ('customers_active_end', 'all'): series(2, 3, 2, 2),
        ('customers_new', 'all'): series(2, 1, 0, 0),
        ('customers_churned', 'all'): series(0, 0, 1, 0),
        ('new_revenue', 'all'): series(200, 60, 0, 0),
        ('churned_revenue', 'all'): series(0, 0, 100, 0),
        ('nrr', 'all'): {P[1]: 160 / 260, P[0]: 1},
    })


def run_all(facts, backend, profile_dir, db, cskpi, connection, workdir):
    ck = Checker()
    check_rows(ck, facts, backend, profile_dir, db)
    check_capture(ck, backend, profile_dir, db)
    rows_failed = len(ck.failures)
    print(f'profile rows: {ck.count - rows_failed}/{ck.count} checks passed')
    if cskpi:
        before = ck.count
        try:
            check_kpis(ck, facts, cskpi, connection, backend, workdir)
        except RuntimeError as e:
            ck.count += 1
            ck.failures.append(str(e))
        n = ck.count - before
        print(f'cskpi KPIs: {n - (len(ck.failures) - rows_failed)}/{n} checks passed')
    else:
        print('cskpi KPIs: not checked (no --cskpi)')
    for f in ck.failures:
        print('  FAIL', f)
    return not ck.failures
