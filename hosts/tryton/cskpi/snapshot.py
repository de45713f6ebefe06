# Read-only models over the nightly job's snapshot tables (docs/nightly.md
# "The tables"), showing the latest snapshot (the greatest as_of) of each.
# The library creates the tables on its first run; until then, and for a
# table an older library does not write, the models are empty.
from sql import Column, Literal, Table, Window
from sql.aggregate import Max
from sql.functions import CurrentTimestamp, RowNumber

from trytond import backend
from trytond.model import ModelSQL, ModelView, fields
from trytond.transaction import Transaction

BANDS = [('healthy', 'Healthy'), ('attention', 'Attention'),
    ('at_risk', 'At Risk')]


def table_exists(name):
    """Whether the library has created table `name`. (Not TableHandler's
    table_exist: on SQLite it rewrites a table it did not create.)"""
    cursor = Transaction().connection.cursor()
    if backend.name == 'sqlite':
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
            "AND name = ?", (name,))
    else:
        cursor.execute("SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = %s",
            (name,))
    return cursor.fetchone() is not None


class Snapshot(ModelSQL, ModelView):
    "The latest snapshot of one cskpi_* table"
    _snapshot_table = None
    # The table's primary key (docs/nightly.md): it orders the rows and so
    # numbers them the same way on every read.
    _snapshot_key = []

    as_of = fields.Date('As of', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [(k, 'ASC') for k in cls._snapshot_key]

    @classmethod
    def __post_setup__(cls):
        super().__post_setup__()
        # Read through read(), not the search's prefetch: only read() makes
        # SQLite convert the table's text dates and 0/1 booleans.
        for name, field in cls._fields.items():
            if name != 'id':
                field.loading = 'lazy'

    @classmethod
    def _columns(cls):
        return [n for n, f in cls._fields.items()
            if not isinstance(f, fields.Function) and n not in {
                'id', 'create_uid', 'create_date', 'write_uid',
                'write_date', 'rec_name'}]

    @classmethod
    def table_query(cls):
        if not table_exists(cls._snapshot_table):
            never = Table('ir_model')
            return never.select(Literal(0).as_('id'),
                *cls._meta_columns(), *[Literal(None).as_(c) for c in cls._columns()],
                where=Literal(False))
        table = Table(cls._snapshot_table)
        latest = Table(cls._snapshot_table)
        number = RowNumber(window=Window([],
                order_by=[Column(table, k).asc for k in cls._snapshot_key]))
        return table.select(number.as_('id'), *cls._meta_columns(),
            *[Column(table, c).as_(c) for c in cls._columns()],
            where=Column(table, 'as_of') == latest.select(
                Max(Column(latest, 'as_of'))))

    @staticmethod
    def _meta_columns():
        return [Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(None).as_('write_uid'), Literal(None).as_('write_date')]


class Kpi(Snapshot):
    'Customer Success KPI'
    __name__ = 'cskpi.kpi'
    _snapshot_table = 'cskpi_kpi_value'
    _snapshot_key = ['granularity', 'kpi', 'segment', 'period_start']

    kpi = fields.Char('KPI', readonly=True)
    granularity = fields.Char('Granularity', readonly=True)
    period_start = fields.Date('Period', readonly=True)
    segment = fields.Char('Segment', readonly=True)
    value = fields.Float('Value', readonly=True)
    partial = fields.Boolean('Partial Period', readonly=True)
    value_previous = fields.Float('Previous Period', readonly=True)
    change_previous = fields.Float('Change', readonly=True)
    change_rate_previous = fields.Float('Change Rate', readonly=True)
    value_year_ago = fields.Float('Year Ago', readonly=True)
    change_year_ago = fields.Float('Change on Year', readonly=True)
    change_rate_year_ago = fields.Float('Change Rate on Year', readonly=True)


class Health(Snapshot):
    'Customer Health'
    __name__ = 'cskpi.health'
    _snapshot_table = 'cskpi_health'
    _snapshot_key = ['customer_id']

    customer_id = fields.Char('Customer Id', readonly=True)
    party = fields.Function(fields.Many2One('party.party', 'Party'),
        'get_party', searcher='search_party')
    segment = fields.Char('Segment', readonly=True)
    score = fields.Float('Score', digits=(16, 1), readonly=True)
    band = fields.Selection(BANDS, 'Band', readonly=True)
    recency = fields.Float('Recency', digits=(16, 1), readonly=True)
    frequency = fields.Float('Frequency', digits=(16, 1), readonly=True)
    monetary = fields.Float('Monetary', digits=(16, 1), readonly=True)
    support = fields.Float('Support', digits=(16, 1), readonly=True)
    voice = fields.Float('Voice', digits=(16, 1), readonly=True)
    payment = fields.Float('Payment', digits=(16, 1), readonly=True)
    revenue_365d = fields.Float('Revenue 365 Days', readonly=True)
    days_since_last_order = fields.Integer('Days Since Last Order',
        readonly=True)

    def get_party(self, name):
        # The tryton profile's customer_id is the party id
        # (docs/profiles/tryton.md).
        return int(self.customer_id) if self.customer_id else None

    @classmethod
    def search_party(cls, name, clause):
        _, operator, value = clause[:3]
        if operator == '=' and isinstance(value, int):
            return [('customer_id', '=', str(value))]
        if operator == 'in':
            return [('customer_id', 'in', [str(v) for v in value])]
        return [('customer_id', operator, value)]


class DetractorFollowup(Snapshot):
    'Detractor Follow-up'
    __name__ = 'cskpi.detractor_followup'
    _snapshot_table = 'cskpi_detractor_followup'
    _snapshot_key = ['granularity', 'customer_id']

    granularity = fields.Char('Granularity', readonly=True)
    customer_id = fields.Char('Customer Id', readonly=True)
    segment = fields.Char('Segment', readonly=True)
    answered_on = fields.Date('Answered On', readonly=True)
    score = fields.Integer('Score', readonly=True)
    open_tickets = fields.Integer('Open Tickets', readonly=True)
    revenue_365d = fields.Float('Revenue 365 Days', readonly=True)


class TicketBreakdown(Snapshot):
    'Ticket Breakdown'
    __name__ = 'cskpi.ticket_breakdown'
    _snapshot_table = 'cskpi_ticket_breakdown'
    _snapshot_key = ['granularity', 'period_start', 'dimension', 'value']

    granularity = fields.Char('Granularity', readonly=True)
    period_start = fields.Date('Period', readonly=True)
    dimension = fields.Char('Dimension', readonly=True)
    value = fields.Char('Value', readonly=True)
    tickets_opened = fields.Integer('Tickets Opened', readonly=True)
    share = fields.Float('Share', readonly=True)
    tickets_opened_previous = fields.Integer('Previous Period', readonly=True)
    change = fields.Integer('Change', readonly=True)
    change_rate = fields.Float('Change Rate', readonly=True)


class CohortRetention(Snapshot):
    'Cohort Retention'
    __name__ = 'cskpi.cohort_retention'
    _snapshot_table = 'cskpi_cohort_retention'
    _snapshot_key = ['granularity', 'segment', 'cohort_start', 'period_offset']

    granularity = fields.Char('Granularity', readonly=True)
    cohort_start = fields.Date('Cohort', readonly=True)
    period_offset = fields.Integer('Offset', readonly=True)
    period_start = fields.Date('Period', readonly=True)
    segment = fields.Char('Segment', readonly=True)
    size = fields.Integer('Size', readonly=True)
    retained = fields.Integer('Retained', readonly=True)
    rate = fields.Float('Rate', readonly=True)


class CustomerMovement(Snapshot):
    'Customer Movement'
    __name__ = 'cskpi.customer_movement'
    _snapshot_table = 'cskpi_customer_movement'
    # No primary key (docs/nightly.md): every column orders the rows.
    _snapshot_key = ['granularity', 'period_start', 'segment', 'customer_id',
        'flow_event', 'revenue_movement']

    granularity = fields.Char('Granularity', readonly=True)
    period_start = fields.Date('Period', readonly=True)
    segment = fields.Char('Segment', readonly=True)
    customer_id = fields.Char('Customer Id', readonly=True)
    flow_event = fields.Char('Flow Event', readonly=True)
    event_day = fields.Date('Event Day', readonly=True)
    revenue_movement = fields.Char('Revenue Movement', readonly=True)
    v0 = fields.Float('Revenue Before', readonly=True)
    v1 = fields.Float('Revenue After', readonly=True)
    amount = fields.Float('Amount', readonly=True)
