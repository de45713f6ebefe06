/*
 * cskpi.h - the public C ABI of libcskpi (customer-success KPIs for ERPs).
 *
 * This is the only header a host needs. It is C99 and exposes no C++ type;
 * no exception crosses it. The shape follows sqlite3.h / duckdb.h:
 *
 *   - opaque handles: cskpi_engine (one configured source) and cskpi_result
 *     (one typed table);
 *   - every fallible call returns a cskpi_status; the message of the last
 *     failure is kept per engine (cskpi_engine_error) and, for failures before
 *     an engine exists, per thread (cskpi_last_error);
 *   - configuration, requests and options travel as JSON text, so the ABI
 *     stays stable while features grow (docs/abi.md, docs/configuration.md);
 *   - hosts that dlopen the library look up one symbol, cskpi_plugin_entry,
 *     and get a versioned table of function pointers.
 *
 * Ownership: every pointer returned by the library is owned by the library.
 * Strings returned by cskpi_version, cskpi_status_name are static. Strings
 * returned for an engine or result live until the next call on that handle
 * (errors) or until the handle is freed (result data). Handles are freed with
 * cskpi_engine_close / cskpi_result_free. Input strings are copied when
 * needed; the caller keeps ownership of everything it passes in.
 *
 * Threads: one engine may be used by one thread at a time; distinct engines
 * are independent. A result may be read from any thread once returned.
 *
 * Misuse (docs/abi.md "Misuse") is detected, not undefined: handles are
 * checked against a registry of live ones, so closing an engine or freeing a
 * result twice is a no-op, and a call on an engine that is already inside a
 * call (from one of its callbacks, or from another thread) returns
 * CSKPI_MISUSE while the first call goes on.
 *
 * ABI version 1 (1.1 added cskpi_report). Additions only; a new function gets
 * a new linker version node (abi/cskpi.map) and is appended to the end of
 * cskpi_api.
 */
#ifndef CSKPI_H
#define CSKPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CSKPI_API __attribute__((visibility("default")))
#else
#define CSKPI_API
#endif

#define CSKPI_ABI_VERSION 1

typedef struct cskpi_engine cskpi_engine;
typedef struct cskpi_result cskpi_result;

typedef enum cskpi_status {
  CSKPI_OK = 0,
  CSKPI_ERROR = 1,     /* internal error (a bug): see the error message */
  CSKPI_MISUSE = 2,    /* NULL/closed handle, NULL argument, engine already inside a call */
  CSKPI_CONFIG = 3,    /* bad configuration, request or options JSON */
  CSKPI_PROFILE = 4,   /* the profile cannot be used (missing/mistyped column, SQL error) */
  CSKPI_SOURCE = 5,    /* the database: unreachable, lost connection, write failed */
  CSKPI_BUSY = 6,      /* another nightly run holds the lock; nothing was written */
  CSKPI_CANCELLED = 7, /* the progress callback asked to stop; nothing was written */
  CSKPI_NOMEM = 8,     /* out of memory */
  CSKPI_NOT_FOUND = 9  /* unknown table name */
} cskpi_status;

typedef enum cskpi_type {
  CSKPI_TYPE_TEXT = 1,
  CSKPI_TYPE_INT64 = 2,
  CSKPI_TYPE_DOUBLE = 3,
  CSKPI_TYPE_BOOL = 4, /* read with cskpi_result_int64: 0 or 1 */
  CSKPI_TYPE_DATE = 5  /* read with cskpi_result_text: "YYYY-MM-DD" */
} cskpi_type;

typedef enum cskpi_log_level {
  CSKPI_LOG_DEBUG = 0,
  CSKPI_LOG_INFO = 1,
  CSKPI_LOG_WARNING = 2,
  CSKPI_LOG_ERROR = 3
} cskpi_log_level;

/* Log callback: message is valid only during the call. */
typedef void (*cskpi_log_fn)(void *user, int level, const char *message);
/* Progress callback: phase names the step ("read:order_lines", "compute",
 * "write"); total is -1 when unknown. Return non-zero to cancel the call in
 * progress (it then returns CSKPI_CANCELLED and writes nothing). */
typedef int (*cskpi_progress_fn)(void *user, const char *phase, int64_t done, int64_t total);

/* ---- library ------------------------------------------------------------ */

/* Runtime version, e.g. "0.1.0". Static string. */
CSKPI_API const char *cskpi_version(void);
/* ABI version of the library (CSKPI_ABI_VERSION it was built with). */
CSKPI_API int cskpi_abi_version(void);
/* Static name of a status, e.g. "CSKPI_BUSY". */
CSKPI_API const char *cskpi_status_name(cskpi_status status);
/* Message of the last failure on this thread that had no engine to hold it
 * (cskpi_engine_open, NULL handles). Valid until the next such failure on
 * this thread. Never NULL ("" when none). */
CSKPI_API const char *cskpi_last_error(void);

/* ---- engine --------------------------------------------------------------- */

/* Opens an engine from configuration JSON (docs/configuration.md). Does not
 * connect yet: the database is first read by cskpi_compute / cskpi_nightly.
 * On success *out_engine is a new handle for cskpi_engine_close; on failure
 * it is NULL and cskpi_last_error() says why. */
CSKPI_API cskpi_status cskpi_engine_open(const char *config_json, cskpi_engine **out_engine);
/* Closes the engine and frees everything it owns. NULL, an engine already
 * closed, and an engine inside a call (from its own callback or another
 * thread) are no-ops (the last two say so in cskpi_last_error()). */
CSKPI_API void cskpi_engine_close(cskpi_engine *engine);
/* Message of the engine's last failure ("" when the last call succeeded).
 * Valid until the next call on this engine. */
CSKPI_API const char *cskpi_engine_error(const cskpi_engine *engine);
/* Sets (or, with fn NULL, clears) the engine's log / progress callback. The
 * user pointer is passed back unchanged; the caller keeps it alive. */
CSKPI_API cskpi_status cskpi_engine_set_log(cskpi_engine *engine, cskpi_log_fn fn, void *user);
CSKPI_API cskpi_status cskpi_engine_set_progress(cskpi_engine *engine, cskpi_progress_fn fn, void *user);

/* Computes one table. request_json may be NULL or "{}" for the period KPIs;
 * keys: "table" ("kpis" default; every table is listed in docs/kpis.md §12.2,
 * and CSKPI_NOT_FOUND's message for an unknown name lists them too;
 * "profile_check" reads every source on its own, at most "limit" rows,
 * default 1000: status and findings, docs/cli.md),
 * "as_of", "granularity", "from", "to" (dates narrowing the reported periods).
 * The engine reads the source once per as_of and keeps the model for later
 * requests ("reload": true forces a new read). On success *out_result is a
 * new handle for cskpi_result_free. */
CSKPI_API cskpi_status cskpi_compute(cskpi_engine *engine, const char *request_json, cskpi_result **out_result);

/* The nightly job (docs/nightly.md): computes every table for as_of and
 * writes the snapshot into the target database in one transaction, replacing
 * that as_of's earlier rows. options_json may be NULL; keys: "as_of"
 * (default yesterday in the configured zone), "granularities" (array,
 * default ["month"]), "lookback_periods". On success *out_summary (may be
 * NULL if not wanted) is a one-row table describing the run. */
CSKPI_API cskpi_status cskpi_nightly(cskpi_engine *engine, const char *options_json, cskpi_result **out_summary);

/* The customer-success report (docs/report.md), added in ABI 1.1 (version
 * node CSKPI_1.1): one self-contained HTML document (inline CSS and SVG,
 * nothing fetched) for one segment. options_json may be NULL; keys: "as_of",
 * "granularity" (as for cskpi_compute), "segment" ("all" default, or a
 * customer segment), "lang" ("en" default, "pt-BR"), "sections" (array,
 * default every section: headline, flow, revenue, cohorts, support, voice,
 * health, clv, quality), "run_id" (shown in the footer). An unknown key,
 * segment, language or section, or an as_of with no complete period of data
 * is CSKPI_CONFIG naming it. On success *out_report is a result named
 * "report" with one row and one TEXT column "html" (cskpi_result_text(r, 0,
 * 0)), freed with cskpi_result_free. */
CSKPI_API cskpi_status cskpi_report(cskpi_engine *engine, const char *options_json, cskpi_result **out_report);

/* ---- results -------------------------------------------------------------- */

/* Frees the result. NULL and a result already freed are no-ops. */
CSKPI_API void cskpi_result_free(cskpi_result *result);
/* Table name, e.g. "kpis". */
CSKPI_API const char *cskpi_result_name(const cskpi_result *result);
CSKPI_API int64_t cskpi_result_row_count(const cskpi_result *result);
CSKPI_API int32_t cskpi_result_column_count(const cskpi_result *result);
/* NULL when col is out of range. */
CSKPI_API const char *cskpi_result_column_name(const cskpi_result *result, int32_t col);
/* 0 when col is out of range. */
CSKPI_API cskpi_type cskpi_result_column_type(const cskpi_result *result, int32_t col);
/* 1 when the cell is null or out of range, else 0. */
CSKPI_API int cskpi_result_is_null(const cskpi_result *result, int64_t row, int32_t col);
/* TEXT and DATE cells; NULL when null, out of range or another type. */
CSKPI_API const char *cskpi_result_text(const cskpi_result *result, int64_t row, int32_t col);
/* INT64 and BOOL cells; 0 when null, out of range or another type. */
CSKPI_API int64_t cskpi_result_int64(const cskpi_result *result, int64_t row, int32_t col);
/* DOUBLE cells (INT64 converted); NaN when null, out of range or another type. */
CSKPI_API double cskpi_result_double(const cskpi_result *result, int64_t row, int32_t col);
/* The whole table as JSON text: an array of objects, one per row, null where
 * null. Owned by the result; valid until cskpi_result_free. NULL only when
 * out of memory. */
CSKPI_API const char *cskpi_result_json(cskpi_result *result);

/* ---- plugin entry ------------------------------------------------------- */

/* Every function above, for hosts that dlopen the library and look up one
 * symbol. `size` comes first: a host built against a newer header checks
 * size before reading fields appended later. */
typedef struct cskpi_api {
  uint32_t size;        /* sizeof(cskpi_api) as the library knows it */
  uint32_t abi_version; /* CSKPI_ABI_VERSION of the library */
  const char *(*version)(void);
  int (*abi_version_fn)(void);
  const char *(*status_name)(cskpi_status);
  const char *(*last_error)(void);
  cskpi_status (*engine_open)(const char *, cskpi_engine **);
  void (*engine_close)(cskpi_engine *);
  const char *(*engine_error)(const cskpi_engine *);
  cskpi_status (*engine_set_log)(cskpi_engine *, cskpi_log_fn, void *);
  cskpi_status (*engine_set_progress)(cskpi_engine *, cskpi_progress_fn, void *);
  cskpi_status (*compute)(cskpi_engine *, const char *, cskpi_result **);
  cskpi_status (*nightly)(cskpi_engine *, const char *, cskpi_result **);
  void (*result_free)(cskpi_result *);
  const char *(*result_name)(const cskpi_result *);
  int64_t (*result_row_count)(const cskpi_result *);
  int32_t (*result_column_count)(const cskpi_result *);
  const char *(*result_column_name)(const cskpi_result *, int32_t);
  cskpi_type (*result_column_type)(const cskpi_result *, int32_t);
  int (*result_is_null)(const cskpi_result *, int64_t, int32_t);
  const char *(*result_text)(const cskpi_result *, int64_t, int32_t);
  int64_t (*result_int64)(const cskpi_result *, int64_t, int32_t);
  double (*result_double)(const cskpi_result *, int64_t, int32_t);
  const char *(*result_json)(cskpi_result *);
  /* ABI 1.1: present when size >= offsetof(cskpi_api, report) + sizeof(void *). */
  cskpi_status (*report)(cskpi_engine *, const char *, cskpi_result **);
} cskpi_api;

/* Returns the function table when the library implements ABI major version
 * `abi_version`, else NULL. The table is static: never freed. */
CSKPI_API const cskpi_api *cskpi_plugin_entry(uint32_t abi_version);
typedef const cskpi_api *(*cskpi_plugin_entry_fn)(uint32_t abi_version);

#ifdef __cplusplus
}
#endif

#endif /* CSKPI_H */
