// The "profile_check" table: the first thing an integrator runs against a new
// profile (docs/cli.md, "check-profile"). Every canonical source of the
// configured profile is read on its own, limited to N rows, through the same
// loader a run uses (so "ok" means a run will read it), and described for an
// ERP administrator: did it read, how many rows, how complete are its key
// columns, which dates does it cover, and what would a run skip or flag.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <soci/soci.h>

#include "core/dialect.hpp"
#include "core/errors.hpp"
#include "core/kpi_results.hpp"  // kNull
#include "source/backend.hpp"
#include "source/canonical.hpp"
#include "source/database.hpp"
#include "source/load_steps.hpp"
#include "source/profile.hpp"
#include "source/profile_check.hpp"

namespace cskpi {
namespace {

using namespace source_detail;

// The loader is given this as_of so that no row is dropped for its date; rows
// after the real as_of are counted here instead (and reported).
constexpr Day kFarFuture = 2932896;  // 9999-12-31

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string join(const std::vector<std::string> &items, std::string_view sep = ", ") {
  std::string out;
  for (const auto &i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

bool is_missing_relation(std::string_view message) {
  return message.find("does not exist") != std::string_view::npos ||   // PostgreSQL
         message.find("no such table") != std::string_view::npos ||    // SQLite
         message.find("doesn't exist") != std::string_view::npos;      // MySQL / MariaDB
}

// A loader ProfileError, reworded for the person who has to fix the SQL
// (from the error's facts: core/errors.hpp).
std::string explain(const ProfileError &e, const CanonicalSource &src) {
  const ErrorFacts &f = e.facts;
  const std::string file = std::string(src.name) + ".sql";
  switch (f.problem) {
    case ProfileProblem::missing_column: {
      std::string out = "column " + f.column + " is missing: the SELECT returns " +
                        (f.returned.empty() ? std::string("no columns") : join(f.returned)) +
                        " — add `<expression> AS " + f.column + "` to the SELECT list of " + file;
      for (const auto &r : f.returned) {
        bool canonical = false;
        for (const auto &c : src.columns) canonical = canonical || c.name == r;
        if (canonical) continue;
        if (lower(r) == f.column)
          out += " (the SELECT has '" + r + "': write the alias in lower case)";
        else if (edit_distance(lower(r), f.column) <= 2)
          out += " ('" + r + "' looks like a misspelling of " + f.column + ")";
      }
      return out;
    }
    case ProfileProblem::sql: {
      std::string out = "the SELECT of " + file + " fails: " + f.detail;
      while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
      if (is_missing_relation(f.detail))
        out += src.mandatory
                   ? " — check the table names (and the schema: the connection's search path)"
                   : " — if that table belongs to an ERP module that is not installed, add the line "
                     "'-- cskpi:requires <table>' to " + file + " (the source is then left out when the table is "
                     "missing) or delete the file";
      return out;
    }
    case ProfileProblem::twice:
    case ProfileProblem::column_type: {
      std::string out = "column '" + f.column + "' " + f.detail;
      if (!f.returned.empty()) out += "; the SELECT returns " + join(f.returned);
      return out;
    }
    case ProfileProblem::none: break;
  }
  return e.what();
}

// What the loader's data-quality reasons mean, for a person.
std::string reason_words(const std::string &why, const CanonicalSource &src) {
  if (why == reason::null_mandatory) {
    std::vector<std::string> cols;
    for (const auto &c : src.columns)
      if (!c.nullable && c.loaded) cols.emplace_back(c.name);
    return "a mandatory column is null (" + join(cols, ", ") + ")";
  }
  if (why == reason::bad_value) return std::string(src.bad_value_words);
  if (why == reason::duplicate_id) return "the same id appears more than once (only the first row is kept)";
  if (why == reason::negative_duration) return "answered or resolved before it was opened";
  if (why == reason::score_out_of_scale) return "score outside its scale (nps 0-10, csat 1-csat_scale, ces 1-ces_scale)";
  if (why == reason::end_not_after_start) return "end_date on or before start_date (the contract covers no day; left out)";
  if (why == reason::mixed_customer_order)
    return "a line names another customer than its order's first line (the order counts for the first one)";
  if (why == reason::invalid_text) return "text that is not UTF-8 or holds a NUL (replaced by U+FFFD / removed)";
  if (why == reason::long_text) return "text over 500 bytes (truncated)";
  return why;
}

struct CheckRow {
  std::string source, status, findings;
  std::string capture = "none";  // none | ok | broken
  bool mandatory = false;
  std::optional<std::int64_t> rows;
  double customer_null = kNull, date_null = kNull;
  Day min_date = kNoDay, max_date = kNoDay;
  std::size_t notes = 0;  // ok rows: index into Checker::notes_ until findings are written
};

class Checker {
 public:
  Checker(const Settings &s, std::int64_t limit, Day as_of) : settings_(s), limit_(limit), as_of_(as_of) {}

  Table run() {
    const auto &src = settings_.source;
    const Dialect dialect = parse_dialect(src.backend);
    profile_ = load_profile(src.profile, dialect_name(dialect),
                            {.parameters = settings_.source_parameters, .allow_missing_mandatory = true});
    db_ = open_session(src);
    backend_ = make_backend(dialect, *db_);
    std::vector<CheckRow> rows;
    for (const auto &s : canonical_sources()) rows.push_back(check(s));
    match_customers(rows);
    return table(rows);
  }

 private:
  std::string limited(const std::string &sql) const {
    return "SELECT * FROM (\n" + sql + "\n) AS cskpi_check LIMIT " + std::to_string(limit_);
  }

  // One source read by the loader, in the loader's read-only transaction.
  Dataset load(const CanonicalSource &src, const std::string &sql) {
    const std::string source(src.name);
    Profile one;
    one.name = profile_.name;
    one.sql[source] = sql;
    if (auto r = profile_.requires_relations.find(source); r != profile_.requires_relations.end())
      one.requires_relations[source] = r->second;
    return load_sequential(*backend_, one, settings_, kFarFuture, {}, false);
  }

  // The single row of counts `select` returns, read in the same kind of
  // read-only transaction; nullopt when the database refuses it.
  std::optional<std::vector<long long>> count_row(const std::string &select, std::size_t columns) {
    Chunk chunk;
    chunk.cols.resize(columns);
    for (auto &c : chunk.cols) c.wire = Wire::int64;
    std::optional<std::vector<long long>> out;
    try {
      backend_->begin();
      backend_->read(select, chunk, [&](const Chunk &c) {
        if (c.rows != 1 || out) return;
        out.emplace();
        for (std::size_t i = 0; i < columns; ++i) out->push_back(c.null(i, 0) ? 0 : c.integer(i, 0));
      });
      backend_->commit();
    } catch (const std::exception &) {
      backend_->rollback();
      return std::nullopt;
    }
    return out;
  }

  CheckRow check(const CanonicalSource &src) {
    CheckRow row;
    row.source = std::string(src.name);
    row.mandatory = src.mandatory;
    const std::string file = row.source + ".sql";
    auto it = profile_.sql.find(row.source);
    if (it == profile_.sql.end()) {
      row.status = "missing";
      row.findings = src.mandatory ? "the profile has no " + file + ": " + row.source +
                                         " is mandatory, no KPI can be computed without it"
                                   : "not in the profile (no " + file + "): its KPIs are reported as unavailable";
      return row;
    }
    Dataset data;
    try {
      data = load(src, limited(it->second));
    } catch (const ProfileError &e) {
      row.status = "broken";
      row.findings = explain(e, src);
      return row;
    }
    auto read = std::find_if(data.rows_read.begin(), data.rows_read.end(),
                             [&](const auto &r) { return r.first == row.source; });
    if (read == data.rows_read.end()) {
      std::vector<std::string> needed;
      if (profile_.name == "canonical") needed.push_back(row.source);
      if (auto r = profile_.requires_relations.find(row.source); r != profile_.requires_relations.end())
        needed.insert(needed.end(), r->second.begin(), r->second.end());
      row.status = "missing";
      if (profile_.name == "canonical")
        row.findings = "left out: there is no table or view named " + row.source +
                       " (create one with the canonical columns to provide it); its KPIs are reported as unavailable";
      else
        row.findings = "left out: a table or view it needs does not exist (it needs " + join(needed) +
                       "); the ERP module that provides it is probably not installed, and its KPIs are reported "
                       "as unavailable";
      return row;
    }
    row.status = "ok";
    row.rows = read->second;
    null_rates(src, it->second, row);
    std::vector<std::string> notes;
    check_capture(src, row, notes);

    std::vector<std::uint32_t> customers;
    std::vector<Day> days;
    const SourceRows kept = src.rows(data);
    if (kept.customer) customers = *kept.customer;
    days = *kept.day;
    std::int64_t after = 0;
    for (Day d : days) {
      if (d == kNoDay) continue;
      if (row.min_date == kNoDay || d < row.min_date) row.min_date = d;
      if (row.max_date == kNoDay || d > row.max_date) row.max_date = d;
      if (d > as_of_) ++after;
    }

    if (*row.rows == 0)
      notes.push_back("the SELECT returned no rows" +
                      std::string(src.mandatory ? ": check its WHERE clause (document states, company)" : ""));
    for (const auto &[key, f] : data.quality.findings()) {
      if (key.first != row.source || key.second == reason::unknown_customer) continue;
      notes.push_back(plural(f.rows, "row", "rows") + (f.skipped ? " skipped: " : " flagged: ") +
                      reason_words(key.second, src));
    }
    if (after > 0 && !src.defines_customers)
      notes.push_back(plural(after, "row is", "rows are") + " dated after as_of (" + format_day(as_of_) +
                      ") and left out of a run");
    if (src.refers_to_customers) {
      pending_.push_back({notes_.size(), row.source});
      customer_refs_.emplace_back();
      auto &refs = customer_refs_.back();
      for (auto c : customers)
        refs.push_back(c == kNoCustomer ? std::string() : std::string(data.customers.ids.name(c)));
    }
    row.notes = notes_.size();
    notes_.push_back(std::move(notes));
    return row;
  }

  // The columns an incremental run reads from a SELECT (described, not
  // run); the missing ones, in declaration order.
  std::vector<std::string> missing_columns(const std::string &sql, std::vector<std::string_view> want) {
    std::vector<ResultColumn> have;
    try {
      backend_->begin();
      have = backend_->describe_since(sql);
      backend_->commit();
    } catch (const DbFailure &e) {
      backend_->rollback();
      return {"(the SELECT fails: " + shorten_literals(e.what()) + ")"};
    }
    std::vector<std::string> missing;
    for (auto w : want)
      if (std::none_of(have.begin(), have.end(), [&](const ResultColumn &h) { return h.name == w; }))
        missing.emplace_back(w);
    return missing;
  }

  // Change capture (docs/profiles/README.md): the changes SELECT returns the
  // source's columns plus live, the documents SELECT document_id.
  void check_capture(const CanonicalSource &src, CheckRow &row, std::vector<std::string> &notes) {
    auto changes = profile_.changes.find(row.source);
    if (changes == profile_.changes.end()) return;
    std::vector<std::string_view> want;
    for (const auto &c : src.columns) want.push_back(c.name);
    want.push_back("live");
    std::vector<std::string> problems;
    if (auto m = missing_columns(changes->second, want); !m.empty())
      problems.push_back(row.source + ".changes.sql lacks " + join(m));
    if (auto m = missing_columns(profile_.documents.at(row.source), {"document_id"}); !m.empty())
      problems.push_back(row.source + ".documents.sql lacks " + join(m));
    row.capture = problems.empty() ? "ok" : "broken";
    if (!problems.empty())
      notes.push_back("change capture is broken (" + join(problems, "; ") +
                      "): every nightly run reads this source in full until it is fixed");
  }

  // customer_id and date null rates over the same limited rows.
  void null_rates(const CanonicalSource &src, const std::string &sql, CheckRow &row) {
    bool with_customer = src.defines_customers || src.refers_to_customers;  // it has a customer_id
    std::string select = "SELECT COUNT(*)";
    if (with_customer) select += ", COUNT(customer_id)";
    select += ", COUNT(" + std::string(src.date_column) + ") FROM (\n" + limited(sql) + "\n) AS cskpi_counts";
    auto counts = count_row(select, with_customer ? 3 : 2);
    if (!counts || (*counts)[0] == 0) return;
    double n = static_cast<double>((*counts)[0]);
    if (with_customer) row.customer_null = 1.0 - static_cast<double>((*counts)[1]) / n;
    row.date_null = 1.0 - static_cast<double>(counts->back()) / n;
  }

  // Customer ids of the other sources against every customer (not only the
  // first N): the mismatch an integration most often has (ids formatted
  // differently in two queries).
  void match_customers(std::vector<CheckRow> &rows) {
    const CheckRow *customers_row = nullptr;
    for (const auto &r : rows)
      if (find_canonical_source(r.source)->defines_customers) customers_row = &r;
    std::unordered_set<std::string> known;
    bool have_customers = customers_row && customers_row->status == "ok";
    if (have_customers && !pending_.empty()) {
      try {
        const CanonicalSource &src = *find_canonical_source(customers_row->source);
        Dataset all = load(src, profile_.sql.at(customers_row->source));
        for (std::size_t i = 0; i < all.customers.size(); ++i)
          if (all.customers.known[i]) known.insert(std::string(all.customers.ids.name(static_cast<std::uint32_t>(i))));
      } catch (const ProfileError &) {
        have_customers = false;  // readable with a limit but not in full: reported by a run
      }
    }
    for (std::size_t p = 0; p < pending_.size(); ++p) {
      if (!have_customers) break;
      std::int64_t unknown = 0;
      std::string example;
      for (const auto &id : customer_refs_[p]) {
        if (id.empty() || known.count(id)) continue;
        if (unknown++ == 0) example = id;
      }
      if (unknown > 0)
        notes_[pending_[p].first].push_back(
            plural(unknown, "row names a customer_id", "rows name a customer_id") +
            " not found in customers (e.g. '" + example + "'): counted, in segment 'unassigned' — compare how " +
            pending_[p].second + ".sql and customers.sql build customer_id");
    }
    for (auto &r : rows) {
      if (r.status != "ok") continue;
      const auto &notes = notes_[r.notes];
      r.findings = notes.empty() ? "no problems found" : join(notes, "; ");
    }
  }

  Table table(const std::vector<CheckRow> &rows) const {
    Table t(kProfileCheckTable);
    const auto c_source = t.column_index("source"), c_status = t.column_index("status"),
               c_mandatory = t.column_index("mandatory"), c_rows = t.column_index("rows");
    const auto c_cnull = t.column_index("customer_id_null_rate"), c_dnull = t.column_index("date_null_rate");
    const auto c_min = t.column_index("min_date"), c_max = t.column_index("max_date"),
               c_findings = t.column_index("findings"), c_capture = t.column_index("change_capture");
    for (const auto &r : rows) {
      t.push_text(c_source, r.source);
      t.push_text(c_status, r.status);
      t.push_bool(c_mandatory, r.mandatory);
      if (r.rows)
        t.push_int(c_rows, *r.rows);
      else
        t.push_null(c_rows);
      t.push_real(c_cnull, r.customer_null);
      t.push_real(c_dnull, r.date_null);
      t.push_date(c_min, r.min_date);
      t.push_date(c_max, r.max_date);
      t.push_text(c_capture, r.capture);
      t.push_text(c_findings, r.findings);
    }
    return t;
  }

  const Settings &settings_;
  std::int64_t limit_;
  Day as_of_;
  Profile profile_;
  std::unique_ptr<soci::session> db_;
  std::unique_ptr<Backend> backend_;  // over db_
  std::vector<std::vector<std::string>> notes_;                  // per ok source
  std::vector<std::pair<std::size_t, std::string>> pending_;      // (notes index, source) to match
  std::vector<std::vector<std::string>> customer_refs_;           // per pending: customer id per kept row
};

}  // namespace

Table profile_check_table(const Settings &settings, std::int64_t limit, Day as_of) {
  if (limit < 1) throw ConfigError("profile_check: limit must be >= 1");
  return Checker(settings, limit, as_of).run();
}

}  // namespace cskpi
