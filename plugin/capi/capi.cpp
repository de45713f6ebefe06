// The C ABI of abi/cskpi.h over the C++ engine. Every entry point catches
// everything and turns it into a status plus a message: no exception and no
// C++ type crosses the boundary.
#include "cskpi.h"

#include <cmath>
#include <limits>
#include <new>
#include <string>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "nightly/nightly.hpp"

struct cskpi_engine {
  cskpi::Engine engine;
  std::string error;
  explicit cskpi_engine(cskpi::Settings s) : engine(std::move(s)) {}
};

struct cskpi_result {
  cskpi::Table table;
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

const cskpi::Column *column_at(const cskpi_result *r, int32_t col) {
  if (!r || col < 0 || static_cast<std::size_t>(col) >= r->table.column_count()) return nullptr;
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
  switch (status) {
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
    *out_engine = new cskpi_engine(std::move(settings));
  });
}

CSKPI_API void cskpi_engine_close(cskpi_engine *engine) { delete engine; }

CSKPI_API const char *cskpi_engine_error(const cskpi_engine *engine) {
  return engine ? engine->error.c_str() : "cskpi_engine_error: engine is NULL";
}

CSKPI_API cskpi_status cskpi_engine_set_log(cskpi_engine *engine, cskpi_log_fn fn, void *user) {
  if (!engine) return misuse(g_last_error, "cskpi_engine_set_log: engine is NULL");
  return guarded(engine->error, [&] {
    if (!fn) return engine->engine.set_log(nullptr);
    // A throwing host callback is impossible in C; the lambda only forwards.
    engine->engine.set_log([fn, user](int level, const std::string &message) { fn(user, level, message.c_str()); });
  });
}

CSKPI_API cskpi_status cskpi_engine_set_progress(cskpi_engine *engine, cskpi_progress_fn fn, void *user) {
  if (!engine) return misuse(g_last_error, "cskpi_engine_set_progress: engine is NULL");
  return guarded(engine->error, [&] {
    if (!fn) return engine->engine.set_progress(nullptr);
    engine->engine.set_progress([fn, user](const std::string &phase, std::int64_t done, std::int64_t total) {
      return fn(user, phase.c_str(), done, total) == 0;
    });
  });
}

CSKPI_API cskpi_status cskpi_compute(cskpi_engine *engine, const char *request_json, cskpi_result **out_result) {
  if (!engine) return misuse(g_last_error, "cskpi_compute: engine is NULL");
  if (!out_result) return misuse(engine->error, "cskpi_compute: out_result is NULL");
  *out_result = nullptr;
  return guarded(engine->error, [&] {
    auto request = cskpi::parse_request(request_json ? request_json : "");
    *out_result = new cskpi_result(engine->engine.compute(request));
  });
}

CSKPI_API cskpi_status cskpi_nightly(cskpi_engine *engine, const char *options_json, cskpi_result **out_summary) {
  if (!engine) return misuse(g_last_error, "cskpi_nightly: engine is NULL");
  if (out_summary) *out_summary = nullptr;
  return guarded(engine->error, [&] {
    auto summary = cskpi::run_nightly(engine->engine, options_json ? options_json : "");
    if (out_summary) *out_summary = new cskpi_result(std::move(summary));
  });
}

CSKPI_API void cskpi_result_free(cskpi_result *result) { delete result; }

CSKPI_API const char *cskpi_result_name(const cskpi_result *result) {
  return result ? result->table.name().c_str() : nullptr;
}

CSKPI_API int64_t cskpi_result_row_count(const cskpi_result *result) {
  return result ? static_cast<int64_t>(result->table.row_count()) : 0;
}

CSKPI_API int32_t cskpi_result_column_count(const cskpi_result *result) {
  return result ? static_cast<int32_t>(result->table.column_count()) : 0;
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
  if (!result) return nullptr;
  try {
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
  };
  return abi_version == CSKPI_ABI_VERSION ? &api : nullptr;
}

}  // extern "C"
