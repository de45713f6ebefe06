# The nightly job inside trytond: the ir.cron entry "Compute customer-success
# KPIs" calls Run.run_nightly, which runs cskpi_nightly (docs/nightly.md)
# through the Python binding in this process, and records the outcome as a
# cskpi.run.log row (table cskpi_run_log: cskpi_run is the library's own). Nothing the library does can raise past this method: a
# failure is a 'failed' row, another run holding the lock a 'busy' one, and
# the previous snapshot stays as it was (the library writes a snapshot in
# one transaction).
import datetime
import logging
import time

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta

import cskpi

logger = logging.getLogger(__name__)


class Run(ModelSQL, ModelView):
    'Customer Success Run'
    __name__ = 'cskpi.run.log'

    started = fields.DateTime('Started', readonly=True)
    duration = fields.Float('Duration (s)', digits=(16, 2), readonly=True)
    state = fields.Selection([
            ('succeeded', 'Succeeded'),
            ('failed', 'Failed'),
            ('busy', 'Busy'),
            ], 'State', readonly=True)
    as_of = fields.Date('As of', readonly=True)
    library_run = fields.Integer('Library Run', readonly=True,
        help="The id of the run in table cskpi_run.")
    message = fields.Text('Message', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('started', 'DESC'), ('id', 'DESC')]

    @classmethod
    def _progress(cls, phase, done, total):
        "Progress of the library's run: a truthy return cancels it"
        logger.debug('cskpi nightly: %s %s/%s', phase, done, total)
        return False

    @classmethod
    def run_nightly(cls, as_of=None):
        """The cron method: writes the snapshot of as_of (default: yesterday
        in the configured time zone) and returns the cskpi.run.log record."""
        Configuration = Pool().get('cskpi.configuration')
        started = datetime.datetime.now()
        t0 = time.monotonic()
        values = {'started': started}
        try:
            configuration = Configuration(1)
            options = {'granularities': configuration.granularity_list}
            if as_of:
                options['as_of'] = as_of.isoformat()
            # On SQLite the library takes the file's write lock: this
            # transaction has written nothing yet, so it holds none.
            with cskpi.Engine(configuration.engine_config(),
                    progress=cls._progress) as engine:
                summary = engine.nightly(**options)
            values.update(state='succeeded', library_run=summary['run_id'],
                as_of=datetime.date.fromisoformat(summary['as_of']),
                message='%s KPI rows, %s other rows' % (
                    summary['kpi_rows'], summary['table_rows']))
        except cskpi.Busy as e:
            values.update(state='busy', message=str(e))
        except Exception as e:
            logger.warning('cskpi nightly failed', exc_info=True)
            status = getattr(e, 'status', type(e).__name__)
            values.update(state='failed', message='%s: %s' % (status, e))
        values['duration'] = round(time.monotonic() - t0, 2)
        if as_of and 'as_of' not in values:
            values['as_of'] = as_of
        run, = cls.create([values])
        logger.info('cskpi nightly %s in %.1f s: %s', run.state,
            run.duration, run.message)
        return run


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('cskpi.run.log|run_nightly', "Compute customer-success KPIs"))
