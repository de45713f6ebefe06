// The compact in-process model of the canonical sources (docs/kpis.md §1):
// dense integer ids, one vector per column, no per-row heap objects.
// Built by plugin/source (the loader), read by the KPI modules in plugin/kpi.
//
// Conventions every module relies on:
//  - customers are 0..customer_count()-1; a row whose customer_id is not in
//    the customers source gets an implied customer (known == 0, segment
//    "unassigned") and is flagged in data quality;
//  - `kNoCustomer` marks ticket/feedback rows without a customer;
//  - dates are local Days, instants are UTC Seconds plus their local Day;
//  - rows dated after as_of, rows with a null mandatory date and rows with an
//    out-of-scale score are already dropped (and counted in `quality`); a
//    ticket whose response or resolution precedes its opening is kept with
//    that timestamp (flagged as negative_duration; the support KPIs leave
//    the duration out, docs/kpis.md §6.6); values
//    after as_of inside kept rows (a ticket resolved after as_of, an invoice
//    paid after as_of) are already reset to "not yet".
#pragma once

#include <cstdint>
#include <vector>

#include "core/calendar.hpp"
#include "core/dictionary.hpp"
#include "core/quality.hpp"

namespace cskpi {

inline constexpr std::uint32_t kNoCustomer = UINT32_MAX;

struct Customers {
  Dictionary ids;                      // customer_id text -> dense id
  std::vector<std::uint32_t> segment;  // index into Dataset::segments
  std::vector<Day> created_on;         // kNoDay when null
  std::vector<std::uint8_t> known;     // 0: implied by another source
  std::size_t size() const { return segment.size(); }
};

// Order lines at (order, category) grain: consecutive rows of the source with
// the same order, customer, day and category are one entry whose amount is
// their sum (rows_read still counts every row).
struct OrderLines {
  IdIndex orders;                       // order_id -> dense order id; after the load only its size()
  std::vector<std::uint32_t> order;     // dense order id
  std::vector<std::uint32_t> customer;
  std::vector<Day> day;
  std::vector<std::uint32_t> category;  // index into Dataset::categories ("unknown" for null)
  std::vector<double> amount;
  std::size_t size() const { return order.size(); }
};

struct Invoices {
  std::vector<std::uint32_t> customer;
  std::vector<Day> day;
  std::vector<Day> due;                 // kNoDay when null
  std::vector<Day> paid;                // kNoDay when null or after as_of
  std::vector<double> amount;           // credit notes negative
  std::vector<std::uint8_t> credit_note;
  std::size_t size() const { return customer.size(); }
};

struct Tickets {
  Dictionary ids;                       // ticket_id text -> dense row index
  std::vector<std::uint32_t> customer;  // kNoCustomer when null
  std::vector<Seconds> opened;          // UTC
  std::vector<Seconds> first_response;  // kNoTime when null or after as_of; may precede opened
  std::vector<Seconds> resolved;        // kNoTime when null or after as_of; may precede opened
  std::vector<Day> opened_day;          // local
  std::vector<Day> resolved_day;        // local, kNoDay when not resolved
  std::vector<std::uint32_t> channel;   // index into Dataset::channels
  std::vector<std::uint32_t> category;  // index into Dataset::categories
  std::vector<std::uint32_t> priority;  // index into Dataset::priorities
  std::vector<std::int32_t> reopen_count;  // -1 when null
  bool has_reopen_count = false;        // some row had a non-null reopen_count
  std::size_t size() const { return opened.size(); }
};

enum class FeedbackKind : std::uint8_t { nps, csat, ces };

struct Feedback {
  std::vector<std::uint32_t> customer;  // kNoCustomer when null
  std::vector<Seconds> answered;        // UTC
  std::vector<Day> day;                 // local date of answered
  std::vector<FeedbackKind> kind;
  std::vector<std::int32_t> score;      // already within its scale
  std::vector<std::uint32_t> ticket;    // dense ticket row, or UINT32_MAX
  std::size_t size() const { return day.size(); }
};

struct Subscriptions {
  std::vector<std::uint32_t> customer;
  std::vector<Day> start;
  std::vector<Day> end;                 // exclusive; kNoDay when open
  std::vector<double> mrr;
  std::size_t size() const { return customer.size(); }
};

struct RetentionCosts {
  std::vector<Day> day;
  std::vector<double> amount;
  std::size_t size() const { return day.size(); }
};

// Which optional sources the profile provides. An absent source makes its
// KPIs null (unavailable), never 0 (docs/kpis.md §1).
struct SourcePresence {
  bool invoices = false;
  bool tickets = false;
  bool feedback = false;
  bool subscriptions = false;
  bool retention_costs = false;
};

struct Dataset {
  Day as_of = kNoDay;
  Day first_day = kNoDay;   // earliest kept date in any source (local)
  Dictionary segments;      // "unassigned" for null segment
  Dictionary categories;    // "unknown" for null category (orders and tickets share it)
  Dictionary channels;      // "unknown" for null
  Dictionary priorities;    // "unknown" for null
  Customers customers;
  OrderLines order_lines;
  Invoices invoices;
  Tickets tickets;
  Feedback feedback;
  Subscriptions subscriptions;
  RetentionCosts retention_costs;
  SourcePresence present;
  DataQuality quality;
  // Rows read per source (before any was skipped), for the run log.
  std::vector<std::pair<std::string, std::int64_t>> rows_read;

  // Adds (or finds) customer text_id; rows of other sources use this so an
  // unknown customer becomes an implied one in segment "unassigned".
  std::uint32_t customer_for(std::string_view text_id, bool *implied);
  std::size_t customer_count() const { return customers.size(); }
};

}  // namespace cskpi
