"""trytond's own checks of the module (it activates, its views, menus,
access rules and field methods are valid) and of what the configuration
form refuses, with the library's message."""
import unittest

from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


class CskpiTestCase(ModuleTestCase):
    'Test the cskpi module'
    module = 'cskpi'
    extras = ['sale_complaint']

    @with_transaction()
    def test_configuration_defaults_accepted(self):
        "The default configuration is the library's default one"
        Configuration = Pool().get('cskpi.configuration')
        configuration, = Configuration.create([{}])
        config = configuration.engine_config()
        self.assertEqual(config['source']['profile'], 'tryton')
        self.assertEqual(config['health']['weights']['recency'], 0.30)
        self.assertEqual(configuration.granularity_list, ['month'])

    def refusal(self, field, value):
        "The message of the ValidationError saving field = value raises"
        Configuration = Pool().get('cskpi.configuration')
        configuration = Configuration(1)
        setattr(configuration, field, value)
        with self.assertRaises(ValidationError) as cm:
            configuration.save()
        return str(cm.exception)

    @with_transaction()
    def test_bad_time_zone_refused(self):
        "A bad time zone is refused with the library's message"
        self.assertIn("unknown time zone 'Mars/Olympus'",
            self.refusal('timezone', 'Mars/Olympus'))

    @with_transaction()
    def test_negative_sla_refused(self):
        "A negative SLA target is refused with the library's message"
        pool = Pool()
        Configuration = pool.get('cskpi.configuration')
        Sla = pool.get('cskpi.configuration.sla')
        configuration, = Configuration.create([{}])
        with self.assertRaises(ValidationError) as cm:
            Sla.create([{'configuration': configuration.id,
                        'priority': 'default', 'hours': -4}])
        self.assertIn("'sla_hours.default' must be > 0", str(cm.exception))

    @with_transaction()
    def test_bad_granularity_refused(self):
        "An unknown granularity is refused before the library"
        self.refusal('granularities', 'month,fortnight')

    @with_transaction()
    def test_access(self):
        "Users read, admins configure, others see nothing"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        Kpi = pool.get('cskpi.kpi')
        Configuration = pool.get('cskpi.configuration')
        ModelData = pool.get('ir.model.data')
        reader_group = Group(ModelData.get_id('cskpi', 'group_cskpi'))
        reader, outsider = User.create([
                {'login': 'cs_reader', 'groups': [('add', [reader_group.id])]},
                {'login': 'outsider'}])
        Configuration.create([{}])
        for user, can_read in ((reader, True), (outsider, False)):
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True):
                if can_read:
                    self.assertEqual(Kpi.search([]), [])
                else:
                    with self.assertRaises(AccessError):
                        Kpi.search([])
                with self.assertRaises(AccessError):
                    Configuration.write([Configuration(1)],
                        {'timezone': 'Europe/Brussels'})


def suite():
    suite = unittest.TestSuite()
    suite.addTests(unittest.TestLoader().loadTestsFromTestCase(
            CskpiTestCase))
    return suite
