// The load on one connection (load_steps.hpp): each canonical source's
// profile SELECT is described, wrapped in the normalising SELECT its
// declaration (canonical.cpp) and the backend plan, and streamed in chunks
// through the source's row handler (source_rows.cpp).
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "source/backend.hpp"
#include "source/canonical.hpp"
#include "source/load_steps.hpp"
#include "source/row_reader.hpp"

namespace cskpi::source_detail {
namespace {

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
      : backend_(backend), profile_(profile), hooks_(hooks), rows_(s, as_of, flag_unknown_customers) {}

  Dataset run(std::optional<ReadOn> only) {
    for (const auto &src : canonical_sources())
      if (!only || src.read_on == *only) load_source(src);
    return rows_.take();
  }

 private:
  ErrorFacts facts(std::string_view source) const {
    ErrorFacts f;
    f.profile = profile_.name;
    f.source = std::string(source);
    return f;
  }

  [[noreturn]] void fail(const DbFailure &e, std::string_view source, const std::string &context) const {
    ErrorFacts f = facts(source);
    // A server quotes the value it refused; a 400-digit one is no help.
    const std::string what = shorten_literals(e.what());
    f.detail = what;
    if (e.connection)
      throw SourceError(std::string(backend_.name()) + " failed while reading " + context + ": " + what, std::move(f));
    f.problem = ProfileProblem::sql;
    throw ProfileError(context + ": SQL error: " + what, std::move(f));
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
    std::vector<Meaning> meanings;
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
      if (!meanings.empty()) select += ",\n       ";
      select += planned->expr;
      chunk.cols.emplace_back().wire = planned->wire;
      meanings.push_back(planned->meaning);
    }
    select += "\nFROM (\n" + sql + "\n) AS src";

    rows_.begin_source(std::move(meanings));
    std::int64_t rows = 0;
    auto report = [&] {
      if (hooks_.progress && !hooks_.progress(name, rows))
        throw CancelledError("load cancelled while reading source '" + name + "' (" + std::to_string(rows) +
                             " rows read)");
    };
    report();
    try {
      // The sink's chunk is `chunk` itself: its text is repaired in place
      // before any handler reads it.
      backend_.read(select, chunk, [&](const Chunk &c) {
        rows_.repair_text(chunk);
        for (std::size_t r = 0; r < c.rows; ++r) src.row(rows_, c, r);
        rows += static_cast<std::int64_t>(c.rows);
        report();
      });
    } catch (const DbFailure &e) {
      fail(e, name, context);
    }

    rows_.end_source(src.name);
    if (src.finish) src.finish(rows_.data());
    rows_.data().rows_read.emplace_back(name, rows);
    if (src.present) rows_.data().present.*src.present = true;
  }

  Backend &backend_;
  const Profile &profile_;
  const LoadHooks &hooks_;
  RowReader rows_;
};

}  // namespace

Dataset read_sources(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                     std::optional<ReadOn> only, bool flag_unknown_customers) {
  return Loader(backend, p, s, as_of, hooks, flag_unknown_customers).run(only);
}

Dataset load_sequential(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                        bool begun) {
  try {
    if (!begun) step(backend, "starting the read-only transaction", [&] { backend.begin(); });
    Dataset data = read_sources(backend, p, s, as_of, hooks, std::nullopt, true);
    step(backend, "committing the read-only transaction", [&] { backend.commit(); });
    return data;
  } catch (...) {
    backend.rollback();
    throw;
  }
}

}  // namespace cskpi::source_detail
