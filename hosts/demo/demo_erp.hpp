// The demo ERP: creates a small, fake but realistic ERP database (schema in
// sql/demo/schema.sql, compiled into this library) and fills it with
// deterministic data, so cskpi can be tried and tested without a real ERP.
// The `demo` SQL profile (sql/profiles/demo/) maps it onto the canonical
// sources. See hosts/demo/README.md for the tables and the behaviour model.
#pragma once

#include <cstdint>
#include <map>
#include <set>
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

// One day of activity on an existing demo ERP (day_activity.cpp).
struct DayOptions {
  std::uint64_t seed = 1;
  // Scale: the day's volumes are per customer (10 new orders, 1 edited
  // order, 1 ticket and 1 answer per 1,000 customers, at least one of each
  // kind): the benchmark's day at size L is customers = 1,000,000. 0 = the
  // number of customer companies in the database.
  int customers = 0;
  std::string day;    // YYYY-MM-DD of today's documents; "" = the day after the latest order date
  std::string stamp;  // UTC 'YYYY-MM-DD HH:MM:SS' written to write_date; "" = now
};

struct DayStats {
  std::string day, stamp;                      // as applied
  std::map<std::string, std::int64_t> counts;  // what was done: new_orders, edited_orders, ...
  // Per canonical source, the document keys (as the profile's key column
  // gives them) that were created or written, or read a partner that was
  // written; and those deleted (never among the touched ones).
  std::map<std::string, std::set<std::string>> touched, deleted;
};

// Applies, in one transaction on `db`, one day of what an ERP's users do:
// new customers, orders with lines and posted invoices (some dated weeks
// back), edited, cancelled, re-drafted and re-assigned orders, a contact
// moved to another company, re-segmented customers, payments, new and
// solved tickets, survey answers, a subscription closed and one started,
// and hard deletions. Every row written gets write_date = stamp (and
// create_date when created). Same database, options -> same changes.
DayStats apply_demo_day(soci::session &db, const std::string &backend, const DayOptions &o);

// The text of sql/demo/schema.sql, as compiled in.
const std::string &demo_schema_sql();

}  // namespace cskpi::demo
