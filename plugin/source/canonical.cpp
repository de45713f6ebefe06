#include "source/canonical.hpp"

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

constexpr CanonicalSource kSources[] = {
    {"customers", true, kCustomers},
    {"order_lines", true, kOrderLines},
    {"invoices", false, kInvoices},
    {"tickets", false, kTickets},
    {"feedback", false, kFeedback},
    {"subscriptions", false, kSubscriptions},
    {"retention_costs", false, kRetentionCosts},
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
