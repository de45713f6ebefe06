#include "report/i18n.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace cskpi::report {
namespace {

struct Label {
  const char *key, *en, *pt;
};

// Every label of the report, once. Keys are the KPI and table names where a
// label names one, so the layout looks them up by the engine's names.
constexpr Label kLabels[] = {
    {"title", "Customer success report", "Relatório de sucesso do cliente"},
    {"segment", "Segment", "Segmento"},
    {"segment_col", "segment", "segmento"},
    {"all", "all customers", "todos os clientes"},
    {"as_of", "as of", "posição em"},
    {"granularity", "granularity", "granularidade"},
    {"latest_complete", "Last complete period", "Último período completo"},
    {"vs_previous", "vs", "vs"},
    {"no_data", "no data", "sem dados"},
    {"not_available", "not available", "não disponível"},
    {"no_tickets_source", "not available (no tickets source)", "não disponível (sem fonte de chamados)"},
    {"no_feedback_source", "not available (no feedback source)", "não disponível (sem fonte de pesquisas)"},
    {"no_invoices_source", "not available (no invoices source)", "não disponível (sem fonte de faturas)"},
    {"no_subscriptions_source", "not available (no subscriptions source)",
     "não disponível (sem fonte de assinaturas)"},
    {"partial_note", "The current period is partial and is not drawn; charts end with the last complete period.",
     "O período atual está incompleto e não aparece; os gráficos terminam no último período completo."},
    {"latest_answers", "latest period with answers", "último período com respostas"},
    {"answers", "answers", "respostas"},
    {"answer", "answer", "resposta"},
    {"customers", "customers", "clientes"},
    {"amount", "amount", "valor"},
    {"hours", "hours", "horas"},
    {"h", "h", "h"},
    {"pp", "p.p.", "p.p."},
    {"pts", "pts", "pts"},
    {"tickets", "tickets", "chamados"},
    {"points", "points", "pontos"},
    {"ratio", "ratio", "razão"},
    // sections
    {"sec_headline", "Headlines", "Destaques"},
    {"sec_flow", "Customer flow", "Fluxo de clientes"},
    {"sec_revenue", "Revenue movements", "Movimentação de receita"},
    {"sec_cohorts", "Cohorts", "Coortes"},
    {"sec_support", "Support", "Atendimento"},
    {"sec_voice", "Voice of the customer", "Voz do cliente"},
    {"sec_health", "Customer health", "Saúde dos clientes"},
    {"sec_clv", "Alive but slipping", "Ativos, mas escorregando"},
    {"sec_quality", "Data quality", "Qualidade dos dados"},
    // charts
    {"chart_flow", "Customers gained and lost per period", "Clientes ganhos e perdidos por período"},
    {"chart_active", "Active customers at period end", "Clientes ativos no fim do período"},
    {"chart_retention", "Retention and churn rate", "Taxa de retenção e de churn"},
    {"chart_revenue", "Revenue movements per period", "Movimentação de receita por período"},
    {"chart_nrr", "NRR and GRR", "NRR e GRR"},
    {"chart_quick", "Quick ratio", "Quick ratio"},
    {"chart_cohort_retention", "Cohort retention (share of the cohort active)",
     "Retenção por coorte (parcela da coorte ativa)"},
    {"chart_cohort_revenue", "Cohort revenue (vs the cohort's first period)",
     "Receita por coorte (vs o primeiro período da coorte)"},
    {"chart_tickets", "Tickets opened, resolved and backlog", "Chamados abertos, resolvidos e em aberto"},
    {"chart_ttr", "Time to resolution (hours)", "Tempo de resolução (horas)"},
    {"chart_frt", "First response time (hours)", "Tempo de primeira resposta (horas)"},
    {"chart_sla", "SLA breach and reopen rate", "Violação de SLA e reabertura"},
    {"chart_nps", "NPS per period (periods with answers)", "NPS por período (períodos com respostas)"},
    {"cohort", "cohort", "coorte"},
    {"offset", "periods since start", "períodos desde o início"},
    {"breakdown", "Tickets by category and channel", "Chamados por categoria e canal"},
    {"breakdown_question", "Is everyone calling about the same problem?",
     "Todo mundo está ligando pelo mesmo problema?"},
    {"category", "category", "categoria"},
    {"channel", "channel", "canal"},
    {"share", "share", "participação"},
    {"previous", "previous", "anterior"},
    {"change", "change", "variação"},
    {"top_churned", "Top churned customers by revenue lost", "Maiores perdas de receita por churn"},
    {"top_expansions", "Top expansions", "Maiores expansões"},
    {"customer", "customer", "cliente"},
    {"churn_day", "churn day", "dia do churn"},
    {"revenue_lost", "revenue lost", "receita perdida"},
    {"before", "before", "antes"},
    {"after", "after", "depois"},
    {"gain", "gain", "ganho"},
    {"none_in_period", "none in this period", "nenhum neste período"},
    {"bands", "Health bands (customers active on as_of)", "Faixas de saúde (clientes ativos na data)"},
    {"healthy", "healthy", "saudável"},
    {"attention", "attention", "atenção"},
    {"at_risk", "at risk", "em risco"},
    {"at_risk_list", "At-risk customers and why (components 0–100, lowest in bold)",
     "Clientes em risco e por quê (componentes 0–100, o mais baixo em negrito)"},
    {"score", "score", "nota"},
    {"recency", "recency", "recência"},
    {"frequency", "frequency", "frequência"},
    {"monetary", "monetary", "monetário"},
    {"support", "support", "atendimento"},
    {"voice", "voice", "voz"},
    {"payment", "payment", "pagamento"},
    {"revenue_365d", "revenue 365 d", "receita 365 d"},
    {"days_since_last_order", "days since last order", "dias desde o último pedido"},
    {"detractors", "Detractors to call back", "Detratores para retornar"},
    {"answered_on", "answered on", "respondido em"},
    {"open_tickets", "open tickets", "chamados abertos"},
    {"quality_none", "No data-quality findings.", "Nenhum problema de qualidade nos dados."},
    {"skipped", "left out of every KPI", "deixadas fora de todos os indicadores"},
    {"flagged", "kept and flagged", "mantidas e sinalizadas"},
    {"rows_of", "rows of", "linhas de"},
    {"row_of", "row of", "linha de"},
    {"footer_source", "source", "fonte"},
    {"footer_profile", "profile", "perfil"},
    {"footer_run", "run", "execução"},
    {"footer_run_none", "on demand", "sob demanda"},
    {"footer_version", "cskpi", "cskpi"},
    {"clv_note",
     "Repeat customers whose chance of still being a customer (P(alive), BG/NBD model) has fallen below the alert "
     "threshold (clv.at_risk_below), most repeat revenue first.",
     "Clientes recorrentes cuja chance de ainda serem clientes (P(ativo), modelo BG/NBD) caiu abaixo do limite de "
     "alerta (clv.at_risk_below), maior receita recorrente primeiro."},
    {"p_alive", "P(alive)", "P(ativo)"},
    {"expected_purchases", "expected purchases", "compras esperadas"},
    {"clv", "CLV", "CLV"},
    // data-quality reasons (docs/kpis.md §11.1)
    {"null_mandatory_field", "had a null mandatory field", "tinham um campo obrigatório nulo"},
    {"unknown_customer", "name a customer missing from customers", "citam um cliente ausente do cadastro"},
    {"negative_duration", "were answered or resolved before they were opened",
     "foram respondidas ou resolvidas antes de abertas"},
    {"score_out_of_scale", "had a score outside its scale", "tinham nota fora da escala"},
    {"dated_after_as_of", "are dated after as_of", "têm data posterior à posição"},
    {"duplicate_id", "repeat an earlier row's id", "repetem o id de uma linha anterior"},
    {"bad_value", "had an unreadable value", "tinham um valor ilegível"},
    // KPIs (docs/kpis.md §12.1)
    {"customers_active_end", "Active customers", "Clientes ativos"},
    {"customers_new", "new", "novos"},
    {"customers_reactivated", "reactivated", "reativados"},
    {"customers_churned", "churned", "perdidos (churn)"},
    {"churn_rate", "Churn rate", "Taxa de churn"},
    {"retention_rate", "Retention", "Retenção"},
    {"nrr", "NRR", "NRR"},
    {"grr", "GRR", "GRR"},
    {"quick_ratio", "quick ratio", "quick ratio"},
    {"revenue", "Revenue", "Receita"},
    {"mrr_end", "MRR", "MRR"},
    {"new_revenue", "new", "nova"},
    {"reactivation_revenue", "reactivation", "reativação"},
    {"expansion_revenue", "expansion", "expansão"},
    {"contraction_revenue", "contraction", "contração"},
    {"churned_revenue", "churned", "churn"},
    {"nps", "NPS", "NPS"},
    {"csat", "CSAT", "CSAT"},
    {"ces", "CES (lower is better)", "CES (menor é melhor)"},
    {"nps_promoters", "promoters", "promotores"},
    {"nps_passives", "passives", "neutros"},
    {"nps_detractors", "detractors", "detratores"},
    {"ttr_business_hours_median", "Median TTR (business hours)", "TTR mediano (horas úteis)"},
    {"ttr_hours_median", "TTR p50, calendar", "TTR p50, corridas"},
    {"ttr_hours_p90", "TTR p90, calendar", "TTR p90, corridas"},
    {"ttr_business_hours_p50", "TTR p50, business", "TTR p50, úteis"},
    {"ttr_business_hours_p90", "TTR p90, business", "TTR p90, úteis"},
    {"frt_hours_median", "FRT p50, calendar", "TPR p50, corridas"},
    {"frt_hours_p90", "FRT p90, calendar", "TPR p90, corridas"},
    {"frt_business_hours_median", "FRT p50, business", "TPR p50, úteis"},
    {"frt_business_hours_p90", "FRT p90, business", "TPR p90, úteis"},
    {"sla_breach_rate", "SLA breach rate", "Violação de SLA"},
    {"reopen_rate", "reopen rate", "reabertura"},
    {"tickets_opened", "opened", "abertos"},
    {"tickets_resolved", "resolved", "resolvidos"},
    {"backlog_end", "backlog", "em aberto"},
    {"at_risk_customers", "At-risk customers", "Clientes em risco"},
};

constexpr const char *kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
constexpr const char *kMonthsPt[] = {"janeiro", "fevereiro", "março",    "abril",    "maio",     "junho",
                                     "julho",   "agosto",    "setembro", "outubro", "novembro", "dezembro"};
constexpr const char *kShortEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char *kShortPt[] = {"jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"};

const char *month_short(unsigned m, Lang l) { return (l == Lang::en ? kShortEn : kShortPt)[m - 1]; }

// Groups the integer digits of a plain "%.Nf" text in threes.
std::string group(const std::string &plain, Lang l) {
  const char sep = l == Lang::en ? ',' : '.', point = l == Lang::en ? '.' : ',';
  const std::size_t dot = plain.find('.');
  std::string integer = plain.substr(0, dot), out;
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) out += sep;
    out += integer[i];
  }
  if (dot != std::string::npos) out += point + plain.substr(dot + 1);
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

const char *tr(Lang lang, std::string_view key) {
  for (const Label &l : kLabels)
    if (key == l.key) return lang == Lang::en ? l.en : l.pt;
  throw std::logic_error("report label '" + std::string(key) + "' has no translation");
}

std::string format_number(double v, int decimals, Lang lang) {
  if (std::isnan(v)) return "—";
  std::string plain = fixed(std::fabs(v), decimals);
  const bool negative = v < 0 && plain.find_first_not_of("0.") != std::string::npos;
  return (negative ? "\u2212" : "") + group(plain, lang);
}

std::string format_percent(double fraction, int decimals, Lang lang) {
  if (std::isnan(fraction)) return "—";
  return format_number(fraction * 100, decimals, lang) + (lang == Lang::en ? "%" : "\u00a0%");
}

std::string format_signed(double v, int decimals, Lang lang) {
  if (std::isnan(v)) return "—";
  std::string s = format_number(v, decimals, lang);
  return s.find_first_not_of("0.,") == std::string::npos || s.rfind("\u2212", 0) == 0 ? s : "+" + s;
}

std::string format_compact(double v, Lang lang) {
  const double a = std::fabs(v);
  if (a >= 1e6) return format_number(v / 1e6, a >= 1e7 ? 0 : 1, lang) + (lang == Lang::en ? "M" : "\u00a0mi");
  if (a >= 1e4) return format_number(v / 1e3, a >= 1e5 ? 0 : 1, lang) + (lang == Lang::en ? "k" : "\u00a0mil");
  if (a >= 100 || a == std::floor(a)) return format_number(v, 0, lang);
  return format_number(v, a >= 10 ? 1 : 2, lang);
}

std::string day_name(Day d, Lang lang) {
  const CivilDate c = civil_date(d);
  return std::to_string(c.day) + " " + month_short(c.month, lang) + (lang == Lang::en ? " " : ". ") +
         std::to_string(c.year);
}

std::string period_name(Granularity g, Day start, Lang lang) {
  const CivilDate c = civil_date(start);
  const std::string year = std::to_string(c.year);
  switch (g) {
    case Granularity::year: return year;
    case Granularity::quarter:
      return lang == Lang::en ? "Q" + std::to_string((c.month + 2) / 3) + " " + year
                              : std::to_string((c.month + 2) / 3) + "º tri. " + year;
    case Granularity::month:
      return lang == Lang::en ? std::string(kMonthsEn[c.month - 1]) + " " + year
                              : std::string(kMonthsPt[c.month - 1]) + " de " + year;
    case Granularity::week: return (lang == Lang::en ? "week of " : "semana de ") + day_name(start, lang);
    case Granularity::day: return day_name(start, lang);
  }
  return format_day(start);
}

std::string period_short(Granularity g, Day start, Lang lang) {
  const CivilDate c = civil_date(start);
  const std::string yy = std::to_string(c.year % 100 + 100).substr(1);
  switch (g) {
    case Granularity::year: return std::to_string(c.year);
    case Granularity::quarter: return (lang == Lang::en ? "Q" : "T") + std::to_string((c.month + 2) / 3) + " " + yy;
    case Granularity::month: return std::string(month_short(c.month, lang)) + " " + yy;
    case Granularity::week:
    case Granularity::day: return std::to_string(c.day) + " " + month_short(c.month, lang);
  }
  return format_day(start);
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace cskpi::report
