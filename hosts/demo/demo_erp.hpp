// The demo ERP: creates a small, fake but realistic ERP database (schema in
// sql/demo/schema.sql, compiled into this library) and fills it with
// deterministic data, so cskpi can be tried and tested without a real ERP.
// The `demo` SQL profile (sql/profiles/demo/) maps it onto the canonical
// sources. See hosts/demo/README.md for the tables and the behaviour model.
#pragma once

#include <cstdint>
#include <string>

namespace soci {
class session;
}

namespace cskpi::demo {

struct DemoOptions {
  std::uint64_t seed = 42;
  int customers = 2000;                  // customer companies to create (>= 0)
  std::string first_date = "2023-01-01"; // go-live of the ERP: the first day with data
  std::string last_date;                 // inclusive, required: the ERP's "today"
};

// Rows written to the main tables.
struct DemoStats {
  std::int64_t customers;      // res_partner rows flagged is_customer (companies)
  std::int64_t orders;         // sale_order rows, every state, returns included
  std::int64_t order_lines;    // sale_order_line rows, layout lines included
  std::int64_t invoices;       // account_invoice rows: customer invoices, credit notes, supplier bills
  std::int64_t tickets;        // helpdesk_ticket rows
  std::int64_t answers;        // survey_answer rows (invitations, answered or not)
  std::int64_t subscriptions;  // sale_subscription rows, every state
};

// Drops the demo ERP tables if present, creates them and fills them in one
// transaction on `db` (rolled back on error). backend: "sqlite3" or
// "postgresql", and must be the backend of `db`. Same (seed, customers,
// first_date, last_date) -> identical rows on any machine and backend.
// Throws std::invalid_argument for bad options, soci::soci_error or
// std::runtime_error for database errors.
DemoStats generate_demo_erp(soci::session &db, const std::string &backend, const DemoOptions &o);

// The text of sql/demo/schema.sql, as compiled in.
const std::string &demo_schema_sql();

}  // namespace cskpi::demo
