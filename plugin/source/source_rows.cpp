// One row handler per canonical source (declared in canonical.cpp, which
// gives each its columns in the order the enums below index them). Every
// handler applies its skip reasons in a fixed order (null, bad value, out of
// scale, after as_of, duplicate), then flags kept rows (docs/kpis.md §11).
#include <cstdint>
#include <string_view>

#include "source/row_reader.hpp"

namespace cskpi::source_detail {

void customer_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kId, kSegment, kCreated };
  if (c.null(kId, r)) return in.skip(Why::null_mandatory);
  auto &cu = in.data().customers;
  // One lookup: a new id is interned here (nothing below skips the row).
  const std::size_t known = cu.ids.size();
  cu.ids.intern(c.text(kId, r));
  if (cu.ids.size() == known) return in.skip(Why::duplicate_id);
  Day created = kNoDay;
  if (in.day_at(c, kCreated, r, created) == Cell::bad) {
    created = kNoDay;
    in.flag(Why::bad_value);
  }
  cu.segment.push_back(in.data().segments.intern(c.null(kSegment, r) ? std::string_view("unassigned") : c.text(kSegment, r)));
  cu.created_on.push_back(created);
  cu.known.push_back(1);
}

void order_line_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kOrder, kCustomer, kDate, kCategory, kAmount };
  if (c.null(kOrder, r) || c.null(kCustomer, r) || c.null(kDate, r) || c.null(kAmount, r))
    return in.skip(Why::null_mandatory);
  Day d = kNoDay;
  if (in.day_at(c, kDate, r, d) != Cell::ok || !RowReader::good_amount(c, kAmount, r)) return in.skip(Why::bad_value);
  if (d > in.as_of()) return in.skip(Why::after_as_of);
  auto &ol = in.data().order_lines;
  const std::uint32_t order = in.order_ref(c.text(kOrder, r));
  const std::uint32_t customer = in.customer_ref(c.text(kCustomer, r));
  in.check_order_customer(order, customer);
  const std::uint32_t category = RowReader::name_or_unknown(in.data().categories, c, kCategory, r);
  in.see(d);
  // Every KPI reads lines at (order, category) grain: the next line of the
  // same order, customer, day and category only adds to the amount (summed
  // in row order, as the order total would be). ERP orders list many lines
  // of one product family one after the other, so this keeps the model at
  // a fraction of the line count.
  const std::size_t n = ol.size();
  if (n > 0 && ol.order[n - 1] == order && ol.customer[n - 1] == customer && ol.day[n - 1] == d &&
      ol.category[n - 1] == category) {
    ol.amount[n - 1] += c.real(kAmount, r);
    return;
  }
  ol.order.push_back(order);
  ol.customer.push_back(customer);
  ol.day.push_back(d);
  ol.category.push_back(category);
  ol.amount.push_back(c.real(kAmount, r));
}

void invoice_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kId, kCustomer, kDate, kDue, kPaid, kAmount, kKind };
  if (c.null(kId, r) || c.null(kCustomer, r) || c.null(kDate, r) || c.null(kAmount, r) || c.null(kKind, r))
    return in.skip(Why::null_mandatory);
  std::string_view kind = c.text(kKind, r);
  Day d = kNoDay;
  if ((kind != "invoice" && kind != "credit_note") || in.day_at(c, kDate, r, d) != Cell::ok ||
      !RowReader::good_amount(c, kAmount, r))
    return in.skip(Why::bad_value);
  if (d > in.as_of()) return in.skip(Why::after_as_of);
  if (!in.first_sight(c.text(kId, r))) return in.skip(Why::duplicate_id);

  bool bad = false;
  Day due = kNoDay, paid = kNoDay;
  if (in.day_at(c, kDue, r, due) == Cell::bad) due = kNoDay, bad = true;
  if (in.day_at(c, kPaid, r, paid) == Cell::bad) paid = kNoDay, bad = true;
  if (paid != kNoDay && paid > in.as_of()) paid = kNoDay;  // not paid yet as of as_of
  if (bad) in.flag(Why::bad_value);

  auto &inv = in.data().invoices;
  inv.customer.push_back(in.customer_ref(c.text(kCustomer, r)));
  inv.day.push_back(d);
  inv.due.push_back(due);
  inv.paid.push_back(paid);
  inv.amount.push_back(c.real(kAmount, r));  // as given: the profile signs credit notes
  inv.credit_note.push_back(kind == "credit_note" ? 1 : 0);
  in.see(d);
}

void ticket_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kId, kCustomer, kOpened, kFirstResponse, kResolved, kChannel, kCategory, kPriority, kReopen };
  if (c.null(kId, r) || c.null(kOpened, r)) return in.skip(Why::null_mandatory);
  Seconds opened = kNoTime;
  Day opened_day = kNoDay;
  if (in.instant_at(c, kOpened, r, opened, opened_day) != Cell::ok) return in.skip(Why::bad_value);
  if (opened_day > in.as_of()) return in.skip(Why::after_as_of);
  auto &t = in.data().tickets;
  std::string_view id = c.text(kId, r);
  if (t.ids.find(id) != Dictionary::npos) return in.skip(Why::duplicate_id);

  bool bad = false, negative = false;
  // A later instant of the ticket: kNoTime when null, unreadable or after
  // as_of (not happened yet). One before opened is kept (the ticket is
  // resolved, or responded to, then) and flagged: only its duration is left
  // out, by the support KPIs (kpi-spec §6, docs/kpis.md §6.6).
  auto later = [&](std::size_t col, Day &day) {
    Seconds s = kNoTime;
    day = kNoDay;
    switch (in.instant_at(c, col, r, s, day)) {
      case Cell::null: return kNoTime;
      case Cell::bad: bad = true; return kNoTime;
      case Cell::ok: break;
    }
    if (s < opened) negative = true;
    if (day > in.as_of()) {
      day = kNoDay;
      return kNoTime;
    }
    return s;
  };
  Day first_response_day = kNoDay, resolved_day = kNoDay;
  Seconds first_response = later(kFirstResponse, first_response_day);
  Seconds resolved = later(kResolved, resolved_day);

  std::int32_t reopen = -1;
  if (!c.null(kReopen, r)) {
    long long v = c.integer(kReopen, r);
    if (v < 0 || v > INT32_MAX)
      bad = true;
    else
      reopen = static_cast<std::int32_t>(v), t.has_reopen_count = true;
  }
  if (bad) in.flag(Why::bad_value);
  if (negative) in.flag(Why::negative_duration);

  t.ids.intern(id);  // == row index: ids are interned in row order
  t.customer.push_back(in.optional_customer(c, kCustomer, r));
  t.opened.push_back(opened);
  t.first_response.push_back(first_response);
  t.resolved.push_back(resolved);
  t.opened_day.push_back(opened_day);
  t.resolved_day.push_back(resolved_day);
  t.channel.push_back(RowReader::name_or_unknown(in.data().channels, c, kChannel, r));
  t.category.push_back(RowReader::name_or_unknown(in.data().categories, c, kCategory, r));
  t.priority.push_back(RowReader::name_or_unknown(in.data().priorities, c, kPriority, r));
  t.reopen_count.push_back(reopen);
  in.see(opened_day);
}

void feedback_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kId, kCustomer, kAnswered, kKind, kScore, kTicket };
  if (c.null(kId, r) || c.null(kAnswered, r) || c.null(kKind, r) || c.null(kScore, r))
    return in.skip(Why::null_mandatory);
  std::string_view kind_text = c.text(kKind, r);
  FeedbackKind kind;
  long long lo = 1, hi;
  if (kind_text == "nps")
    kind = FeedbackKind::nps, lo = 0, hi = 10;
  else if (kind_text == "csat")
    kind = FeedbackKind::csat, hi = in.csat_scale();
  else if (kind_text == "ces")
    kind = FeedbackKind::ces, hi = in.ces_scale();
  else
    return in.skip(Why::bad_value);
  Seconds answered = kNoTime;
  Day day = kNoDay;
  if (in.instant_at(c, kAnswered, r, answered, day) != Cell::ok) return in.skip(Why::bad_value);
  long long score = c.integer(kScore, r);
  if (score == kBadValue) return in.skip(Why::bad_value);  // 'abc' is no score (no detractor)
  if (score < lo || score > hi) return in.skip(Why::score_out_of_scale);
  if (day > in.as_of()) return in.skip(Why::after_as_of);
  if (!in.first_sight(c.text(kId, r))) return in.skip(Why::duplicate_id);

  auto &f = in.data().feedback;
  f.customer.push_back(in.optional_customer(c, kCustomer, r));
  f.answered.push_back(answered);
  f.day.push_back(day);
  f.kind.push_back(kind);
  f.score.push_back(static_cast<std::int32_t>(score));
  // Tickets are loaded before feedback; an unknown or skipped ticket is no link.
  f.ticket.push_back(c.null(kTicket, r) ? UINT32_MAX : in.data().tickets.ids.find(c.text(kTicket, r)));
  in.see(day);
}

void subscription_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kId, kCustomer, kStart, kEnd, kMrr };
  if (c.null(kId, r) || c.null(kCustomer, r) || c.null(kStart, r) || c.null(kMrr, r))
    return in.skip(Why::null_mandatory);
  Day start = kNoDay;
  if (in.day_at(c, kStart, r, start) != Cell::ok || !RowReader::good_amount(c, kMrr, r)) return in.skip(Why::bad_value);
  if (start > in.as_of()) return in.skip(Why::after_as_of);
  if (!in.first_sight(c.text(kId, r))) return in.skip(Why::duplicate_id);
  Day end = kNoDay;
  if (in.day_at(c, kEnd, r, end) == Cell::bad) {
    end = kNoDay;
    in.flag(Why::bad_value);
  }
  // Ending on or before its start it covers no day (end is exclusive): no
  // activity, no MRR, nothing to keep (docs/kpis.md §11).
  if (end != kNoDay && end <= start) return in.skip(Why::end_not_after_start);
  auto &s = in.data().subscriptions;
  s.customer.push_back(in.customer_ref(c.text(kCustomer, r)));
  s.start.push_back(start);
  s.end.push_back(end);
  s.mrr.push_back(c.real(kMrr, r));
  in.see(start);
}

void retention_cost_row(RowReader &in, const Chunk &c, std::size_t r) {
  enum { kDate, kAmount };
  if (c.null(kDate, r) || c.null(kAmount, r)) return in.skip(Why::null_mandatory);
  Day d = kNoDay;
  if (in.day_at(c, kDate, r, d) != Cell::ok || !RowReader::good_amount(c, kAmount, r)) return in.skip(Why::bad_value);
  if (d > in.as_of()) return in.skip(Why::after_as_of);
  in.data().retention_costs.day.push_back(d);
  in.data().retention_costs.amount.push_back(c.real(kAmount, r));
  in.see(d);
}


}  // namespace cskpi::source_detail
