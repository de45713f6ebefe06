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


# cskpi_health_<component>: one read-only field per health component
# (docs/kpis.md §10), labelled with its name.
for _component in COMPONENTS:
    setattr(Party, 'cskpi_health_' + _component, fields.Function(
            fields.Float(_component.capitalize(), digits=(16, 1)),
            'get_cskpi_health'))
