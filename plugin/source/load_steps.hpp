// Internal to plugin/source: the two loads load_dataset (loader.cpp) chooses
// from, each an entry point of its own: the load on one connection
// (read_sources.cpp) and the load over two connections sharing one snapshot
// (shared_snapshot_load.cpp), which reads each connection's sources with the
// first and falls back to it. Nothing here calls back into loader.cpp.
#pragma once

#include <optional>
#include <string>

#include "core/dataset.hpp"
#include "core/errors.hpp"
#include "core/settings.hpp"
#include "source/backend.hpp"
#include "source/canonical.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"

namespace cskpi::source_detail {

// Runs one transaction step (begin, commit); a database failure becomes a
// SourceError saying what failed.
template <class F>
void step(Backend &backend, const char *what, F &&f) {
  try {
    f();
  } catch (const DbFailure &e) {
    throw SourceError(std::string(backend.name()) + ": failed " + what + ": " + e.what());
  }
}

// Reads the canonical sources (those read on connection `only`, or all) in
// canonical order into a new Dataset,
// inside the transaction the caller began on `backend` and ends. The rules,
// errors and progress reports are load_dataset's. Without
// `flag_unknown_customers` no row is flagged unknown_customer: a load that
// does not read customers implies every customer it sees, so the flag is only
// meaningful once the customers are merged (shared_snapshot_load.cpp).
Dataset read_sources(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                     std::optional<ReadOn> only, bool flag_unknown_customers, ModelLoad *through = nullptr);

// Every source on one connection in one transaction: begins it (unless
// `begun`: the caller already did), commits it, rolls it back on any failure.
// With `through`, through the saved model (loader.hpp, ModelLoad).
Dataset load_sequential(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks,
                        bool begun, ModelLoad *through = nullptr);

// customers and order_lines on `backend`, the other sources on a second
// session (hooks.second_session) whose transaction imports the first one's
// snapshot; the result is the sequential load's. Falls back to
// load_sequential (telling hooks.log why) when the snapshot cannot be shared.
Dataset load_shared_snapshot(Backend &backend, const Profile &p, const Settings &s, Day as_of, const LoadHooks &hooks);

}  // namespace cskpi::source_detail
