// The C ABI of abi/cskpi.h over the C++ engine. Every entry point catches
// everything and turns it into a status plus a message: no exception and no
// C++ type crosses the boundary. Misuse a host can commit by accident is
// detected, not undefined (docs/abi.md "Misuse"): handles are looked up in a
// registry of live ones (a freed handle cannot be asked for a magic number
// safely), and an engine already inside a call refuses a second one.
#include "cskpi.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "nightly/nightly.hpp"
#include "report/report.hpp"

struct cskpi_engine {
  cskpi::Engine engine;
  std::string error;
  // Set (under the registry's lock) while a call runs on the engine, with the
  // thread that runs it: a second call is refused, from a callback of the
  // first (same thread) or from another thread.
  std::atomic<bool> busy{false};
  std::atomic<std::thread::id> owner{};
  explicit cskpi_engine(cskpi::Settings s) : engine(std::move(s)) {}
};

struct cskpi_result {
  cskpi::Table table;
  std::mutex json_mutex;  // results are readable from several threads at once
  std::string json;
  bool json_ready = false;
  explicit cskpi_result(cskpi::Table t) : table(std::move(t)) {}
};

namespace {

thread_local std::string g_last_error;

// The status of each error kind (core/errors.hpp): same order as ErrorKind.
cskpi_status status_of(cskpi::ErrorKind kind) noexcept {
  switch (kind) {
    case cskpi::ErrorKind::config: return CSKPI_CONFIG;
    case cskpi::ErrorKind::profile: return CSKPI_PROFILE;
    case cskpi::ErrorKind::source: return CSKPI_SOURCE;
    case cskpi::ErrorKind::busy: return CSKPI_BUSY;
    case cskpi::ErrorKind::cancelled: return CSKPI_CANCELLED;
    case cskpi::ErrorKind::not_found: return CSKPI_NOT_FOUND;
  }
  return CSKPI_ERROR;
}

// Runs fn, mapping an exception to its status and storing the message in
// `error` (the engine's, or the thread's when there is no engine).
template <class Fn>
cskpi_status guarded(std::string &error, Fn &&fn) noexcept {
  try {
    error.clear();
    fn();
    return CSKPI_OK;
  } catch (const cskpi::Error &e) {
    try {
      error = e.what();
    } catch (...) {
    }
    return status_of(e.kind);
  } catch (const std::bad_alloc &) {
    try {
      error = "out of memory";
    } catch (...) {
    }
    return CSKPI_NOMEM;
  } catch (const std::exception &e) {
    try {
      error = std::string("internal error: ") + e.what();
    } catch (...) {
    }
    return CSKPI_ERROR;
  } catch (...) {
    try {
      error = "internal error: unknown exception";
    } catch (...) {
    }
    return CSKPI_ERROR;
  }
}

cskpi_status misuse(std::string &error, const char *what) noexcept {
  try {
    error = what;
  } catch (...) {
  }
  return CSKPI_MISUSE;
}

cskpi_status misuse(std::string &error, const char *fn, const char *what) noexcept {
  try {
    error = std::string(fn) + ": " + what;
  } catch (...) {
  }
  return CSKPI_MISUSE;
}

// ---- live handles ---------------------------------------------------------

// Every engine and result the library handed out and has not freed yet. A
// pointer not in here (freed, never ours) is refused: closing or freeing it
// twice is a no-op instead of a double free. Only a pointer whose address
// was reused by a newer handle of the same kind cannot be told apart.
struct Registry {
  std::mutex engines_mutex;
  std::unordered_set<const cskpi_engine *> engines;
  std::shared_mutex results_mutex;  // shared: cell readers run concurrently
  std::unordered_set<const cskpi_result *> results;
};

Registry &registry() {
  static Registry *r = new Registry;  // never destroyed: hosts may call from atexit handlers
  return *r;
}

bool live(const cskpi_result *r) {
  if (!r) return false;
  Registry &reg = registry();
  std::shared_lock lock(reg.results_mutex);
  return reg.results.count(r) != 0;
}

cskpi_result *adopt(cskpi::Table table) {
  auto *r = new cskpi_result(std::move(table));
  try {
    Registry &reg = registry();
    std::unique_lock lock(reg.results_mutex);
    reg.results.insert(r);
  } catch (...) {
    delete r;
    throw;
  }
  return r;
}

// Takes a result out of the registry; false when it was not live.
bool forget(const cskpi_result *r) {
  Registry &reg = registry();
  std::unique_lock lock(reg.results_mutex);
  return reg.results.erase(r) != 0;
}

const char *const kNotLive = "not a live engine (NULL, already closed, or not made by cskpi_engine_open)";
const char *const kReentrant =
    "called from inside a log or progress callback of a call on the same engine; the engine runs one call at a "
    "time (the outer call goes on normally)";
const char *const kOtherThread =
    "the engine is inside a call on another thread; an engine is used by one thread at a time";

// One call on an engine, from entry to return: refuses a handle that is not
// live and an engine that is already inside a call. While it exists, the
// calling thread owns the engine.
class EngineCall {
 public:
  EngineCall(cskpi_engine *engine, const char *fn) noexcept : engine_(engine) {
    Registry &reg = registry();
    std::lock_guard lock(reg.engines_mutex);
    if (!engine || !reg.engines.count(engine)) {
      refusal_ = kNotLive;
      return;
    }
    bool expected = false;
    if (!engine->busy.compare_exchange_strong(expected, true)) {
      refusal_ = engine->owner.load() == std::this_thread::get_id() ? kReentrant : kOtherThread;
      // The engine's own message only from the thread that owns it: another
      // thread's call may be writing it right now.
      if (refusal_ == kReentrant) misuse(engine->error, fn, refusal_);  // readable from the callback
      return;
    }
    engine->owner.store(std::this_thread::get_id());
    entered_ = true;
  }
  ~EngineCall() {
    if (!entered_) return;
    engine_->owner.store(std::thread::id());
    engine_->busy.store(false);
  }
  EngineCall(const EngineCall &) = delete;
  EngineCall &operator=(const EngineCall &) = delete;

  bool entered() const { return entered_; }
  // The refusal as CSKPI_MISUSE, its message in the thread's last error.
  cskpi_status refuse(const char *fn) const noexcept { return misuse(g_last_error, fn, refusal_); }

 private:
  cskpi_engine *engine_;
  const char *refusal_ = nullptr;
  bool entered_ = false;
};

// guarded() on the engine's error; a success leaves it "" even when a
// refused re-entrant call wrote into it meanwhile.
template <class Fn>
cskpi_status on_engine(cskpi_engine *engine, Fn &&fn) noexcept {
  cskpi_status st = guarded(engine->error, std::forward<Fn>(fn));
  if (st == CSKPI_OK) engine->error.clear();
  return st;
}

const cskpi::Column *column_at(const cskpi_result *r, int32_t col) {
  if (!live(r) || col < 0 || static_cast<std::size_t>(col) >= r->table.column_count()) return nullptr;
  return &r->table.column(static_cast<std::size_t>(col));
}

// The cell (row, col) when it exists and is not null.
const cskpi::Column *cell(const cskpi_result *r, int64_t row, int32_t col) {
  const cskpi::Column *c = column_at(r, col);
  if (!c || row < 0 || static_cast<std::size_t>(row) >= c->null.size() || c->null[static_cast<std::size_t>(row)])
    return nullptr;
  return c;
}

}  // namespace

extern "C" {

CSKPI_API const char *cskpi_version(void) { return CSKPI_VERSION_STRING; }

CSKPI_API int cskpi_abi_version(void) { return CSKPI_ABI_VERSION; }

CSKPI_API const char *cskpi_status_name(cskpi_status status) {
  // A C host may pass any int here (C does not confine an enum to its
  // values), and in C++ loading an out-of-range value as the enum is
  // undefined: read the bits as the underlying integer first.
  std::underlying_type_t<cskpi_status> code;
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case CSKPI_OK: return "CSKPI_OK";
    case CSKPI_ERROR: return "CSKPI_ERROR";
    case CSKPI_MISUSE: return "CSKPI_MISUSE";
    case CSKPI_CONFIG: return "CSKPI_CONFIG";
    case CSKPI_PROFILE: return "CSKPI_PROFILE";
    case CSKPI_SOURCE: return "CSKPI_SOURCE";
    case CSKPI_BUSY: return "CSKPI_BUSY";
    case CSKPI_CANCELLED: return "CSKPI_CANCELLED";
    case CSKPI_NOMEM: return "CSKPI_NOMEM";
    case CSKPI_NOT_FOUND: return "CSKPI_NOT_FOUND";
  }
  return "CSKPI_UNKNOWN_STATUS";
}

CSKPI_API const char *cskpi_last_error(void) { return g_last_error.c_str(); }

CSKPI_API cskpi_status cskpi_engine_open(const char *config_json, cskpi_engine **out_engine) {
  if (!out_engine) return misuse(g_last_error, "cskpi_engine_open: out_engine is NULL");
  *out_engine = nullptr;
  return guarded(g_last_error, [&] {
    auto settings = cskpi::parse_settings(config_json ? config_json : "");
    auto engine = std::make_unique<cskpi_engine>(std::move(settings));
    Registry &reg = registry();
    std::lock_guard lock(reg.engines_mutex);
    reg.engines.insert(engine.get());
    *out_engine = engine.release();
  });
}

CSKPI_API void cskpi_engine_close(cskpi_engine *engine) {
  if (!engine) return;
  {
    Registry &reg = registry();
    std::lock_guard lock(reg.engines_mutex);
    if (!reg.engines.count(engine)) {
      misuse(g_last_error, "cskpi_engine_close", "not a live engine (already closed?); nothing done");
      return;
    }
    if (engine->busy.load()) {
      misuse(g_last_error, "cskpi_engine_close",
             engine->owner.load() == std::this_thread::get_id()
                 ? "called from inside a callback of a call on the same engine; nothing done (close it after the call returns)"
                 : "the engine is inside a call on another thread; nothing done");
      return;
    }
    reg.engines.erase(engine);
  }
  delete engine;
}

CSKPI_API const char *cskpi_engine_error(const cskpi_engine *engine) {
  if (!engine) return "cskpi_engine_error: engine is NULL";
  Registry &reg = registry();
  std::lock_guard lock(reg.engines_mutex);
  if (!reg.engines.count(engine)) return "cskpi_engine_error: not a live engine (already closed?)";
  // Another thread's call may be writing the message right now.
  if (engine->busy.load() && engine->owner.load() != std::this_thread::get_id())
    return "cskpi_engine_error: the engine is inside a call on another thread";
  return engine->error.c_str();
}

CSKPI_API cskpi_status cskpi_engine_set_log(cskpi_engine *engine, cskpi_log_fn fn, void *user) {
  EngineCall call(engine, "cskpi_engine_set_log");
  if (!call.entered()) return call.refuse("cskpi_engine_set_log");
  return on_engine(engine, [&] {
    if (!fn) return engine->engine.set_log(nullptr);
    // A throwing host callback is impossible in C; the lambda only forwards.
    engine->engine.set_log([fn, user](int level, const std::string &message) { fn(user, level, message.c_str()); });
  });
}

CSKPI_API cskpi_status cskpi_engine_set_progress(cskpi_engine *engine, cskpi_progress_fn fn, void *user) {
  EngineCall call(engine, "cskpi_engine_set_progress");
  if (!call.entered()) return call.refuse("cskpi_engine_set_progress");
  return on_engine(engine, [&] {
    if (!fn) return engine->engine.set_progress(nullptr);
    engine->engine.set_progress([fn, user](const std::string &phase, std::int64_t done, std::int64_t total) {
      return fn(user, phase.c_str(), done, total) == 0;
    });
  });
}

CSKPI_API cskpi_status cskpi_compute(cskpi_engine *engine, const char *request_json, cskpi_result **out_result) {
  if (out_result) *out_result = nullptr;
  EngineCall call(engine, "cskpi_compute");
  if (!call.entered()) return call.refuse("cskpi_compute");
  if (!out_result) {
    misuse(g_last_error, "cskpi_compute: out_result is NULL");  // every MISUSE message is the thread's too
    return misuse(engine->error, "cskpi_compute: out_result is NULL");
  }
  return on_engine(engine, [&] {
    auto request = cskpi::parse_request(request_json ? request_json : "");
    *out_result = adopt(engine->engine.compute(request));
  });
}

CSKPI_API cskpi_status cskpi_nightly(cskpi_engine *engine, const char *options_json, cskpi_result **out_summary) {
  if (out_summary) *out_summary = nullptr;
  EngineCall call(engine, "cskpi_nightly");
  if (!call.entered()) return call.refuse("cskpi_nightly");
  return on_engine(engine, [&] {
    auto summary = cskpi::run_nightly(engine->engine, options_json ? options_json : "");
    if (out_summary) *out_summary = adopt(std::move(summary));
  });
}

CSKPI_API cskpi_status cskpi_report(cskpi_engine *engine, const char *options_json, cskpi_result **out_report) {
  if (out_report) *out_report = nullptr;
  EngineCall call(engine, "cskpi_report");
  if (!call.entered()) return call.refuse("cskpi_report");
  if (!out_report) {
    misuse(g_last_error, "cskpi_report: out_report is NULL");
    return misuse(engine->error, "cskpi_report: out_report is NULL");
  }
  return on_engine(engine, [&] {
    cskpi::Table t("report");
    t.push_text(t.add_column("html", cskpi::ColumnType::text),
                cskpi::report::render_report(engine->engine, options_json ? options_json : ""));
    *out_report = adopt(std::move(t));
  });
}

CSKPI_API void cskpi_result_free(cskpi_result *result) {
  if (!result) return;
  if (!forget(result)) {
    misuse(g_last_error, "cskpi_result_free", "not a live result (already freed?); nothing done");
    return;
  }
  delete result;
}

CSKPI_API const char *cskpi_result_name(const cskpi_result *result) {
  return live(result) ? result->table.name().c_str() : nullptr;
}

CSKPI_API int64_t cskpi_result_row_count(const cskpi_result *result) {
  return live(result) ? static_cast<int64_t>(result->table.row_count()) : 0;
}

CSKPI_API int32_t cskpi_result_column_count(const cskpi_result *result) {
  return live(result) ? static_cast<int32_t>(result->table.column_count()) : 0;
}

CSKPI_API const char *cskpi_result_column_name(const cskpi_result *result, int32_t col) {
  const cskpi::Column *c = column_at(result, col);
  return c ? c->name.c_str() : nullptr;
}

CSKPI_API cskpi_type cskpi_result_column_type(const cskpi_result *result, int32_t col) {
  const cskpi::Column *c = column_at(result, col);
  return c ? static_cast<cskpi_type>(c->type) : static_cast<cskpi_type>(0);
}

CSKPI_API int cskpi_result_is_null(const cskpi_result *result, int64_t row, int32_t col) {
  return cell(result, row, col) ? 0 : 1;
}

CSKPI_API const char *cskpi_result_text(const cskpi_result *result, int64_t row, int32_t col) {
  const cskpi::Column *c = cell(result, row, col);
  if (!c || (c->type != cskpi::ColumnType::text && c->type != cskpi::ColumnType::date)) return nullptr;
  return c->text[static_cast<std::size_t>(row)].c_str();
}

CSKPI_API int64_t cskpi_result_int64(const cskpi_result *result, int64_t row, int32_t col) {
  const cskpi::Column *c = cell(result, row, col);
  if (!c || (c->type != cskpi::ColumnType::int64 && c->type != cskpi::ColumnType::boolean)) return 0;
  return c->ints[static_cast<std::size_t>(row)];
}

CSKPI_API double cskpi_result_double(const cskpi_result *result, int64_t row, int32_t col) {
  const cskpi::Column *c = cell(result, row, col);
  if (!c) return std::numeric_limits<double>::quiet_NaN();
  if (c->type == cskpi::ColumnType::real) return c->reals[static_cast<std::size_t>(row)];
  if (c->type == cskpi::ColumnType::int64) return static_cast<double>(c->ints[static_cast<std::size_t>(row)]);
  return std::numeric_limits<double>::quiet_NaN();
}

CSKPI_API const char *cskpi_result_json(cskpi_result *result) {
  if (!live(result)) return nullptr;
  try {
    std::lock_guard lock(result->json_mutex);
    if (!result->json_ready) {
      result->json = result->table.to_json();
      result->json_ready = true;
    }
    return result->json.c_str();
  } catch (...) {
    return nullptr;
  }
}

CSKPI_API const cskpi_api *cskpi_plugin_entry(uint32_t abi_version) {
  static const cskpi_api api = {
      sizeof(cskpi_api),         CSKPI_ABI_VERSION,         cskpi_version,
      cskpi_abi_version,         cskpi_status_name,         cskpi_last_error,
      cskpi_engine_open,         cskpi_engine_close,        cskpi_engine_error,
      cskpi_engine_set_log,      cskpi_engine_set_progress, cskpi_compute,
      cskpi_nightly,             cskpi_result_free,         cskpi_result_name,
      cskpi_result_row_count,    cskpi_result_column_count, cskpi_result_column_name,
      cskpi_result_column_type,  cskpi_result_is_null,      cskpi_result_text,
      cskpi_result_int64,        cskpi_result_double,       cskpi_result_json,
      cskpi_report,
  };
  return abi_version == CSKPI_ABI_VERSION ? &api : nullptr;
}

}  // extern "C"
