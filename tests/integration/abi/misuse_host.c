/* A C99 host that misuses the ABI the way a buggy host would, and checks that
 * every misuse docs/abi.md lists is detected (a status and a message, or a
 * documented "nothing" value) instead of crashing: every entry point with
 * NULL handles and arguments, out-of-range rows and columns, double close
 * and double free, calls from inside a log or progress callback on the same
 * engine, one engine used from two threads at once, and cancellation.
 * The sanitizer builds (tests/sanitize) run it too, where a double free or a
 * use of a freed dataset is a hard failure.
 * usage: misuse_host WORKDIR */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cskpi.h"
#include "host_check.h"


static int contains(const char *text, const char *part) { return text && strstr(text, part) != NULL; }

static const char *kSchema =
    "CREATE TABLE customers(customer_id TEXT, name TEXT, created_on DATE, segment TEXT);"
    "CREATE TABLE order_lines(order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, category TEXT, amount REAL);"
    "INSERT INTO customers VALUES ('c1','Alpha','2024-01-01','smb'),('c2','Beta','2024-01-01','smb');"
    "INSERT INTO order_lines VALUES ('o1','c1','2024-01-10','p1','tools',100),('o2','c2','2024-01-20','p1','tools',80),"
    "('o3','c1','2024-02-05','p1','tools',120);";


static char config[2048], target_config[4096];

static cskpi_engine *open_engine(const char *json) {
  cskpi_engine *e = NULL;
  CHECK(cskpi_engine_open(json, &e) == CSKPI_OK);
  return e;
}

/* ---- NULLs and out-of-range indices --------------------------------------- */

static void null_handles(void) {
  cskpi_result *r = (cskpi_result *)1; /* must be set to NULL on failure */
  CHECK(cskpi_engine_open("{}", NULL) == CSKPI_MISUSE);
  CHECK(contains(cskpi_last_error(), "out_engine"));
  CHECK(cskpi_compute(NULL, "{}", &r) == CSKPI_MISUSE && r == NULL);
  CHECK(contains(cskpi_last_error(), "cskpi_compute"));
  r = (cskpi_result *)1;
  CHECK(cskpi_nightly(NULL, NULL, &r) == CSKPI_MISUSE && r == NULL);
  CHECK(contains(cskpi_last_error(), "cskpi_nightly"));
  CHECK(cskpi_nightly(NULL, NULL, NULL) == CSKPI_MISUSE);
  CHECK(cskpi_engine_set_log(NULL, NULL, NULL) == CSKPI_MISUSE);
  CHECK(cskpi_engine_set_progress(NULL, NULL, NULL) == CSKPI_MISUSE);
  CHECK(contains(cskpi_engine_error(NULL), "NULL"));
  cskpi_engine_close(NULL);
  cskpi_result_free(NULL);
  CHECK(cskpi_result_name(NULL) == NULL);
  CHECK(cskpi_result_row_count(NULL) == 0);
  CHECK(cskpi_result_column_count(NULL) == 0);
  CHECK(cskpi_result_column_name(NULL, 0) == NULL);
  CHECK(cskpi_result_column_type(NULL, 0) == 0);
  CHECK(cskpi_result_is_null(NULL, 0, 0) == 1);
  CHECK(cskpi_result_text(NULL, 0, 0) == NULL);
  CHECK(cskpi_result_int64(NULL, 0, 0) == 0);
  CHECK(isnan(cskpi_result_double(NULL, 0, 0)));
  CHECK(cskpi_result_json(NULL) == NULL);
  CHECK(strcmp(cskpi_status_name((cskpi_status)99), "CSKPI_UNKNOWN_STATUS") == 0);
  CHECK(cskpi_plugin_entry(0) == NULL && cskpi_plugin_entry(CSKPI_ABI_VERSION) != NULL);
  CHECK(cskpi_abi_version() == CSKPI_ABI_VERSION && strlen(cskpi_version()) > 0);

  /* NULL JSON texts mean "{}"; a NULL out_result is refused on the engine. */
  cskpi_engine *e = NULL;
  CHECK(cskpi_engine_open(NULL, &e) == CSKPI_OK);
  CHECK(cskpi_compute(e, "{}", NULL) == CSKPI_MISUSE && contains(cskpi_engine_error(e), "out_result"));
  cskpi_engine_close(e);
}

static void out_of_range(cskpi_result *r) {
  int64_t rows = cskpi_result_row_count(r);
  int32_t cols = cskpi_result_column_count(r);
  CHECK(rows > 0 && cols > 0);
  int32_t bad_cols[] = {-1, cols, INT32_MAX, INT32_MIN};
  int64_t bad_rows[] = {-1, rows, INT64_MAX, INT64_MIN};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(cskpi_result_column_name(r, bad_cols[i]) == NULL);
    CHECK(cskpi_result_column_type(r, bad_cols[i]) == 0);
    CHECK(cskpi_result_is_null(r, 0, bad_cols[i]) == 1);
    CHECK(cskpi_result_text(r, 0, bad_cols[i]) == NULL);
    CHECK(cskpi_result_int64(r, 0, bad_cols[i]) == 0);
    CHECK(isnan(cskpi_result_double(r, 0, bad_cols[i])));
    CHECK(cskpi_result_is_null(r, bad_rows[i], 0) == 1);
    CHECK(cskpi_result_text(r, bad_rows[i], 0) == NULL);
    CHECK(cskpi_result_int64(r, bad_rows[i], 0) == 0);
    CHECK(isnan(cskpi_result_double(r, bad_rows[i], 0)));
  }
  /* A reader of the wrong type gets its "nothing" value: column 0 of the
   * kpis table is the kpi name (TEXT). */
  CHECK(cskpi_result_column_type(r, 0) == CSKPI_TYPE_TEXT);
  CHECK(cskpi_result_int64(r, 0, 0) == 0 && isnan(cskpi_result_double(r, 0, 0)));
}

/* ---- double close, double free -------------------------------------------- */

static void double_release(void) {
  cskpi_engine *e = open_engine(config);
  cskpi_result *r = NULL;
  CHECK(cskpi_compute(e, NULL, &r) == CSKPI_OK && r != NULL);
  out_of_range(r);
  cskpi_result_free(r);
  cskpi_result_free(r); /* a no-op that says so */
  CHECK(contains(cskpi_last_error(), "cskpi_result_free") && contains(cskpi_last_error(), "already freed"));
  /* A freed result is not live: readers return their "nothing" values. */
  CHECK(cskpi_result_row_count(r) == 0 && cskpi_result_name(r) == NULL && cskpi_result_json(r) == NULL);

  cskpi_engine_close(e);
  cskpi_engine_close(e);
  CHECK(contains(cskpi_last_error(), "cskpi_engine_close") && contains(cskpi_last_error(), "already closed"));
  /* Every call on a closed engine is refused, not a use after free. */
  r = (cskpi_result *)1;
  CHECK(cskpi_compute(e, NULL, &r) == CSKPI_MISUSE && r == NULL && contains(cskpi_last_error(), "not a live engine"));
  CHECK(cskpi_nightly(e, NULL, NULL) == CSKPI_MISUSE);
  CHECK(cskpi_engine_set_log(e, NULL, NULL) == CSKPI_MISUSE);
  CHECK(cskpi_engine_set_progress(e, NULL, NULL) == CSKPI_MISUSE);
  CHECK(contains(cskpi_engine_error(e), "not a live engine"));
  /* A pointer the library never made is refused the same way. */
  cskpi_engine *fake = (cskpi_engine *)&failures;
  CHECK(cskpi_compute(fake, NULL, &r) == CSKPI_MISUSE);
  cskpi_engine_close(fake);
  cskpi_result_free((cskpi_result *)&failures);
  CHECK(contains(cskpi_last_error(), "not a live result"));
}

/* ---- re-entrant calls from callbacks -------------------------------------- */

struct reentry {
  cskpi_engine *engine;
  int calls;            /* callback invocations */
  int inner_misuse;     /* inner calls refused with CSKPI_MISUSE */
  int inner_other;      /* inner calls that returned anything else */
  int message_ok;       /* the refusal's message says what happened */
};

static void try_inner_calls(struct reentry *x) {
  cskpi_result *r = (cskpi_result *)1;
  cskpi_status s1 = cskpi_compute(x->engine, "{\"table\":\"kpis\",\"reload\":true}", &r);
  if (s1 == CSKPI_MISUSE && r == NULL) ++x->inner_misuse; else ++x->inner_other;
  if (contains(cskpi_last_error(), "callback") && contains(cskpi_engine_error(x->engine), "callback")) ++x->message_ok;
  cskpi_status s2 = cskpi_nightly(x->engine, NULL, NULL);
  if (s2 == CSKPI_MISUSE) ++x->inner_misuse; else ++x->inner_other;
  cskpi_status s3 = cskpi_engine_set_progress(x->engine, NULL, NULL);
  if (s3 == CSKPI_MISUSE) ++x->inner_misuse; else ++x->inner_other;
  cskpi_status s4 = cskpi_engine_set_log(x->engine, NULL, NULL);
  if (s4 == CSKPI_MISUSE) ++x->inner_misuse; else ++x->inner_other;
  cskpi_engine_close(x->engine); /* refused: the engine is inside a call */
  if (!contains(cskpi_last_error(), "nothing done")) ++x->inner_other;
}

static int reenter_progress(void *user, const char *phase, int64_t done, int64_t total) {
  struct reentry *x = user;
  (void)phase; (void)done; (void)total;
  if (x->calls++ < 2) try_inner_calls(x);
  return 0;
}

static void reenter_log(void *user, int level, const char *message) {
  struct reentry *x = user;
  (void)level; (void)message;
  if (x->calls++ < 2) try_inner_calls(x);
}

static double orders_in(cskpi_result *r, const char *period) {
  for (int64_t i = 0; i < cskpi_result_row_count(r); ++i)
    if (!strcmp(cskpi_result_text(r, i, 0), "orders") && !strcmp(cskpi_result_text(r, i, 2), period) &&
        !strcmp(cskpi_result_text(r, i, 3), "all"))
      return cskpi_result_double(r, i, 4);
  return NAN;
}

static void reentrant_callbacks(void) {
  struct reentry x = {0};
  x.engine = open_engine(config);
  CHECK(cskpi_engine_set_progress(x.engine, reenter_progress, &x) == CSKPI_OK);
  cskpi_result *r = NULL;
  /* The outer call finishes normally with the right numbers. */
  CHECK(cskpi_compute(x.engine, "{\"table\":\"kpis\"}", &r) == CSKPI_OK && r != NULL);
  CHECK(strcmp(cskpi_engine_error(x.engine), "") == 0);
  CHECK(orders_in(r, "2024-01-01") == 2 && orders_in(r, "2024-02-01") == 1);
  CHECK(x.calls >= 2 && x.inner_misuse == 8 && x.inner_other == 0 && x.message_ok == 2);
  cskpi_result_free(r);
  /* The engine is still usable afterwards, and the callback can be cleared. */
  CHECK(cskpi_engine_set_progress(x.engine, NULL, NULL) == CSKPI_OK);
  CHECK(cskpi_compute(x.engine, "{\"table\":\"kpis\",\"reload\":true}", &r) == CSKPI_OK);
  CHECK(orders_in(r, "2024-01-01") == 2);
  cskpi_result_free(r);
  cskpi_engine_close(x.engine);

  /* The same from the log callback of a nightly run (it logs when it
   * applies the target's migrations and when it is done). */
  struct reentry y = {0};
  y.engine = open_engine(target_config);
  CHECK(cskpi_engine_set_log(y.engine, reenter_log, &y) == CSKPI_OK);
  cskpi_result *summary = NULL;
  CHECK(cskpi_nightly(y.engine, "{\"as_of\":\"2024-02-29\"}", &summary) == CSKPI_OK && summary != NULL);
  CHECK(y.calls >= 2 && y.inner_misuse == 8 && y.inner_other == 0 && y.message_ok == 2);
  CHECK(cskpi_result_row_count(summary) == 1);
  cskpi_result_free(summary);
  cskpi_engine_close(y.engine);
}

/* ---- one engine, two threads ---------------------------------------------- */

struct two_threads {
  cskpi_engine *engine;
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int state;          /* 0 waiting, 1 second thread done */
  cskpi_status second_status;
  int second_message_ok;
  int started;
};

static void *second_thread(void *arg) {
  struct two_threads *t = arg;
  cskpi_result *r = (cskpi_result *)1;
  cskpi_status st = cskpi_compute(t->engine, NULL, &r);
  int ok = contains(cskpi_last_error(), "another thread") && r == NULL &&
           contains(cskpi_engine_error(t->engine), "another thread");
  cskpi_engine_close(t->engine); /* refused too */
  ok = ok && contains(cskpi_last_error(), "nothing done");
  pthread_mutex_lock(&t->mutex);
  t->second_status = st;
  t->second_message_ok = ok;
  t->state = 1;
  pthread_cond_signal(&t->cond);
  pthread_mutex_unlock(&t->mutex);
  return NULL;
}

/* Runs on the first thread, inside its call: starts the second thread's call
 * and waits until it returned, so the two calls overlap for sure. */
static int overlap_progress(void *user, const char *phase, int64_t done, int64_t total) {
  struct two_threads *t = user;
  pthread_t th;
  (void)phase; (void)done; (void)total;
  if (t->started) return 0;
  t->started = 1;
  if (pthread_create(&th, NULL, second_thread, t) != 0) return 0;
  pthread_mutex_lock(&t->mutex);
  while (t->state == 0) pthread_cond_wait(&t->cond, &t->mutex);
  pthread_mutex_unlock(&t->mutex);
  pthread_join(th, NULL);
  return 0;
}

static void two_threads_one_engine(void) {
  struct two_threads t;
  memset(&t, 0, sizeof t);
  pthread_mutex_init(&t.mutex, NULL);
  pthread_cond_init(&t.cond, NULL);
  t.engine = open_engine(config);
  CHECK(cskpi_engine_set_progress(t.engine, overlap_progress, &t) == CSKPI_OK);
  cskpi_result *r = NULL;
  CHECK(cskpi_compute(t.engine, NULL, &r) == CSKPI_OK && orders_in(r, "2024-01-01") == 2);
  CHECK(t.started && t.second_status == CSKPI_MISUSE && t.second_message_ok);
  cskpi_result_free(r);
  cskpi_engine_close(t.engine);
  pthread_mutex_destroy(&t.mutex);
  pthread_cond_destroy(&t.cond);
}

/* ---- cancellation --------------------------------------------------------- */

static int cancel_now(void *user, const char *phase, int64_t done, int64_t total) {
  (void)phase; (void)done; (void)total;
  ++*(int *)user;
  return 1;
}

static void cancellation(void) {
  int calls = 0;
  cskpi_engine *e = open_engine(target_config);
  CHECK(cskpi_engine_set_progress(e, cancel_now, &calls) == CSKPI_OK);
  cskpi_result *r = (cskpi_result *)1;
  CHECK(cskpi_compute(e, NULL, &r) == CSKPI_CANCELLED && r == NULL && calls == 1);
  CHECK(strlen(cskpi_engine_error(e)) > 0);
  CHECK(cskpi_nightly(e, "{\"as_of\":\"2024-01-31\"}", &r) == CSKPI_CANCELLED && r == NULL);
  /* After a cancel the engine works again. */
  CHECK(cskpi_engine_set_progress(e, NULL, NULL) == CSKPI_OK);
  CHECK(cskpi_compute(e, NULL, &r) == CSKPI_OK && orders_in(r, "2024-02-01") == 1);
  cskpi_result_free(r);
  cskpi_engine_close(e);
}

/* ---- results from several threads ----------------------------------------- */

static void *read_json(void *arg) {
  const char *json = cskpi_result_json(arg);
  return (void *)(json && json[0] == '[' ? arg : NULL);
}

static void results_across_threads(void) {
  cskpi_engine *e = open_engine(config);
  cskpi_result *r = NULL;
  CHECK(cskpi_compute(e, NULL, &r) == CSKPI_OK);
  pthread_t th[4];
  for (int i = 0; i < 4; ++i) CHECK(pthread_create(&th[i], NULL, read_json, r) == 0);
  for (int i = 0; i < 4; ++i) {
    void *ok = NULL;
    pthread_join(th[i], &ok);
    CHECK(ok == r);
  }
  cskpi_result_free(r);
  cskpi_engine_close(e);
}

/* ---- several engines in threads (allowed: engines are independent) -------- */

enum { kEngineThreads = 4 };
static char thread_configs[kEngineThreads][4096];

static void *engine_thread(void *arg) {
  const char *json = arg;
  cskpi_engine *e = NULL;
  cskpi_result *r = NULL, *summary = NULL;
  int ok = cskpi_engine_open(json, &e) == CSKPI_OK;
  ok = ok && cskpi_compute(e, NULL, &r) == CSKPI_OK && orders_in(r, "2024-01-01") == 2 && orders_in(r, "2024-02-01") == 1;
  ok = ok && cskpi_nightly(e, "{\"as_of\":\"2024-02-29\"}", &summary) == CSKPI_OK && cskpi_result_row_count(summary) == 1;
  cskpi_result_free(r);
  cskpi_result_free(summary);
  cskpi_engine_close(e);
  return ok ? arg : NULL;
}

static void engines_in_threads(const char *db, const char *workdir) {
  pthread_t th[kEngineThreads];
  for (int i = 0; i < kEngineThreads; ++i) {
    char target[1024];
    snprintf(target, sizeof target, "%s/misuse-host-thread%d.sqlite", workdir, i);
    remove(target);
    snprintf(thread_configs[i], sizeof thread_configs[i],
             "{\"source\":{\"backend\":\"sqlite3\",\"connection\":\"db=%s\",\"profile\":\"canonical\"},"
             "\"target\":{\"backend\":\"sqlite3\",\"connection\":\"db=%s\"},\"as_of\":\"2024-02-29\"}", db, target);
    CHECK(pthread_create(&th[i], NULL, engine_thread, thread_configs[i]) == 0);
  }
  for (int i = 0; i < kEngineThreads; ++i) {
    void *ok = NULL;
    pthread_join(th[i], &ok);
    CHECK(ok == thread_configs[i]);
  }
}

/* ---- a far as_of is refused before memory grows --------------------------- */

static void far_as_of(void) {
  cskpi_engine *e = open_engine(config);
  cskpi_result *r = NULL;
  CHECK(cskpi_compute(e, "{\"as_of\":\"9999-12-31\"}", &r) == CSKPI_CONFIG && r == NULL);
  CHECK(contains(cskpi_engine_error(e), "coarser granularity"));
  cskpi_engine_close(e);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s WORKDIR\n", argv[0]);
    return 2;
  }
  char db[1024], target[1024];
  snprintf(db, sizeof db, "%s/misuse-host.sqlite", argv[1]);
  snprintf(target, sizeof target, "%s/misuse-host-target.sqlite", argv[1]);
  remove(target);
  if (!make_db(db, kSchema)) return 1;
  snprintf(config, sizeof config,
           "{\"source\":{\"backend\":\"sqlite3\",\"connection\":\"db=%s\",\"profile\":\"canonical\"},"
           "\"as_of\":\"2024-02-29\"}", db);
  snprintf(target_config, sizeof target_config,
           "{\"source\":{\"backend\":\"sqlite3\",\"connection\":\"db=%s\",\"profile\":\"canonical\"},"
           "\"target\":{\"backend\":\"sqlite3\",\"connection\":\"db=%s\"},\"as_of\":\"2024-02-29\"}", db, target);

  null_handles();
  double_release();
  reentrant_callbacks();
  two_threads_one_engine();
  cancellation();
  results_across_threads();
  engines_in_threads(db, argv[1]);
  far_as_of();

  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("misuse host: all checks passed\n");
  return failures ? 1 : 0;
}
