# The module's configuration (a singleton the admin edits) and its
# translation into the cskpi configuration JSON (docs/configuration.md).
# The database is trytond's own: the library reads it with the `tryton`
# profile and writes its cskpi_* snapshot tables into it.
import os
import urllib.parse

from trytond import backend
from trytond.config import config, parse_uri
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelSingleton, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.transaction import Transaction

import cskpi

GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year']
# kpi-spec §10 defaults (docs/configuration.md "health").
HEALTH_WEIGHTS = {'recency': 0.30, 'frequency': 0.15, 'monetary': 0.15,
    'support': 0.15, 'voice': 0.15, 'payment': 0.10}


def split_list(text):
    return [x.strip() for x in (text or '').split(',') if x.strip()]


def database_source():
    """The cskpi source of the current trytond database: its backend and
    connection, from trytond's own configuration ([database] uri, path)."""
    name = Transaction().database.name
    if backend.name == 'sqlite':
        path = os.path.join(config.get('database', 'path'), name + '.sqlite')
        return {'backend': 'sqlite3', 'connection': 'db=' + path}
    # libpq takes the URI as it is; the path names the database.
    uri = parse_uri(config.get('database', 'uri'))
    connection = urllib.parse.urlunparse(uri._replace(path='/' + name))
    return {'backend': 'postgresql', 'connection': connection}


class Configuration(ModelSingleton, ModelSQL, ModelView):
    'Customer Success Configuration'
    __name__ = 'cskpi.configuration'

    timezone = fields.Char('Time Zone', required=True,
        help="IANA time zone of local dates and business hours "
        "(e.g. Europe/Brussels).")
    granularities = fields.Char('Granularities', required=True,
        help="Comma-separated: day, week, month, quarter, year. "
        "The first one is the default of the views and the report.")
    inactivity_days = fields.Integer('Inactivity Window (days)',
        required=True,
        help="A customer without an order for this many days is inactive.")
    sla_targets = fields.One2Many('cskpi.configuration.sla',
        'configuration', 'SLA Targets',
        help="Resolution targets in business hours per ticket priority; "
        "priority 'default' applies to the others.")
    holiday_sets = fields.Char('Holiday Sets',
        help="Comma-separated built-in holiday sets (e.g. BR).")
    holidays = fields.Char('Holidays',
        help="Comma-separated extra days off, YYYY-MM-DD.")
    weight_recency = fields.Float('Recency Weight', required=True)
    weight_frequency = fields.Float('Frequency Weight', required=True)
    weight_monetary = fields.Float('Monetary Weight', required=True)
    weight_support = fields.Float('Support Weight', required=True)
    weight_voice = fields.Float('Voice Weight', required=True)
    weight_payment = fields.Float('Payment Weight', required=True)

    @classmethod
    def default_timezone(cls):
        return 'UTC'

    @classmethod
    def default_granularities(cls):
        return 'month'

    @classmethod
    def default_inactivity_days(cls):
        return 90

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({'run_now': {}})

    @property
    def granularity_list(self):
        return split_list(self.granularities)

    def engine_config(self):
        """The cskpi configuration JSON of this configuration."""
        granularities = self.granularity_list
        result = {
            'source': dict(database_source(), profile='tryton'),
            'timezone': self.timezone,
            'inactivity_days': self.inactivity_days,
            'health': {'weights': {n: getattr(self, 'weight_' + n)
                    for n in HEALTH_WEIGHTS}},
            }
        if granularities:
            result['granularity'] = granularities[0]
        calendar = {}
        if split_list(self.holiday_sets):
            calendar['holiday_sets'] = split_list(self.holiday_sets)
        if split_list(self.holidays):
            calendar['holidays'] = split_list(self.holidays)
        if calendar:
            result['calendar'] = calendar
        if self.sla_targets:
            result['sla_hours'] = {t.priority: t.hours
                for t in self.sla_targets}
        return result

    @classmethod
    def validate(cls, records):
        super().validate(records)
        for record in records:
            record.check_with_library()

    def check_with_library(self):
        """The library is the judge: opening an engine validates the whole
        configuration without connecting (abi/cskpi.h cskpi_engine_open);
        its message names the key."""
        unknown = [g for g in self.granularity_list if g not in GRANULARITIES]
        if unknown or not self.granularity_list:
            raise ValidationError(gettext('cskpi.msg_granularities',
                    granularities=self.granularities or ''))
        try:
            cskpi.Engine(self.engine_config()).close()
        except cskpi.Error as e:
            raise ValidationError(gettext('cskpi.msg_configuration_invalid',
                    message=str(e)))

    @classmethod
    @ModelView.button
    def run_now(cls, configurations):
        "Runs the nightly job now (admins)"
        Pool().get('cskpi.run.log').run_nightly()


# default_weight_<component>: the library's default weight (HEALTH_WEIGHTS),
# one method per weight field, as trytond looks defaults up by name.
for _component, _weight in HEALTH_WEIGHTS.items():
    setattr(Configuration, 'default_weight_' + _component,
        classmethod(lambda cls, weight=_weight: weight))


class SlaTarget(ModelSQL, ModelView):
    'Customer Success SLA Target'
    __name__ = 'cskpi.configuration.sla'

    configuration = fields.Many2One('cskpi.configuration', 'Configuration',
        required=True, ondelete='CASCADE')
    priority = fields.Char('Priority', required=True,
        help="The ticket priority, or 'default'.")
    hours = fields.Float('Business Hours', required=True)

    @classmethod
    def validate(cls, targets):
        super().validate(targets)
        # The configuration is validated again with its new targets: a
        # negative target is refused with the library's message.
        Configuration = Pool().get('cskpi.configuration')
        # (browsed anew: the records' cache predates the new targets)
        Configuration.validate(Configuration.browse(
                list({t.configuration.id for t in targets})))
