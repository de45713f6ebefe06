"""Fills a fresh Tryton 6.0 database through proteus with a small, known
customer-success history, and returns the facts the checker needs.

Business dates (sale_date, invoice_date, payment date, subscription dates)
are chosen relative to TODAY (UTC): M(k, d) is day d of the month k months
before the current one. Tryton stamps create_date/write_date itself (now,
UTC), so parties and complaints are "created" today: their timestamps are
read back and returned, never invented.

Cast (segment = party category):
  A  "Alice Retail"     Retail
  B  "Bob Retail"       Retail
  C  "Carol Wholesale"  Wholesale
  D  "Dave Prospect"    no category  (only a draft sale and a quotation)
  E  "Alice Retail"     Retail, a duplicate of A, merged into A with the
                        party Replace wizard after its sale and complaint.

Sales (state -> counted?), products: Widget 100 (Hardware), Support 50
(Services), Gadget 80 (no category of its own: accounting category
"Goods"):
  S1  A  M(3,10)  2 Widget      200  confirmed, invoice I1 posted, paid M(3,20)
  S2  B  M(3,15)  Widget+Support 150 confirmed, invoice I2 posted, unpaid
  S3  C  M(2,5)   3 Widget      300  confirmed, invoice I3 posted;
                                     credit note CN3 -100 on M(1,12)
  S6  B  M(2,12)  Widget        100  quoted then cancelled      -> not counted
  S9  E  M(2,20)  Support        50  confirmed (manual invoicing); E merged into A
  S10 B  M(2,25)  Widget    100 EUR  confirmed, invoice I10 posted: 50 USD (the
                                     company's currency) at the EUR rate 2.0
                                     of that date (4.0 from M(1,1) on)
  S4  A  M(1,8)   Support        50  confirmed, invoice I4 posted
  S5  D  M(1,20)  Widget        100  draft                      -> not counted
  S7  C  M(1,25)  Gadget         80  confirmed, invoice I7 posted, then
                                     credited WITH refund on TODAY: I7 is
                                     cancelled and its credit note CN7 is
                                     excluded too; the sale stays confirmed
  S8  B  TODAY    Widget        100  confirmed (manual invoicing)
  R1  A  (none)   -2 Widget          return sale made by complaint K1: draft

Complaints (all opened today):
  K1 A "Product defect" on S1, return action, approved -> done     (resolved)
  K2 B "Billing error"  on I2, rejected                           (resolved)
  K3 C "Product defect" on S3, draft                               (open)
  K4 C "Product defect" on S3, waiting                             (open)
  K5 A "Product defect" on S1, cancelled                           (not a ticket)
  K6 E "Product defect" on S9, draft; E merged into A              (open, customer A)

Subscriptions:
  SUB1 A start M(2,1), open,   Hosting monthly 2 x 30          MRR  60
  SUB2 B start M(3,1), open,   Licence yearly  1 x 1200        MRR 100
  SUB3 C start M(3,1), end M(1,15), Hosting monthly 1 x 100    MRR 100, closed
  SUB4 D start M(1,1), quotation only                          -> not counted
"""
import datetime as dt
import time
from decimal import Decimal

from dateutil.relativedelta import relativedelta


def month_day(today, k, d):
    """Day d of the month k months before today's month."""
    return today.replace(day=1) - relativedelta(months=k) + relativedelta(days=d - 1)


class Steps:
    """Prints how long each part of the scenario took."""

    def __init__(self):
        self.t = time.monotonic()

    def __call__(self, name):
        now = time.monotonic()
        print(f'  scenario: {name} {now - self.t:.1f} s', flush=True)
        self.t = now


def build(today):
    from proteus import Model, Wizard
    from proteus.config import get_config
    from trytond.modules.company.tests.tools import create_company, get_company
    from trytond.modules.currency.tests.tools import get_currency
    from trytond.modules.account.tests.tools import (
        create_fiscalyear, create_chart, get_accounts)
    from trytond.modules.account_invoice.tests.tools import (
        set_fiscalyear_invoice_sequences)

    def M(k, d):
        return month_day(today, k, d)

    step = Steps()
    # Company, fiscal years covering every business date, chart, payment.
    create_company()
    company = get_company()
    for year in sorted({M(3, 1).year, today.year}):
        fy = set_fiscalyear_invoice_sequences(
            create_fiscalyear(company, today=dt.date(year, 6, 1)))
        fy.click('create_period')
    create_chart(company)
    accounts = get_accounts(company)

    Journal = Model.get('account.journal')
    PaymentMethod = Model.get('account.invoice.payment.method')
    journal_cash, = Journal.find([('type', '=', 'cash')])
    cash = PaymentMethod(name='Cash', journal=journal_cash,
        credit_account=accounts['cash'], debit_account=accounts['cash'])
    cash.save()

    PaymentTerm = Model.get('account.invoice.payment_term')
    net30 = PaymentTerm(name='Net 30')
    line = net30.lines.new(type='remainder')
    if line.relativedeltas:
        line.relativedeltas[0].days = 30
    else:
        line.relativedeltas.new(days=30)
    net30.save()

    step('company, fiscal years, chart of accounts')
    # Parties and their segments.
    PartyCategory = Model.get('party.category')
    retail = PartyCategory(name='Retail')
    retail.save()
    wholesale = PartyCategory(name='Wholesale')
    wholesale.save()
    Party = Model.get('party.party')

    def party(name, category=None):
        p = Party(name=name)
        if category:
            p.categories.append(PartyCategory(category.id))
        p.save()
        return p

    A = party('Alice Retail', retail)
    B = party('Bob Retail', retail)
    C = party('Carol Wholesale', wholesale)
    D = party('Dave Prospect')
    E = party('Alice Retail', retail)

    # Products.
    ProductCategory = Model.get('product.category')
    goods = ProductCategory(name='Goods', accounting=True,
        account_revenue=accounts['revenue'], account_expense=accounts['expense'])
    goods.save()
    hardware = ProductCategory(name='Hardware')
    hardware.save()
    services = ProductCategory(name='Services')
    services.save()
    Uom = Model.get('product.uom')
    unit, = Uom.find([('name', '=', 'Unit')])
    Template = Model.get('product.template')

    def product(name, price, category=None):
        t = Template(name=name, default_uom=unit, type='service', salable=True,
            list_price=Decimal(price), account_category=goods)
        if category:
            t.categories.append(ProductCategory(category.id))
        t.save()
        return t.products[0]

    widget = product('Widget', 100, hardware)
    support = product('Support', 50, services)
    gadget = product('Gadget', 80)
    hosting = product('Hosting', 30)
    licence = product('Licence', 1200)

    step('parties, products')
    # Sales, in the order of their dates (customer invoices must be posted
    # in date order).
    Sale = Model.get('sale.sale')
    Invoice = Model.get('account.invoice')

    def sale(customer, date, items, state='confirmed', invoice_method='order',
            currency=None):
        s = Sale(party=customer, sale_date=date, payment_term=net30,
            invoice_method=invoice_method)
        if currency:
            s.currency = currency
        for prod, qty, price in items:
            ln = s.lines.new()
            ln.product = prod
            ln.quantity = qty
            ln.unit_price = Decimal(price)
        s.save()
        if state in ('quotation', 'confirmed', 'cancelled'):
            s.click('quote')
        if state == 'confirmed':
            s.click('confirm')
        if state == 'cancelled':
            s.click('cancel')
        s.reload()
        return s

    Warning = Model.get('res.user.warning')

    def post(inv):
        # Tryton warns that a past invoice date gives payment dates in the
        # past; a user confirms the warning, which stores this record.
        Warning(user=get_config().user, name='invoice_payment_term_%d' % inv.id).save()
        inv.click('post')

    def post_invoice(s, date):
        inv, = s.invoices
        inv.invoice_date = date
        post(inv)
        inv.reload()
        assert inv.state == 'posted', inv.state
        return inv

    s1 = sale(A, M(3, 10), [(widget, 2, 100)])
    i1 = post_invoice(s1, M(3, 10))
    s2 = sale(B, M(3, 15), [(widget, 1, 100), (support, 1, 50)])
    i2 = post_invoice(s2, M(3, 15))
    pay = Wizard('account.invoice.pay', [i1])
    pay.form.payment_method = cash
    pay.form.date = M(3, 20)
    pay.execute('choice')
    i1.reload()
    assert i1.state == 'paid', i1.state

    s3 = sale(C, M(2, 5), [(widget, 3, 100)])
    i3 = post_invoice(s3, M(2, 5))
    s6 = sale(B, M(2, 12), [(widget, 1, 100)], state='cancelled')
    assert s6.state == 'cancelled', s6.state
    s9 = sale(E, M(2, 20), [(support, 1, 50)], invoice_method='manual')
    # A sale in euros: EUR rate 2.0 (per USD, the company currency) until
    # M(1,1), 4.0 from then on; 100 EUR on M(2,25) are 50 USD.
    eur = get_currency('EUR')
    CurrencyRate = Model.get('currency.currency.rate')
    CurrencyRate(currency=eur, date=M(1, 1), rate=Decimal('4.0')).save()
    s10 = sale(B, M(2, 25), [(widget, 1, 100)], currency=eur)
    i10 = post_invoice(s10, M(2, 25))
    s4 = sale(A, M(1, 8), [(support, 1, 50)])
    i4 = post_invoice(s4, M(1, 8))

    # Credit note for one of the three widgets of I3 (Credit wizard without
    # refund makes a draft credit note of the whole invoice: reduce it).
    credit = Wizard('account.invoice.credit', [i3])
    credit.form.with_refund = False
    credit.form.invoice_date = M(1, 12)
    credit.execute('credit')
    cn3, = Invoice.find([('party', '=', C.id), ('state', '=', 'draft')])
    cn3.invoice_date = M(1, 12)
    cn3.lines[0].quantity = -1
    cn3.save()
    post(cn3)
    cn3.reload()
    assert cn3.total_amount == Decimal('-100'), cn3.total_amount

    s5 = sale(D, M(1, 20), [(widget, 1, 100)], state='draft')
    s7 = sale(C, M(1, 25), [(gadget, 1, 80)])
    i7 = post_invoice(s7, M(1, 25))
    credit = Wizard('account.invoice.credit', [i7])
    credit.form.with_refund = True
    credit.form.invoice_date = today
    credit.execute('credit')
    i7.reload()
    assert i7.state == 'cancelled', i7.state
    cn7, = Invoice.find([('party', '=', C.id), ('id', 'not in', [i3.id, cn3.id, i7.id])])
    assert cn7.state == 'paid', cn7.state

    s8 = sale(B, today, [(widget, 1, 100)], invoice_method='manual')

    step('sales, invoices, payment, credit notes')
    # Complaints.
    ComplaintType = Model.get('sale.complaint.type')
    IrModel = Model.get('ir.model')
    defect = ComplaintType(name='Product defect')
    defect.origin, = IrModel.find([('model', '=', 'sale.sale')])
    defect.save()
    billing = ComplaintType(name='Billing error')
    billing.origin, = IrModel.find([('model', '=', 'account.invoice')])
    billing.save()
    Complaint = Model.get('sale.complaint')

    def complaint(customer, ctype, origin, steps, action=None):
        c = Complaint(customer=customer, type=ctype, origin=origin)
        if action:
            a = c.actions.new()
            a.action = action
        c.save()
        for step in steps:
            c.click(step)
        c.reload()
        return c

    k1 = complaint(A, defect, s1, ['wait', 'approve'], action='sale_return')
    assert k1.state == 'done', k1.state
    return_sale = k1.actions[0].result
    assert return_sale.state == 'draft', return_sale.state
    k2 = complaint(B, billing, i2, ['wait', 'reject'])
    assert k2.state == 'rejected', k2.state
    k3 = complaint(C, defect, s3, [])
    k4 = complaint(C, defect, s3, ['wait'])
    k5 = complaint(A, defect, s1, ['cancel'])
    assert k5.state == 'cancelled', k5.state
    k6 = complaint(E, defect, s9, [])

    # E is a duplicate of A: merge it (sales and subscriptions are rewritten
    # to A, complaints keep E, the profile maps them through replaced_by).
    replace = Wizard('party.replace', models=[E])
    replace.form.source = E
    replace.form.destination = A
    replace.execute('replace')
    E.reload()
    assert E.replaced_by == A and not E.active

    step('complaints, party merge')
    # Subscriptions.
    RuleSet = Model.get('sale.subscription.recurrence.rule.set')

    def rule_set(name, freq):
        rs = RuleSet(name=name)
        rule, = rs.rules
        rule.freq = freq
        rule.interval = 1
        rs.save()
        return rs

    monthly = rule_set('Monthly', 'monthly')
    yearly = rule_set('Yearly', 'yearly')
    Service = Model.get('sale.subscription.service')
    hosting_svc = Service(product=hosting, consumption_recurrence=monthly)
    hosting_svc.save()
    licence_svc = Service(product=licence, consumption_recurrence=yearly)
    licence_svc.save()
    Subscription = Model.get('sale.subscription')

    def subscription(customer, start, recurrence, service, qty, price,
            end=None, run=True):
        sub = Subscription(party=customer, start_date=start,
            invoice_recurrence=recurrence)
        if end:
            sub.end_date = end
        ln = sub.lines.new()
        ln.service = service
        ln.quantity = qty
        ln.unit_price = Decimal(price)
        sub.click('quote')
        if run:
            sub.click('run')
        sub.reload()
        return sub

    sub1 = subscription(A, M(2, 1), monthly, hosting_svc, 2, 30)
    sub2 = subscription(B, M(3, 1), yearly, licence_svc, 1, 1200)
    sub3 = subscription(C, M(3, 1), monthly, hosting_svc, 1, 100, end=M(1, 15))
    sub4 = subscription(D, M(1, 1), monthly, hosting_svc, 1, 30, run=False)
    consume = Wizard('sale.subscription.line.consumption.create')
    consume.form.date = today
    consume.execute('create_')
    for s in (sub1, sub2, sub3):
        s.reload()
    assert sub3.state == 'closed', sub3.state
    assert sub1.state == sub2.state == 'running'
    assert sub4.state == 'quotation'

    step('subscriptions, consumptions')
    # Read back what Tryton stamped itself.
    def stamp(record):
        return record.create_date.isoformat(sep=' ')

    def write_stamp(record):
        return record.write_date.isoformat(sep=' ') if record.write_date else None

    complaints = {}
    for key, c in (('K1', k1), ('K2', k2), ('K3', k3), ('K4', k4),
            ('K5', k5), ('K6', k6)):
        c.reload()
        complaints[key] = {'id': c.id, 'state': c.state,
            'created': stamp(c), 'written': write_stamp(c)}
    return {
        'today': today.isoformat(),
        'parties': {'A': A.id, 'B': B.id, 'C': C.id, 'D': D.id, 'E': E.id,
            'company': company.party.id},
        'parties_created': {k: stamp(p) for k, p in
            (('A', A), ('B', B), ('C', C), ('D', D))},
        'sales': {k: s.id for k, s in (('S1', s1), ('S2', s2), ('S3', s3),
            ('S4', s4), ('S5', s5), ('S6', s6), ('S7', s7), ('S8', s8),
            ('S9', s9), ('S10', s10), ('R1', return_sale))},
        'invoices': {k: i.id for k, i in (('I1', i1), ('I2', i2), ('I3', i3),
            ('CN3', cn3), ('I4', i4), ('I7', i7), ('CN7', cn7), ('I10', i10))},
        'complaints': complaints,
        'subscriptions': {k: s.id for k, s in (('SUB1', sub1), ('SUB2', sub2),
            ('SUB3', sub3), ('SUB4', sub4))},
    }
