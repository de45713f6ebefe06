# The KPI report (menu Customer Success > Report): the library's own HTML
# report (cskpi_report, docs/report.md) when the installed binding offers
# it, else report.html rendered by Tryton's report engine from the latest
# snapshot.
from trytond.pool import Pool
from trytond.report import Report

import cskpi

# The series of the fallback report, in its order (docs/kpis.md §3-§9).
REPORT_KPIS = ['customers_active_end', 'customers_new', 'customers_churned',
    'retention_rate', 'churn_rate', 'orders', 'aov', 'revenue', 'nrr',
    'grr', 'tickets_opened', 'sla_breach_rate']


class KpiReport(Report):
    __name__ = 'cskpi.report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Kpi = pool.get('cskpi.kpi')
        Health = pool.get('cskpi.health')
        Configuration = pool.get('cskpi.configuration')
        context = super().get_context(records, header, data)
        granularity = Configuration(1).granularity_list[0]
        rows = Kpi.search([('granularity', '=', granularity),
                ('segment', '=', 'all'), ('partial', '=', False)])
        # The latest complete period of each series.
        latest = {}
        for row in rows:
            if row.kpi in REPORT_KPIS and (row.kpi not in latest
                    or row.period_start > latest[row.kpi].period_start):
                latest[row.kpi] = row
        context['kpis'] = [latest[k] for k in REPORT_KPIS if k in latest]
        context['as_of'] = rows[0].as_of if rows else None
        context['granularity'] = granularity
        bands = {}
        for row in Health.search([]):
            bands[row.band] = bands.get(row.band, 0) + 1
        context['bands'] = bands
        return context

    @classmethod
    def render(cls, report, report_context):
        if hasattr(cskpi.Engine, 'report'):
            Configuration = Pool().get('cskpi.configuration')
            configuration = Configuration(1)
            with cskpi.Engine(configuration.engine_config()) as engine:
                return engine.report(
                    granularity=configuration.granularity_list[0])
        return super().render(report, report_context)
