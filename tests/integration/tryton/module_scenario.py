"""The cskpi Tryton module end to end on an activated database: data
entered through Tryton (proteus), the nightly job through its ir.cron entry
and method, the numbers the views show checked against values worked out by
hand, the report, a failing run and two runs at once.

M(k, d) is day d of the month k months before the current one; the run is
as of today (UTC), so the current month is partial.
  parties  A "Alice" and B "Bob", both in category Retail
  S1  A  M(2,10)  2 x Widget 100 = 200, confirmed, invoice posted M(2,10)
  S2  B  M(2,15)  1 x Widget     = 100, confirmed, invoice posted M(2,15)
  S3  A  M(1,5)   1 x Widget     = 100, confirmed, invoiced manually (none)
  K1  A  complaint "Product defect" on S1, draft (an open ticket, today)
Expected, granularity month, segment all (docs/kpis.md §3, §7, §9):
  M(2): orders 2, aov (200 + 100) / 2 = 150, revenue (invoices) 300
  M(1): orders 1, aov 100, previous period's orders 2 (change -1); no
        year-ago value (no data a year before)
  current month: tickets_opened 1; ticket breakdown: category
        "Product defect" 1 ticket, share 1
  cohort M(2) (A and B first ordered then): size 2; offset 1 (M(1)):
        retained 1, rate 0.5: the configuration's inactivity window is set
        to 30 days in the form, so on the last day of M(1) A (ordered
        M(1,5)) is active and B (last order M(2,15)) is not (§9.1)
  health: one row per customer active on as_of (§10.1): A only (27 days
        or less since M(1,5) with the 30-day window), and the party form
        shows A's row; B's form shows none
"""
import datetime as dt
import re
import threading
import time
import traceback
from decimal import Decimal

from dateutil.relativedelta import relativedelta


def month_day(today, k, d):
    return today.replace(day=1) - relativedelta(months=k) + relativedelta(days=d - 1)


class Checks:
    def __init__(self):
        self.failures = []

    def eq(self, what, got, want):
        ok = got == want if not isinstance(want, float) else (
            got is not None and abs(got - want) < 1e-9)
        print(f'  {"ok  " if ok else "FAIL"} {what}: {got!r}' + ('' if ok else f' (expected {want!r})'), flush=True)
        if not ok:
            self.failures.append(what)


def enter_data(today):
    """Company, chart, parties, products, sales, invoices, a complaint."""
    from proteus import Model
    from proteus.config import get_config
    from trytond.modules.company.tests.tools import create_company, get_company
    from trytond.modules.account.tests.tools import create_fiscalyear, create_chart, get_accounts
    from trytond.modules.account_invoice.tests.tools import set_fiscalyear_invoice_sequences

    def M(k, d):
        return month_day(today, k, d)

    create_company()
    company = get_company()
    for year in sorted({M(2, 1).year, today.year}):
        fy = set_fiscalyear_invoice_sequences(create_fiscalyear(company, today=dt.date(year, 6, 1)))
        fy.click('create_period')
    create_chart(company)
    accounts = get_accounts(company)

    Category = Model.get('party.category')
    retail = Category(name='Retail')
    retail.save()
    Party = Model.get('party.party')
    parties = {}
    for key, name in (('A', 'Alice'), ('B', 'Bob')):
        p = Party(name=name)
        p.categories.append(Category(retail.id))
        p.save()
        parties[key] = p

    ProductCategory = Model.get('product.category')
    goods = ProductCategory(name='Goods', accounting=True,
        account_revenue=accounts['revenue'], account_expense=accounts['expense'])
    goods.save()
    Uom = Model.get('product.uom')
    unit, = Uom.find([('name', '=', 'Unit')])
    Template = Model.get('product.template')
    widget = Template(name='Widget', default_uom=unit, type='service', salable=True,
        list_price=Decimal(100), account_category=goods)
    widget.save()
    widget = widget.products[0]

    Sale = Model.get('sale.sale')
    Warning_ = Model.get('res.user.warning')

    def sale(party, date, qty, invoice_on=None):
        s = Sale(party=party, sale_date=date,
            invoice_method='order' if invoice_on else 'manual')
        line = s.lines.new()
        line.product = widget
        line.quantity = qty
        line.unit_price = Decimal(100)
        s.click('quote')
        s.click('confirm')
        if invoice_on:
            inv, = s.invoices
            inv.invoice_date = invoice_on
            # A past invoice date gives past payment dates: confirm the warning.
            Warning_(user=get_config().user, name='invoice_payment_term_%d' % inv.id).save()
            inv.click('post')
        return s

    s1 = sale(parties['A'], M(2, 10), 2, invoice_on=M(2, 10))
    sale(parties['B'], M(2, 15), 1, invoice_on=M(2, 15))
    sale(parties['A'], M(1, 5), 1)

    ComplaintType = Model.get('sale.complaint.type')
    IrModel = Model.get('ir.model')
    defect = ComplaintType(name='Product defect')
    defect.origin, = IrModel.find([('model', '=', 'sale.sale')])
    defect.save()
    Complaint = Model.get('sale.complaint')
    Complaint(customer=parties['A'], type=defect, origin=s1).save()

    # The admin's configuration form.
    Configuration = Model.get('cskpi.configuration')
    configuration = Configuration(1)
    configuration.inactivity_days = 30
    configuration.save()
    return {k: p.id for k, p in parties.items()}


def kpi(Kpi, name, period):
    rows = Kpi.search([('kpi', '=', name), ('granularity', '=', 'month'),
            ('segment', '=', 'all'), ('period_start', '=', period)])
    return rows[0] if len(rows) == 1 else None


def check_views(c, today, parties, run):
    """What the list views show: the models the views read."""
    from trytond.pool import Pool
    pool = Pool()
    Kpi = pool.get('cskpi.kpi')
    m2, m1, m0 = (month_day(today, k, 1) for k in (2, 1, 0))
    c.eq('run state', run.state, 'succeeded')
    c.eq('snapshot as_of', Kpi.search([], limit=1)[0].as_of, today)
    c.eq('orders M(2)', kpi(Kpi, 'orders', m2).value, 2.0)
    c.eq('aov M(2)', kpi(Kpi, 'aov', m2).value, 150.0)
    c.eq('revenue M(2)', kpi(Kpi, 'revenue', m2).value, 300.0)
    k = kpi(Kpi, 'orders', m1)
    c.eq('orders M(1)', k.value, 1.0)
    c.eq('orders M(1) previous', k.value_previous, 2.0)
    c.eq('orders M(1) change', k.change_previous, -1.0)
    c.eq('orders M(1) year ago', k.value_year_ago, None)
    c.eq('aov M(1)', kpi(Kpi, 'aov', m1).value, 100.0)
    c.eq('M(1) partial', k.partial, False)
    c.eq('tickets_opened this month', kpi(Kpi, 'tickets_opened', m0).value, 1.0)
    c.eq('this month partial', kpi(Kpi, 'tickets_opened', m0).partial, True)

    Ticket = pool.get('cskpi.ticket_breakdown')
    rows = Ticket.search([('granularity', '=', 'month'), ('period_start', '=', m0),
            ('dimension', '=', 'category')])
    c.eq('ticket breakdown this month', [(r.value, r.tickets_opened, r.share) for r in rows],
        [('Product defect', 1, 1.0)])
    Cohort = pool.get('cskpi.cohort_retention')
    rows = Cohort.search([('granularity', '=', 'month'), ('segment', '=', 'all'),
            ('cohort_start', '=', m2), ('period_offset', '=', 1)])
    c.eq('cohort M(2) offset 1 (size, retained, rate)',
        [(r.size, r.retained, r.rate) for r in rows], [(2, 1, 0.5)])

    Health = pool.get('cskpi.health')
    rows = Health.search([])
    c.eq('health customers', [r.party.id for r in rows], [parties['A']])
    a, = Health.search([('party', '=', parties['A'])])
    c.eq('health band is a band', a.band in ('healthy', 'attention', 'at_risk'), True)
    Party = pool.get('party.party')
    party = Party(parties['A'])
    c.eq('party form: score', party.cskpi_health_score, a.score)
    c.eq('party form: band', party.cskpi_health_band, a.band)
    c.eq('party form: recency', party.cskpi_health_recency, a.recency)
    c.eq('party form of B: no score', Party(parties['B']).cskpi_health_score, None)
    Movement = pool.get('cskpi.customer_movement')
    c.eq('customer movements of M(2): A and B new',
        sorted(r.customer_id for r in Movement.search([('granularity', '=', 'month'),
            ('period_start', '=', m2), ('flow_event', '=', 'new')])),
        sorted(str(p) for p in parties.values()))
    for name in ('cskpi.detractor_followup',):
        pool.get(name).search([])   # readable (Tryton has no surveys: empty)

    Report = pool.get('cskpi.report', type='report')
    ext, content, _, name = Report.execute([], {})
    content = content.decode() if isinstance(content, bytes) else content
    c.eq('report extension', ext, 'html')
    import cskpi
    if hasattr(cskpi.Engine, 'report'):   # the library's own report
        c.eq('report is an HTML document', content.lstrip().lower().startswith('<!doctype html'), True)
    else:
        # Tryton's template: the latest complete month of each KPI, M(1).
        values = dict(re.findall(r'<tr>\s*<td>(\w+)</td><td>[^<]*</td>\s*<td>([^<]*)</td>', content))
        c.eq('report: orders and aov of M(1)', (values.get('orders'), values.get('aov')), ('1', '100'))


def run(db_name, backend):
    from proteus import config as pconfig
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    import cskpi

    c = Checks()
    today = dt.datetime.now(dt.timezone.utc).date()
    t0 = time.monotonic()
    pconfig.set_trytond(database=db_name)
    parties = enter_data(today)
    print(f'  data entered in {time.monotonic() - t0:.1f} s', flush=True)
    pool = Pool(db_name)

    def transaction(user=0):
        return Transaction().start(db_name, user, context={'company': 1})

    with transaction() as tx:
        Cron = pool.get('ir.cron')
        ModelData = pool.get('ir.model.data')
        # The ir.cron entry, run as trytond's scheduler runs it (as of
        # yesterday by default).
        cron = Cron(ModelData.get_id('cskpi', 'cron_nightly'))
        c.eq('cron method', cron.method, 'cskpi.run.log|run_nightly')
        cron.run_once()
        tx.commit()
        Run = pool.get('cskpi.run.log')
        first, = Run.search([])
        c.eq('cron run', (first.state, first.as_of), ('succeeded', today - dt.timedelta(days=1)))

    t1 = time.monotonic()
    with transaction() as tx:
        run = pool.get('cskpi.run.log').run_nightly(as_of=today)
        tx.commit()
    print(f'  nightly run in {time.monotonic() - t1:.1f} s', flush=True)
    with transaction(1):
        check_views(c, today, parties, run)

    # A failing run: the source loses a table; the run is marked failed and
    # the previous snapshot stays.
    def rename(old, new):
        with transaction() as tx:
            cursor = tx.connection.cursor()
            if backend == 'sqlite3':
                # Rename this table only, not the references to it (which
                # a modern SQLite rewrites by re-parsing every table).
                cursor.execute('PRAGMA legacy_alter_table = ON')
            cursor.execute(f'ALTER TABLE {old} RENAME TO {new}')
            tx.commit()

    rename('sale_line', 'sale_line_hidden')
    try:
        with transaction() as tx:
            failed = pool.get('cskpi.run.log').run_nightly(as_of=today)
            tx.commit()
    finally:
        rename('sale_line_hidden', 'sale_line')
    c.eq('failing run state', failed.state, 'failed')
    c.eq('failing run message names the profile error', 'CSKPI_PROFILE' in (failed.message or ''), True)
    with transaction(1):
        Kpi = pool.get('cskpi.kpi')
        c.eq('previous snapshot kept: orders M(2)', kpi(Kpi, 'orders', month_day(today, 2, 1)).value, 2.0)

    # Two runs at once: the first waits inside the library (holding the run
    # lock) until the second has been refused; the second is 'busy'.
    Run = pool.get('cskpi.run.log')
    in_library, refused = threading.Event(), threading.Event()
    original_progress, original_nightly = Run._progress, cskpi.Engine.nightly
    first_thread = {}

    def progress(phase, done, total):
        if threading.current_thread() is first_thread.get('t') and phase.startswith('read:'):
            in_library.set()
            refused.wait(60)
        return False

    def nightly(self, **options):
        try:
            return original_nightly(self, **options)
        except cskpi.Busy:
            refused.set()
            raise

    outcome = {}

    def first_run():
        try:
            with transaction() as tx:
                outcome['first'] = Run.run_nightly(as_of=today).state
                tx.commit()
        except Exception:
            traceback.print_exc()
            in_library.set()

    Run._progress = classmethod(lambda cls, *a: progress(*a))
    cskpi.Engine.nightly = nightly
    try:
        t = threading.Thread(target=first_run)
        first_thread['t'] = t
        t.start()
        in_library.wait(60)
        with transaction() as tx:
            outcome['second'] = Run.run_nightly(as_of=today).state
            tx.commit()
        refused.set()
        t.join(120)
    finally:
        Run._progress, cskpi.Engine.nightly = original_progress, original_nightly
    c.eq('two runs at once', sorted(outcome.values()), ['busy', 'succeeded'])
    c.eq('the second one is the busy one', outcome.get('second'), 'busy')

    with transaction(1):
        states = [r.state for r in pool.get('cskpi.run.log').search([], order=[('id', 'ASC')])]
        # The last two finish in either order.
        c.eq('run log', states[:3] + sorted(states[3:]), ['succeeded', 'succeeded', 'failed', 'busy', 'succeeded'])
    if c.failures:
        print('FAILED: ' + ', '.join(c.failures))
    return not c.failures
