// The simulation's frame: the tables it writes (in sql/demo/schema.sql's
// column order), the customers' and prospects' arrival, and the event loop
// that hands each event to its domain's handler (see simulation.hpp).
#include "simulation.hpp"

#include <cmath>

namespace cskpi::demo {

Generator::Generator(AsyncWriter &writer, const DemoOptions &o, std::int64_t first_day, std::int64_t last_day)
    : o_(o),
      rng_(o.seed),
      first_day_(first_day),
      last_day_(last_day),
      begin_(first_day * kDay),
      end_((last_day + 1) * kDay),
      queue_(first_day, last_day - first_day + 1),
      segment_(sink_table(writer, "partner_segment", {{"id", ColType::integer}, {"code", ColType::text}, {"name", ColType::text}})),
      partner_(sink_table(writer, "res_partner",
                          {{"id", ColType::integer}, {"name", ColType::text}, {"ref", ColType::text},
                           {"is_company", ColType::integer}, {"parent_id", ColType::integer},
                           {"is_customer", ColType::integer}, {"is_supplier", ColType::integer},
                           {"segment_id", ColType::integer}, {"email", ColType::text},
                           {"country_code", ColType::text}, {"currency_code", ColType::text},
                           {"active", ColType::integer}, {"create_date", ColType::text}, {"write_date", ColType::text}})),
      category_(sink_table(writer, "product_category", {{"id", ColType::integer}, {"name", ColType::text}, {"parent_id", ColType::integer}})),
      product_(sink_table(writer, "product_product",
                          {{"id", ColType::integer}, {"default_code", ColType::text}, {"name", ColType::text},
                           {"categ_id", ColType::integer}, {"list_price", ColType::real}, {"type", ColType::text},
                           {"active", ColType::integer}})),
      order_(sink_table(writer, "sale_order",
                        {{"id", ColType::integer}, {"name", ColType::text}, {"partner_id", ColType::integer},
                         {"date_order", ColType::text}, {"state", ColType::text}, {"currency_code", ColType::text},
                         {"currency_rate", ColType::real, 6}, {"amount_untaxed", ColType::real},
                         {"amount_tax", ColType::real}, {"origin", ColType::text}, {"create_date", ColType::text},
                         {"write_date", ColType::text}})),
      line_(sink_table(writer, "sale_order_line",
                       {{"id", ColType::integer}, {"order_id", ColType::integer}, {"sequence", ColType::integer},
                        {"display_type", ColType::text}, {"product_id", ColType::integer}, {"name", ColType::text},
                        {"product_uom_qty", ColType::real, 3}, {"price_unit", ColType::real},
                        {"discount", ColType::real}, {"create_date", ColType::text}, {"write_date", ColType::text}})),
      invoice_(sink_table(writer, "account_invoice",
                          {{"id", ColType::integer}, {"name", ColType::text}, {"move_type", ColType::text},
                           {"state", ColType::text}, {"partner_id", ColType::integer},
                           {"invoice_date", ColType::text}, {"invoice_date_due", ColType::text},
                           {"currency_code", ColType::text}, {"currency_rate", ColType::real, 6},
                           {"amount_untaxed", ColType::real}, {"amount_tax", ColType::real},
                           {"amount_total", ColType::real}, {"invoice_origin", ColType::text},
                           {"sale_order_id", ColType::integer}, {"subscription_id", ColType::integer},
                           {"reversed_entry_id", ColType::integer}, {"create_date", ColType::text},
                           {"write_date", ColType::text}})),
      payment_(sink_table(writer, "account_payment",
                          {{"id", ColType::integer}, {"invoice_id", ColType::integer}, {"partner_id", ColType::integer},
                           {"payment_type", ColType::text}, {"payment_date", ColType::text},
                           {"amount", ColType::real}, {"state", ColType::text}, {"create_date", ColType::text}, {"write_date", ColType::text}})),
      stage_(sink_table(writer, "helpdesk_stage", {{"id", ColType::integer}, {"name", ColType::text}, {"sequence", ColType::integer}, {"fold", ColType::integer}})),
      channel_(sink_table(writer, "helpdesk_channel", {{"id", ColType::integer}, {"name", ColType::text}})),
      ticket_category_(sink_table(writer, "helpdesk_ticket_category", {{"id", ColType::integer}, {"name", ColType::text}})),
      ticket_(sink_table(writer, "helpdesk_ticket",
                         {{"id", ColType::integer}, {"name", ColType::text}, {"partner_id", ColType::integer},
                          {"partner_email", ColType::text}, {"stage_id", ColType::integer},
                          {"channel_id", ColType::integer}, {"category_id", ColType::integer},
                          {"priority", ColType::text}, {"sale_order_id", ColType::integer},
                          {"create_date", ColType::text}, {"first_response_date", ColType::text},
                          {"close_date", ColType::text}, {"reopen_count", ColType::integer},
                          {"active", ColType::integer}, {"write_date", ColType::text}})),
      survey_(sink_table(writer, "survey_survey", {{"id", ColType::integer}, {"title", ColType::text}, {"survey_type", ColType::text}})),
      answer_(sink_table(writer, "survey_answer",
                         {{"id", ColType::integer}, {"survey_id", ColType::integer}, {"partner_id", ColType::integer},
                          {"ticket_id", ColType::integer}, {"state", ColType::text}, {"create_date", ColType::text},
                          {"answered_at", ColType::text}, {"score", ColType::integer}, {"write_date", ColType::text}})),
      subscription_(sink_table(writer, "sale_subscription",
                               {{"id", ColType::integer}, {"code", ColType::text}, {"partner_id", ColType::integer},
                                {"template", ColType::text}, {"date_start", ColType::text}, {"date_end", ColType::text},
                                {"recurring_rule_type", ColType::text}, {"recurring_total", ColType::real},
                                {"currency_code", ColType::text}, {"currency_rate", ColType::real, 6},
                                {"state", ColType::text}, {"close_reason", ColType::text}, {"create_date", ColType::text},
                                {"write_date", ColType::text}})),
      expense_(sink_table(writer, "cs_expense",
                          {{"id", ColType::integer}, {"date", ColType::text}, {"expense_type", ColType::text},
                           {"description", ColType::text}, {"total_amount", ColType::real}, {"state", ColType::text}})) {}

DemoStats Generator::run() {
  reference_data();
  schedule_population();
  Event e;
  while (queue_.pop(e)) handle(e);
  for (TableBuffer *t : all_tables()) t->flush();
  return DemoStats{customers_written_, order_.written(),   line_.written(),         invoice_.written(),
                   ticket_.written(),  answer_.written(),  subscription_.written()};
}

TableBuffer Generator::sink_table(AsyncWriter &writer, const char *name, std::vector<ColumnSpec> cols) {
  return TableBuffer(name, std::move(cols), writer);
}

std::vector<TableBuffer *> Generator::all_tables() {
  return {&segment_, &partner_, &category_, &product_, &order_, &line_, &invoice_, &payment_, &stage_, &channel_,
          &ticket_category_, &ticket_, &survey_, &answer_, &subscription_, &expense_};
}

// Creation times of customers and prospects, and the global event chains.
void Generator::schedule_population() {
  const double span_days = static_cast<double>(last_day_ - first_day_ + 1);
  customers_.resize(static_cast<std::size_t>(o_.customers));
  for (int i = 0; i < o_.customers; ++i) {
    std::int64_t t;
    if (rng_.chance(0.30)) {
      // Imported at go-live from the previous system.
      t = begin_ + 7 * kHour + i;
    } else {
      // Acquired over time, the business growing: more sign-ups later.
      const double d = span_days * std::pow(rng_.u(), 0.8);
      t = office_time(first_day_ + static_cast<std::int64_t>(d));
    }
    push(t, Kind::customer_created, static_cast<std::uint32_t>(i));
  }
  // Prospects: partners that got a quotation but never became customers.
  const int prospects = o_.customers * 15 / 100;
  for (int i = 0; i < prospects; ++i)
    push(office_time(first_day_ + static_cast<std::int64_t>(span_days * rng_.u())), Kind::prospect_created, 0);

  push(month_last_day(first_day_) * kDay + 18 * kHour, Kind::month_end, 0);
  if (o_.customers > 0) push(next_anonymous(begin_), Kind::anonymous_ticket, 0);
  push(office_time(first_day_ + static_cast<std::int64_t>(span_days * 0.6)), Kind::bad_rows, 0);
}

std::int64_t Generator::next_anonymous(std::int64_t from) {
  // About 4% of the ticket volume arrives from unknown e-mail addresses.
  const double per_day = std::max(0.01, 0.02 * o_.customers / 365.0);
  return from + static_cast<std::int64_t>(rng_.exponential(kDay / per_day));
}

void Generator::handle(const Event &e) {
  switch (e.kind) {
    case Kind::customer_created: customer_created(e); break;
    case Kind::prospect_created: prospect_created(e); break;
    case Kind::prospect_quote: prospect_quote(e); break;
    case Kind::order: order(e); break;
    case Kind::invoice: invoice(e); break;
    case Kind::payment: payment(e); break;
    case Kind::product_return: product_return(e); break;
    case Kind::ticket: ticket(e); break;
    case Kind::ticket_closed: ticket_closed(e); break;
    case Kind::nps: nps(e); break;
    case Kind::subscription_start: subscription_start(e); break;
    case Kind::subscription_billing: subscription_billing(e); break;
    case Kind::month_end: month_end(e); break;
    case Kind::anonymous_ticket: anonymous_ticket(e); break;
    case Kind::bad_rows: bad_rows(e); break;
  }
}

}  // namespace cskpi::demo
