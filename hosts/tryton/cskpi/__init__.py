# The cskpi Tryton module: customer-success KPIs of this Tryton database,
# computed by libcskpi (through the cskpi Python binding) with the built-in
# `tryton` profile, and shown under the "Customer Success" menu.
# See docs/hosts/tryton.md.
from trytond.pool import Pool

from . import configuration, party, report, run, snapshot

__all__ = ['register']


def register():
    Pool.register(
        configuration.Configuration,
        configuration.SlaTarget,
        run.Run,
        run.Cron,
        snapshot.Kpi,
        snapshot.Health,
        snapshot.DetractorFollowup,
        snapshot.TicketBreakdown,
        snapshot.CohortRetention,
        snapshot.CustomerMovement,
        party.Party,
        module='cskpi', type_='model')
    Pool.register(
        report.KpiReport,
        module='cskpi', type_='report')
