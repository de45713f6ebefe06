#include "source/canonical.hpp"

#include <utility>

#include "source/row_reader.hpp"

namespace cskpi {
namespace {

using K = ColumnKind;
constexpr bool kNullable = true, kRequired = false;
constexpr bool kLoad = true, kCheckOnly = false;

constexpr CanonicalColumn kCustomers[] = {
    {"customer_id", K::text, kRequired, kLoad},
    {"segment", K::text, kNullable, kLoad},
    {"created_on", K::date, kNullable, kLoad},
    {"name", K::text, kNullable, kCheckOnly},
};

constexpr CanonicalColumn kOrderLines[] = {
    {"order_id", K::text, kRequired, kLoad},
    {"customer_id", K::text, kRequired, kLoad},
    {"order_date", K::date, kRequired, kLoad},
    {"category", K::text, kNullable, kLoad},
    {"amount", K::real, kRequired, kLoad},
    {"product_id", K::text, kNullable, kCheckOnly},
};

constexpr CanonicalColumn kInvoices[] = {
    {"invoice_id", K::text, kRequired, kLoad},
    {"customer_id", K::text, kRequired, kLoad},
    {"invoice_date", K::date, kRequired, kLoad},
    {"due_date", K::date, kNullable, kLoad},
    {"paid_date", K::date, kNullable, kLoad},
    {"amount", K::real, kRequired, kLoad},
    {"kind", K::text, kRequired, kLoad},
};

constexpr CanonicalColumn kTickets[] = {
    {"ticket_id", K::text, kRequired, kLoad},
    {"customer_id", K::text, kNullable, kLoad},
    {"opened_at", K::timestamp, kRequired, kLoad},
    {"first_response_at", K::timestamp, kNullable, kLoad},
    {"resolved_at", K::timestamp, kNullable, kLoad},
    {"channel", K::text, kNullable, kLoad},
    {"category", K::text, kNullable, kLoad},
    {"priority", K::text, kNullable, kLoad},
    {"reopen_count", K::integer, kNullable, kLoad},
};

constexpr CanonicalColumn kFeedback[] = {
    {"feedback_id", K::text, kRequired, kLoad},
    {"customer_id", K::text, kNullable, kLoad},
    {"answered_at", K::timestamp, kRequired, kLoad},
    {"kind", K::text, kRequired, kLoad},
    {"score", K::integer, kRequired, kLoad},
    {"ticket_id", K::text, kNullable, kLoad},
};

constexpr CanonicalColumn kSubscriptions[] = {
    {"subscription_id", K::text, kRequired, kLoad},
    {"customer_id", K::text, kRequired, kLoad},
    {"start_date", K::date, kRequired, kLoad},
    {"end_date", K::date, kNullable, kLoad},
    {"mrr", K::real, kRequired, kLoad},
};

constexpr CanonicalColumn kRetentionCosts[] = {
    {"cost_date", K::date, kRequired, kLoad},
    {"amount", K::real, kRequired, kLoad},
};

// The model's part of each source, for the declarations below.
SourceRows customer_rows(Dataset &d) { return {nullptr, &d.customers.created_on}; }
SourceRows order_line_rows(Dataset &d) { return {&d.order_lines.customer, &d.order_lines.day}; }
SourceRows invoice_rows(Dataset &d) { return {&d.invoices.customer, &d.invoices.day}; }
SourceRows ticket_rows(Dataset &d) { return {&d.tickets.customer, &d.tickets.opened_day}; }
SourceRows feedback_rows(Dataset &d) { return {&d.feedback.customer, &d.feedback.day}; }
SourceRows subscription_rows(Dataset &d) { return {&d.subscriptions.customer, &d.subscriptions.start}; }
SourceRows retention_cost_rows(Dataset &d) { return {nullptr, &d.retention_costs.day}; }

// customers and order_lines are never read by a partial load that is merged
// (they are read on the caller's connection): nothing to move.
void move_nothing(Dataset &, Dataset &) {}
void move_invoices(Dataset &into, Dataset &part) { into.invoices = std::move(part.invoices); }
// Ticket categories share Dataset::categories with order lines: interned
// after them in the part's id order (first appearance in tickets). Only
// tickets use channels and priorities.
void move_tickets(Dataset &into, Dataset &part) {
  std::vector<std::uint32_t> to(part.categories.size());
  for (std::uint32_t i = 0; i < to.size(); ++i) to[i] = into.categories.intern(part.categories.name(i));
  for (auto &c : part.tickets.category) c = to[c];
  into.channels = std::move(part.channels);
  into.priorities = std::move(part.priorities);
  into.tickets = std::move(part.tickets);
}
// feedback's ticket references are rows of the part's tickets, which keep their rows.
void move_feedback(Dataset &into, Dataset &part) { into.feedback = std::move(part.feedback); }
void move_subscriptions(Dataset &into, Dataset &part) { into.subscriptions = std::move(part.subscriptions); }
void move_retention_costs(Dataset &into, Dataset &part) { into.retention_costs = std::move(part.retention_costs); }

// Order ids only group lines into orders: once every line has its dense
// order id, the ids themselves are dropped (size() stays).
void release_order_ids(Dataset &d) { d.order_lines.orders.release(); }

constexpr std::string_view kBadDateOrNumber =
    "unreadable value (a date that is no date, or an amount that is no number or beyond ±1e15)";

using namespace source_detail;

constexpr CanonicalSource kSources[] = {
    {.name = "customers", .mandatory = true, .columns = kCustomers, .date_column = "created_on", .document_key = "customer_id",
     .defines_customers = true, .refers_to_customers = false, .read_on = ReadOn::caller, .present = nullptr,
     .row = customer_row, .rows = customer_rows, .move_into = move_nothing, .finish = nullptr,
     .bad_value_words = kBadDateOrNumber},
    {.name = "order_lines", .mandatory = true, .columns = kOrderLines, .date_column = "order_date", .document_key = "order_id",
     .defines_customers = false, .refers_to_customers = true, .read_on = ReadOn::caller, .present = nullptr,
     .row = order_line_row, .rows = order_line_rows, .move_into = move_nothing, .finish = release_order_ids,
     .bad_value_words = kBadDateOrNumber},
    {.name = "invoices", .mandatory = false, .columns = kInvoices, .date_column = "invoice_date", .document_key = "invoice_id",
     .defines_customers = false, .refers_to_customers = true, .read_on = ReadOn::worker,
     .present = &SourcePresence::invoices, .row = invoice_row, .rows = invoice_rows, .move_into = move_invoices,
     .finish = nullptr,
     .bad_value_words = "unreadable value (a date that is no date, an amount that is no number or beyond ±1e15, or "
                        "a kind other than 'invoice' / 'credit_note')"},
    {.name = "tickets", .mandatory = false, .columns = kTickets, .date_column = "opened_at", .document_key = "ticket_id",
     .defines_customers = false, .refers_to_customers = true, .read_on = ReadOn::worker,
     .present = &SourcePresence::tickets, .row = ticket_row, .rows = ticket_rows, .move_into = move_tickets,
     .finish = nullptr, .bad_value_words = kBadDateOrNumber},
    {.name = "feedback", .mandatory = false, .columns = kFeedback, .date_column = "answered_at", .document_key = "feedback_id",
     .defines_customers = false, .refers_to_customers = true, .read_on = ReadOn::worker,
     .present = &SourcePresence::feedback, .row = feedback_row, .rows = feedback_rows, .move_into = move_feedback,
     .finish = nullptr,
     .bad_value_words = "unreadable value (a kind other than 'nps' / 'csat' / 'ces', a score that is no integer, or a "
                        "bad date)"},
    {.name = "subscriptions", .mandatory = false, .columns = kSubscriptions, .date_column = "start_date", .document_key = "subscription_id",
     .defines_customers = false, .refers_to_customers = true, .read_on = ReadOn::worker,
     .present = &SourcePresence::subscriptions, .row = subscription_row, .rows = subscription_rows,
     .move_into = move_subscriptions, .finish = nullptr, .bad_value_words = kBadDateOrNumber},
    {.name = "retention_costs", .mandatory = false, .columns = kRetentionCosts, .date_column = "cost_date", .document_key = "",
     .defines_customers = false, .refers_to_customers = false, .read_on = ReadOn::worker,
     .present = &SourcePresence::retention_costs, .row = retention_cost_row, .rows = retention_cost_rows,
     .move_into = move_retention_costs, .finish = nullptr, .bad_value_words = kBadDateOrNumber},
};

}  // namespace

const char *column_kind_name(ColumnKind k) {
  switch (k) {
    case ColumnKind::text: return "text";
    case ColumnKind::date: return "date";
    case ColumnKind::timestamp: return "timestamp";
    case ColumnKind::real: return "real";
    case ColumnKind::integer: return "int";
  }
  return "?";
}

std::size_t CanonicalSource::loaded_count() const {
  std::size_t n = 0;
  for (const auto &c : columns) n += c.loaded ? 1 : 0;
  return n;
}

std::span<const CanonicalSource> canonical_sources() { return kSources; }

const CanonicalSource *find_canonical_source(std::string_view name) {
  for (const auto &s : kSources)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace cskpi
