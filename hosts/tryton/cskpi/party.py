# The party form's "Customer Success" page: the party's health score, band
# and components from the latest snapshot (cskpi.health), for the users of
# the Customer Success group (others see it empty).
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .snapshot import BANDS

COMPONENTS = ['recency', 'frequency', 'monetary', 'support', 'voice',
    'payment']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    cskpi_health_score = fields.Function(fields.Float('Health Score',
            digits=(16, 1)), 'get_cskpi_health')
    cskpi_health_band = fields.Function(fields.Selection(
            [(None, '')] + BANDS, 'Health Band'), 'get_cskpi_health')
    cskpi_health_recency = fields.Function(fields.Float('Recency',
            digits=(16, 1)), 'get_cskpi_health')
    cskpi_health_frequency = fields.Function(fields.Float('Frequency',
            digits=(16, 1)), 'get_cskpi_health')
    cskpi_health_monetary = fields.Function(fields.Float('Monetary',
            digits=(16, 1)), 'get_cskpi_health')
    cskpi_health_support = fields.Function(fields.Float('Support',
            digits=(16, 1)), 'get_cskpi_health')
    cskpi_health_voice = fields.Function(fields.Float('Voice',
            digits=(16, 1)), 'get_cskpi_health')
    cskpi_health_payment = fields.Function(fields.Float('Payment',
            digits=(16, 1)), 'get_cskpi_health')

    @classmethod
    def get_cskpi_health(cls, parties, names):
        pool = Pool()
        Health = pool.get('cskpi.health')
        ModelAccess = pool.get('ir.model.access')
        result = {n: {p.id: None for p in parties} for n in names}
        if not ModelAccess.check('cskpi.health', 'read',
                raise_exception=False):
            return result
        rows = Health.search(
            [('customer_id', 'in', [str(p.id) for p in parties])])
        for row in rows:
            party = int(row.customer_id)
            for name in names:
                field = name[len('cskpi_health_'):]
                result[name][party] = getattr(
                    row, 'score' if field == 'score' else field)
        return result
