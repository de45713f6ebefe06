#include "source/loader.hpp"

#include <array>
#include <cmath>

#include <soci/soci.h>

#include "core/errors.hpp"
#include "core/timezone.hpp"
#include "source/backend.hpp"
#include "source/canonical.hpp"
#include "source/load_steps.hpp"

namespace cskpi {
namespace source_detail {
namespace {

// Data-quality reasons, counted per row in plain arrays while a source is
// read and handed to DataQuality once per source (no string work per row).
enum class Why : std::uint8_t {
  null_mandatory,
  unknown_customer,
  negative_duration,
  score_out_of_scale,
  after_as_of,
  duplicate_id,
  bad_value,
  count
};
constexpr std::array<const char *, static_cast<std::size_t>(Why::count)> kWhyNames = {
    reason::null_mandatory,   reason::unknown_customer, reason::negative_duration, reason::score_out_of_scale,
    reason::after_as_of,      reason::duplicate_id,     reason::bad_value};

enum class Cell : std::uint8_t { ok, null, bad };

// Plausible calendar range, years 1..9999: anything outside is a typo or a
// sentinel the database produced for an unconvertible value (kBadValue).
constexpr long long kMinDay = -719162;  // 0001-01-01
constexpr long long kMaxDay = 2932896;  // 9999-12-31
constexpr long long kMinEpoch = kMinDay * 86400;
constexpr long long kMaxEpoch = (kMaxDay + 1) * 86400 - 1;

Day floor_day(Seconds s) {
  Seconds d = s / 86400;
  if (s % 86400 < 0) --d;
  return static_cast<Day>(d);
}

std::string column_list(const std::vector<ResultColumn> &cols) {
  if (cols.empty()) return "(no columns)";
  std::string out;
  for (const auto &c : cols) out += (out.empty() ? "" : ", ") + c.name + " (" + c.type_name + ")";
  return out;
}

class Loader {
 public:
  Loader(Backend &backend, const Profile &profile, const Settings &s, Day as_of, const LoadHooks &hooks,
         bool flag_unknown_customers)
      : backend_(backend),
        profile_(profile),
        zone_(s.timezone),
        timestamps_local_(s.timestamps_local),
        as_of_(as_of),
        csat_scale_(s.csat_scale),
        ces_scale_(s.ces_scale),
        flag_unknown_customers_(flag_unknown_customers),
        hooks_(hooks) {
    data_.as_of = as_of;
  }

  Dataset run(std::span<const CanonicalSource> sources) {
    for (const auto &src : sources) load_source(src);
    return std::move(data_);
  }

 private:
  using RowFn = void (Loader::*)(const Chunk &, std::size_t);

  ErrorFacts facts(std::string_view source) const {
    ErrorFacts f;
    f.profile = profile_.name;
    f.source = std::string(source);
    return f;
  }

  [[noreturn]] void fail(const DbFailure &e, std::string_view source, const std::string &context) const {
    ErrorFacts f = facts(source);
    f.detail = e.what();
    if (e.connection)
      throw SourceError(std::string(backend_.name()) + " failed while reading " + context + ": " + e.what(), std::move(f));
    f.problem = ProfileProblem::sql;
    throw ProfileError(context + ": SQL error: " + e.what(), std::move(f));
  }

  // A canonical column the SELECT does not return as it should: the message
  // says what the SELECT returned.
  [[noreturn]] void column_error(ProfileProblem problem, std::string_view source, const CanonicalColumn &want,
                                 const std::string &context, const std::string &what,
                                 const std::vector<ResultColumn> &have) const {
    ErrorFacts f = facts(source);
    f.problem = problem;
    f.column = std::string(want.name);
    if (problem != ProfileProblem::missing_column) f.detail = what;
    for (const auto &h : have) f.returned.push_back(h.name);
    std::string message = problem == ProfileProblem::missing_column ? "missing column '" + f.column + "'"
                                                                     : "column '" + f.column + "' " + what;
    throw ProfileError(context + ": " + message + "; the SELECT returned: " + column_list(have), std::move(f));
  }

  void load_source(const CanonicalSource &src) {
    const std::string name(src.name);
    auto it = profile_.sql.find(name);
    if (it == profile_.sql.end()) return;  // absent: its KPIs are unavailable
    const std::string &sql = it->second;
    const std::string context = "profile '" + profile_.name + "', source '" + name + "'";

    // The built-in canonical profile names every source; a database that has
    // no table for an optional one simply does not provide it. Likewise an
    // optional source whose "-- cskpi:requires" relations do not all exist
    // (the ERP module behind it is not installed) is absent.
    if (!src.mandatory) {
      std::vector<std::string> needed;
      if (profile_.name == "canonical") needed.push_back(name);
      if (auto r = profile_.requires_relations.find(name); r != profile_.requires_relations.end())
        needed.insert(needed.end(), r->second.begin(), r->second.end());
      for (const auto &relation : needed) {
        bool exists = true;
        try {
          exists = backend_.relation_exists(relation);
        } catch (const DbFailure &e) {
          fail(e, name, context);
        }
        if (!exists) return;
      }
    }

    // Columns first, before any row is read: a wrong profile fails fast with
    // a message that says what the SELECT returned.
    std::vector<ResultColumn> have;
    try {
      have = backend_.describe(sql);
    } catch (const DbFailure &e) {
      fail(e, name, context);
    }
    Chunk chunk;
    meaning_.clear();
    std::string select = "SELECT ";
    for (const auto &want : src.columns) {
      const ResultColumn *found = nullptr;
      for (const auto &h : have) {
        if (h.name != want.name) continue;
        if (found) column_error(ProfileProblem::twice, name, want, context, "is returned twice", have);
        found = &h;
      }
      if (!found) column_error(ProfileProblem::missing_column, name, want, context, "", have);
      std::string why;
      auto planned = backend_.plan(want, *found, why);
      if (!planned) column_error(ProfileProblem::column_type, name, want, context, why, have);
      if (!want.loaded) continue;
      if (!meaning_.empty()) select += ",\n       ";
      select += planned->expr;
      chunk.cols.emplace_back().wire = planned->wire;
      meaning_.push_back(planned->meaning);
    }
    select += "\nFROM (\n" + sql + "\n) AS src";

    skipped_.fill(0);
    flagged_.fill(0);
    RowFn row = row_function(src.name);
    std::int64_t rows = 0;
    auto report = [&] {
      if (hooks_.progress && !hooks_.progress(name, rows))
        throw CancelledError("load cancelled while reading source '" + name + "' (" + std::to_string(rows) +
                             " rows read)");
    };
    report();
    try {
      backend_.read(select, chunk, [&](const Chunk &c) {
        for (std::size_t r = 0; r < c.rows; ++r) (this->*row)(c, r);
        rows += static_cast<std::int64_t>(c.rows);
        report();
      });
    } catch (const DbFailure &e) {
      fail(e, name, context);
    }

    for (std::size_t w = 0; w < kWhyNames.size(); ++w) {
      if (skipped_[w]) data_.quality.add(name, kWhyNames[w], true, skipped_[w]);
      if (flagged_[w]) data_.quality.add(name, kWhyNames[w], false, flagged_[w]);
    }
    data_.rows_read.emplace_back(name, rows);
    set_present(src.name);
    // Order ids only group lines into orders: once every line has its dense
    // order id, the ids themselves are dropped (size() stays). Likewise the
    // ids kept only to find duplicates, before the next source grows the model.
    if (src.name == "order_lines") data_.order_lines.orders.release();
    if (src.name == "invoices") invoice_ids_.release();
    if (src.name == "feedback") feedback_ids_.release();
    if (src.name == "subscriptions") subscription_ids_.release();
  }

  RowFn row_function(std::string_view source) const {
    if (source == "customers") return &Loader::customer_row;
    if (source == "order_lines") return &Loader::order_line_row;
    if (source == "invoices") return &Loader::invoice_row;
    if (source == "tickets") return &Loader::ticket_row;
    if (source == "feedback") return &Loader::feedback_row;
    if (source == "subscriptions") return &Loader::subscription_row;
    return &Loader::retention_cost_row;
  }

  void set_present(std::string_view source) {
    auto &p = data_.present;
    if (source == "invoices") p.invoices = true;
    if (source == "tickets") p.tickets = true;
    if (source == "feedback") p.feedback = true;
    if (source == "subscriptions") p.subscriptions = true;
    if (source == "retention_costs") p.retention_costs = true;
  }

  // ---- per-row helpers ----------------------------------------------------

  void skip(Why w) { ++skipped_[static_cast<std::size_t>(w)]; }
  void flag(Why w) { ++flagged_[static_cast<std::size_t>(w)]; }

  void see(Day d) {
    if (data_.first_day == kNoDay || d < data_.first_day) data_.first_day = d;
  }

  // A date column as a local Day.
  Cell day_at(const Chunk &c, std::size_t col, std::size_t r, Day &out) const {
    if (c.null(col, r)) return Cell::null;
    long long v = c.integer(col, r);
    switch (meaning_[col]) {
      case Meaning::days:
        if (v < kMinDay || v > kMaxDay) return Cell::bad;
        out = static_cast<Day>(v);
        return Cell::ok;
      case Meaning::epoch_utc:
        if (v < kMinEpoch || v > kMaxEpoch) return Cell::bad;
        out = zone_.local_day(v);
        return Cell::ok;
      default:
        if (v < kMinEpoch || v > kMaxEpoch) return Cell::bad;
        out = floor_day(v);
        return Cell::ok;
    }
  }

  // A timestamp column as a UTC instant and its local Day.
  Cell instant_at(const Chunk &c, std::size_t col, std::size_t r, Seconds &utc, Day &local) const {
    if (c.null(col, r)) return Cell::null;
    long long v = c.integer(col, r);
    if (meaning_[col] == Meaning::days) {
      if (v < kMinDay || v > kMaxDay) return Cell::bad;
      v *= 86400;  // a date where a timestamp is expected: its midnight, as wall-clock time
    }
    if (v < kMinEpoch || v > kMaxEpoch) return Cell::bad;
    if (meaning_[col] != Meaning::epoch_utc && timestamps_local_) {
      // The stored wall-clock time is already local: its date is the local day.
      utc = zone_.to_utc(v);
      local = floor_day(v);
    } else {
      utc = v;
      local = zone_.local_day(v);
    }
    return Cell::ok;
  }

  bool finite_real(const Chunk &c, std::size_t col, std::size_t r) const { return std::isfinite(c.real(col, r)); }

  // The dense customer of a row of another source, implying unknown ones.
  // Consecutive rows often share a customer (lines of one order): the last
  // lookup is kept.
  std::uint32_t customer_ref(std::string_view id) {
    if (last_customer_ == kNoCustomer || id != last_customer_text_) {
      bool implied = false;
      last_customer_ = data_.customer_for(id, &implied);
      last_customer_implied_ = implied;
      last_customer_text_.assign(id);
    }
    if (last_customer_implied_ && flag_unknown_customers_) flag(Why::unknown_customer);
    return last_customer_;
  }

  std::uint32_t optional_customer(const Chunk &c, std::size_t col, std::size_t r) {
    return c.null(col, r) ? kNoCustomer : customer_ref(c.text(col, r));
  }

  // Adds id to the ids seen; false when it was there already (a duplicate).
  static bool first_sight(IdIndex &seen, std::string_view id) {
    const std::size_t before = seen.size();
    seen.intern(id);
    return seen.size() != before;
  }

  static std::uint32_t name_or_unknown(Dictionary &dict, const Chunk &c, std::size_t col, std::size_t r) {
    return dict.intern(c.null(col, r) ? std::string_view("unknown") : c.text(col, r));
  }

  // ---- one function per source: skip reasons in a fixed order (null, bad
  // value, out of scale, after as_of, duplicate), then flags on kept rows ---

  void customer_row(const Chunk &c, std::size_t r) {
    enum { kId, kSegment, kCreated };
    if (c.null(kId, r)) return skip(Why::null_mandatory);
    auto &cu = data_.customers;
    // One lookup: a new id is interned here (nothing below skips the row).
    const std::size_t known = cu.ids.size();
    cu.ids.intern(c.text(kId, r));
    if (cu.ids.size() == known) return skip(Why::duplicate_id);
    Day created = kNoDay;
    if (day_at(c, kCreated, r, created) == Cell::bad) {
      created = kNoDay;
      flag(Why::bad_value);
    }
    cu.segment.push_back(data_.segments.intern(c.null(kSegment, r) ? std::string_view("unassigned") : c.text(kSegment, r)));
    cu.created_on.push_back(created);
    cu.known.push_back(1);
  }

  void order_line_row(const Chunk &c, std::size_t r) {
    enum { kOrder, kCustomer, kDate, kCategory, kAmount };
    if (c.null(kOrder, r) || c.null(kCustomer, r) || c.null(kDate, r) || c.null(kAmount, r))
      return skip(Why::null_mandatory);
    Day d = kNoDay;
    if (day_at(c, kDate, r, d) != Cell::ok || !finite_real(c, kAmount, r)) return skip(Why::bad_value);
    if (d > as_of_) return skip(Why::after_as_of);
    auto &ol = data_.order_lines;
    std::string_view order = c.text(kOrder, r);
    if (last_order_ == IdIndex::npos || order != last_order_text_) {
      last_order_ = ol.orders.intern(order);
      last_order_text_.assign(order);
    }
    const std::uint32_t customer = customer_ref(c.text(kCustomer, r));
    const std::uint32_t category = name_or_unknown(data_.categories, c, kCategory, r);
    see(d);
    // Every KPI reads lines at (order, category) grain: the next line of the
    // same order, customer, day and category only adds to the amount (summed
    // in row order, as the order total would be). ERP orders list many lines
    // of one product family one after the other, so this keeps the model at
    // a fraction of the line count.
    const std::size_t n = ol.size();
    if (n > 0 && ol.order[n - 1] == last_order_ && ol.customer[n - 1] == customer && ol.day[n - 1] == d &&
        ol.category[n - 1] == category) {
      ol.amount[n - 1] += c.real(kAmount, r);
      return;
    }
    ol.order.push_back(last_order_);
    ol.customer.push_back(customer);
    ol.day.push_back(d);
    ol.category.push_back(category);
    ol.amount.push_back(c.real(kAmount, r));
  }

  void invoice_row(const Chunk &c, std::size_t r) {
    enum { kId, kCustomer, kDate, kDue, kPaid, kAmount, kKind };
    if (c.null(kId, r) || c.null(kCustomer, r) || c.null(kDate, r) || c.null(kAmount, r) || c.null(kKind, r))
      return skip(Why::null_mandatory);
    std::string_view kind = c.text(kKind, r);
    Day d = kNoDay;
    if ((kind != "invoice" && kind != "credit_note") || day_at(c, kDate, r, d) != Cell::ok ||
        !finite_real(c, kAmount, r))
      return skip(Why::bad_value);
    if (d > as_of_) return skip(Why::after_as_of);
    if (!first_sight(invoice_ids_, c.text(kId, r))) return skip(Why::duplicate_id);

    bool bad = false;
    Day due = kNoDay, paid = kNoDay;
    if (day_at(c, kDue, r, due) == Cell::bad) due = kNoDay, bad = true;
    if (day_at(c, kPaid, r, paid) == Cell::bad) paid = kNoDay, bad = true;
    if (paid != kNoDay && paid > as_of_) paid = kNoDay;  // not paid yet as of as_of
    if (bad) flag(Why::bad_value);

    auto &inv = data_.invoices;
    inv.customer.push_back(customer_ref(c.text(kCustomer, r)));
    inv.day.push_back(d);
    inv.due.push_back(due);
    inv.paid.push_back(paid);
    inv.amount.push_back(c.real(kAmount, r));  // as given: the profile signs credit notes
    inv.credit_note.push_back(kind == "credit_note" ? 1 : 0);
    see(d);
  }

  void ticket_row(const Chunk &c, std::size_t r) {
    enum { kId, kCustomer, kOpened, kFirstResponse, kResolved, kChannel, kCategory, kPriority, kReopen };
    if (c.null(kId, r) || c.null(kOpened, r)) return skip(Why::null_mandatory);
    Seconds opened = kNoTime;
    Day opened_day = kNoDay;
    if (instant_at(c, kOpened, r, opened, opened_day) != Cell::ok) return skip(Why::bad_value);
    if (opened_day > as_of_) return skip(Why::after_as_of);
    auto &t = data_.tickets;
    std::string_view id = c.text(kId, r);
    if (t.ids.find(id) != Dictionary::npos) return skip(Why::duplicate_id);

    bool bad = false, negative = false;
    // A later instant of the ticket: kNoTime when null, unreadable, before
    // opened (a negative duration) or after as_of (not happened yet).
    auto later = [&](std::size_t col, Day &day) {
      Seconds s = kNoTime;
      day = kNoDay;
      switch (instant_at(c, col, r, s, day)) {
        case Cell::null: return kNoTime;
        case Cell::bad: bad = true; return kNoTime;
        case Cell::ok: break;
      }
      if (s < opened) {
        negative = true;
        day = kNoDay;
        return kNoTime;
      }
      if (day > as_of_) {
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
    if (bad) flag(Why::bad_value);
    if (negative) flag(Why::negative_duration);

    t.ids.intern(id);  // == row index: ids are interned in row order
    t.customer.push_back(optional_customer(c, kCustomer, r));
    t.opened.push_back(opened);
    t.first_response.push_back(first_response);
    t.resolved.push_back(resolved);
    t.opened_day.push_back(opened_day);
    t.resolved_day.push_back(resolved_day);
    t.channel.push_back(name_or_unknown(data_.channels, c, kChannel, r));
    t.category.push_back(name_or_unknown(data_.categories, c, kCategory, r));
    t.priority.push_back(name_or_unknown(data_.priorities, c, kPriority, r));
    t.reopen_count.push_back(reopen);
    see(opened_day);
  }

  void feedback_row(const Chunk &c, std::size_t r) {
    enum { kId, kCustomer, kAnswered, kKind, kScore, kTicket };
    if (c.null(kId, r) || c.null(kAnswered, r) || c.null(kKind, r) || c.null(kScore, r))
      return skip(Why::null_mandatory);
    std::string_view kind_text = c.text(kKind, r);
    FeedbackKind kind;
    long long lo = 1, hi;
    if (kind_text == "nps")
      kind = FeedbackKind::nps, lo = 0, hi = 10;
    else if (kind_text == "csat")
      kind = FeedbackKind::csat, hi = csat_scale_;
    else if (kind_text == "ces")
      kind = FeedbackKind::ces, hi = ces_scale_;
    else
      return skip(Why::bad_value);
    Seconds answered = kNoTime;
    Day day = kNoDay;
    if (instant_at(c, kAnswered, r, answered, day) != Cell::ok) return skip(Why::bad_value);
    long long score = c.integer(kScore, r);
    if (score < lo || score > hi) return skip(Why::score_out_of_scale);
    if (day > as_of_) return skip(Why::after_as_of);
    if (!first_sight(feedback_ids_, c.text(kId, r))) return skip(Why::duplicate_id);

    auto &f = data_.feedback;
    f.customer.push_back(optional_customer(c, kCustomer, r));
    f.answered.push_back(answered);
    f.day.push_back(day);
    f.kind.push_back(kind);
    f.score.push_back(static_cast<std::int32_t>(score));
    // Tickets are loaded before feedback; an unknown or skipped ticket is no link.
    f.ticket.push_back(c.null(kTicket, r) ? UINT32_MAX : data_.tickets.ids.find(c.text(kTicket, r)));
    see(day);
  }

  void subscription_row(const Chunk &c, std::size_t r) {
    enum { kId, kCustomer, kStart, kEnd, kMrr };
    if (c.null(kId, r) || c.null(kCustomer, r) || c.null(kStart, r) || c.null(kMrr, r))
      return skip(Why::null_mandatory);
    Day start = kNoDay;
    if (day_at(c, kStart, r, start) != Cell::ok || !finite_real(c, kMrr, r)) return skip(Why::bad_value);
    if (start > as_of_) return skip(Why::after_as_of);
    if (!first_sight(subscription_ids_, c.text(kId, r))) return skip(Why::duplicate_id);
    Day end = kNoDay;
    if (day_at(c, kEnd, r, end) == Cell::bad) {
      end = kNoDay;
      flag(Why::bad_value);
    }
    auto &s = data_.subscriptions;
    s.customer.push_back(customer_ref(c.text(kCustomer, r)));
    s.start.push_back(start);
    s.end.push_back(end);
    s.mrr.push_back(c.real(kMrr, r));
    see(start);
  }

  void retention_cost_row(const Chunk &c, std::size_t r) {
    enum { kDate, kAmount };
    if (c.null(kDate, r) || c.null(kAmount, r)) return skip(Why::null_mandatory);
    Day d = kNoDay;
    if (day_at(c, kDate, r, d) != Cell::ok || !finite_real(c, kAmount, r)) return skip(Why::bad_value);
    if (d > as_of_) return skip(Why::after_as_of);
    data_.retention_costs.day.push_back(d);
    data_.retention_costs.amount.push_back(c.real(kAmount, r));
    see(d);
  }

  Backend &backend_;
  const Profile &profile_;
  TimeZone zone_;
  bool timestamps_local_;
  Day as_of_;
  long long csat_scale_, ces_scale_;
  bool flag_unknown_customers_;
  const LoadHooks &hooks_;
  Dataset data_;

  std::vector<Meaning> meaning_;  // per loaded column of the current source
  std::array<std::int64_t, kWhyNames.size()> skipped_{}, flagged_{};
  // Ids seen, for duplicate detection of sources whose ids the model drops.
  IdIndex invoice_ids_, feedback_ids_, subscription_ids_;
  std::uint32_t last_customer_ = kNoCustomer;
  bool last_customer_implied_ = false;
  std::string last_customer_text_;
  std::uint32_t last_order_ = IdIndex::npos;
  std::string last_order_text_;
};

}  // namespace

Dataset read_sources(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                     std::span<const CanonicalSource> sources, bool flag_unknown_customers) {
  return Loader(backend, p, s, as_of, hooks, flag_unknown_customers).run(sources);
}

Dataset load_sequential(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                        bool begun) {
  try {
    if (!begun) step(backend, "starting the read-only transaction", [&] { backend.begin(); });
    Dataset data = read_sources(backend, p, s, as_of, hooks, canonical_sources(), true);
    step(backend, "committing the read-only transaction", [&] { backend.commit(); });
    return data;
  } catch (...) {
    backend.rollback();
    throw;
  }
}

}  // namespace source_detail

Dataset load_dataset(soci::session &db, Dialect dialect, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks) {
  using namespace source_detail;
  if (db.get_backend_name() != dialect_name(dialect))
    throw ConfigError("the session is a " + db.get_backend_name() + " session, not " + dialect_name(dialect));
  if (as_of == kNoDay) throw ConfigError("as_of is not resolved");
  auto impl = make_backend(dialect, db);
  if (hooks.second_session) return load_shared_snapshot(*impl, p, s, as_of, hooks);
  return load_sequential(*impl, p, s, as_of, hooks, false);
}

Dataset load_dataset(soci::session &db, std::string_view backend, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks) {
  return load_dataset(db, parse_dialect(backend), p, s, as_of, hooks);
}

}  // namespace cskpi
