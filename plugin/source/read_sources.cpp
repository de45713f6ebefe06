// The load on one connection (load_steps.hpp): each canonical source's
// profile SELECT is described, wrapped in the normalising SELECT its
// declaration (canonical.cpp) and the backend plan, and streamed in chunks
// through the source's row handler (source_rows.cpp).
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/errors.hpp"
#include "incremental/model_file.hpp"
#include "source/backend.hpp"
#include "source/canonical.hpp"
#include "source/load_steps.hpp"
#include "source/row_reader.hpp"

namespace cskpi::source_detail {
namespace {

// The columns change capture adds (docs/profiles/README.md): `live` after a
// changes SELECT's canonical columns, the documents SELECT's one column.
constexpr CanonicalColumn kLiveColumn{"live", ColumnKind::integer, false, true};
constexpr CanonicalColumn kDocumentColumn[] = {{"document_id", ColumnKind::text, false, true}};

// 'YYYY-MM-DD HH:MM:SS' less `minutes` (the watermark less the overlap).
std::string minus_minutes(const std::string &utc, int minutes) {
  const long long at = strict_iso_seconds(utc);
  if (at == kBadValue) throw SourceError("the saved watermark '" + utc + "' is no timestamp");
  const long long s = at - 60LL * minutes;
  const Day d = floor_day(s);
  const long long in_day = s - static_cast<long long>(d) * 86400;
  char clock[64];
  std::snprintf(clock, sizeof clock, " %02lld:%02lld:%02lld", in_day / 3600, in_day / 60 % 60, in_day % 60);
  return format_day(d) + clock;
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
         bool flag_unknown_customers, ModelLoad *through)
      : backend_(backend), profile_(profile), hooks_(hooks), rows_(s, as_of, flag_unknown_customers),
        through_(through) {}

  Dataset run(std::optional<ReadOn> only) {
    // The watermark: the source's clock as the read transaction starts
    // (docs/nightly.md "Incremental runs").
    if (through_) watermark_ = clock();
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

    Planned planned = plan_select(name, context, sql, src.columns, false);
    rows_.begin_source(planned.meanings);
    std::int64_t rows = 0;
    auto report = [&] {
      if (hooks_.progress && !hooks_.progress(name, rows))
        throw CancelledError("load cancelled while reading source '" + name + "' (" + std::to_string(rows) +
                             " rows read)");
    };
    report();
    // The sink's chunk is `planned.chunk` itself: its text is repaired in
    // place before any handler reads it.
    auto handle = [&](Chunk &c) {
      rows_.repair_text(c);
      for (std::size_t r = 0; r < c.rows; ++r) src.row(rows_, c, r);
      rows += static_cast<std::int64_t>(c.rows);
      report();
    };
    if (through_ && profile_.changes.count(name)) {
      // Read into the model's raw rows, then replayed through the same
      // handlers, in the model's order (docs/nightly.md "Incremental runs").
      incremental::SourceModel &model = through_->model->sources[name];
      read_into_model(src, name, context, planned, model);
      model.rows.replay(planned.chunk, handle);
    } else {
      try {
        backend_.read(planned.select, planned.chunk, [&](const Chunk &) { handle(planned.chunk); });
      } catch (const DbFailure &e) {
        fail(e, name, context);
      }
      rows_.data().rows_read.emplace_back(name, rows);
    }

    rows_.end_source(src.name);
    if (src.finish) src.finish(rows_.data());
    if (src.present) rows_.data().present.*src.present = true;
  }

  // A SELECT wrapped in the normalising SELECT of `columns`: its text, a chunk
  // of its loaded columns' wires and their meanings.
  struct Planned {
    std::string select;
    Chunk chunk;
    std::vector<Meaning> meanings;
  };

  // Columns first, before any row is read: a wrong profile fails fast with
  // a message that says what the SELECT returned.
  Planned plan_select(const std::string &name, const std::string &context, const std::string &sql,
                      std::span<const CanonicalColumn> columns, bool since) {
    std::vector<ResultColumn> have;
    try {
      have = since ? backend_.describe_since(sql) : backend_.describe(sql);
    } catch (const DbFailure &e) {
      fail(e, name, context);
    }
    Planned out;
    out.select = "SELECT ";
    for (const auto &want : columns) {
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
      if (!out.meanings.empty()) out.select += ",\n       ";
      out.select += planned->expr;
      out.chunk.cols.emplace_back().wire = planned->wire;
      out.meanings.push_back(planned->meaning);
    }
    out.select += "\nFROM (\n" + sql + "\n) AS src";
    return out;
  }

  std::vector<Wire> wires_of(const Chunk &c) const {
    std::vector<Wire> out;
    for (const auto &col : c.cols) out.push_back(col.wire);
    return out;
  }

  std::string clock() {
    try {
      return backend_.utc_clock();
    } catch (const DbFailure &e) {
      throw SourceError(std::string(backend_.name()) + ": failed reading the database's clock: " + e.what());
    }
  }

  // A change-captured source into its raw rows: in full (rows sorted by
  // document), or its saved rows updated with the changes since its
  // watermark (less the overlap) and the documents that still exist.
  void read_into_model(const CanonicalSource &src, const std::string &name, const std::string &context,
                       Planned &planned, incremental::SourceModel &model) {
    if (!through_->incremental || model.watermark.empty()) {
      incremental::RawRows fresh(wires_of(planned.chunk));
      try {
        backend_.read(planned.select, planned.chunk, [&](const Chunk &c) { fresh.append(c); });
      } catch (const DbFailure &e) {
        fail(e, name, context);
      }
      fresh.sort_documents();
      model.rows = std::move(fresh);
      rows_.data().rows_read.emplace_back(name, static_cast<std::int64_t>(model.rows.rows()));
    } else {
      apply_changes(src, name, context, model);
    }
    model.watermark = watermark_;
  }

  void apply_changes(const CanonicalSource &src, const std::string &name, const std::string &context,
                     incremental::SourceModel &model) {
    const std::string since = minus_minutes(model.watermark, through_->overlap_minutes);
    std::vector<CanonicalColumn> with_live(src.columns.begin(), src.columns.end());
    with_live.push_back(kLiveColumn);
    const std::string changes_context = context + " (" + name + ".changes.sql)";
    Planned changes = plan_select(name, changes_context, profile_.changes.at(name), with_live, true);
    incremental::RawRows changed(wires_of(changes.chunk));
    try {
      backend_.read_since(changes.select, since, changes.chunk, [&](const Chunk &c) { changed.append(c); });
    } catch (const DbFailure &e) {
      fail(e, name, changes_context);
    }
    const std::string documents_context = context + " (" + name + ".documents.sql)";
    Planned documents = plan_select(name, documents_context, profile_.documents.at(name), kDocumentColumn, false);
    auto exists = model.rows.no_documents();
    std::int64_t keys = 0;
    try {
      backend_.read(documents.select, documents.chunk, [&](const Chunk &c) {
        for (std::size_t r = 0; r < c.rows; ++r)
          if (!c.null(0, r)) model.rows.mark_document(exists, c.text(0, r));
        keys += static_cast<std::int64_t>(c.rows);
      });
    } catch (const DbFailure &e) {
      fail(e, name, documents_context);
    }
    rows_.data().rows_read.emplace_back(name, static_cast<std::int64_t>(changed.rows()));
    rows_.data().rows_read.emplace_back(name + ".documents", keys);
    model.rows.apply(std::move(changed), exists);
  }

  Backend &backend_;
  const Profile &profile_;
  const LoadHooks &hooks_;
  RowReader rows_;
  ModelLoad *through_;
  std::string watermark_;  // through_: the source's UTC clock as the load began
};

}  // namespace

Dataset read_sources(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                     std::optional<ReadOn> only, bool flag_unknown_customers, ModelLoad *through) {
  return Loader(backend, p, s, as_of, hooks, flag_unknown_customers, through).run(only);
}

Dataset load_sequential(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                        bool begun, ModelLoad *through) {
  try {
    if (!begun) step(backend, "starting the read-only transaction", [&] { backend.begin(); });
    Dataset data = read_sources(backend, p, s, as_of, hooks, std::nullopt, true, through);
    step(backend, "committing the read-only transaction", [&] { backend.commit(); });
    return data;
  } catch (...) {
    backend.rollback();
    throw;
  }
}

}  // namespace cskpi::source_detail
