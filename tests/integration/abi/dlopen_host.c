/* A C99 host that loads libcskpi the way an ERP does: dlopen the library,
 * look up one symbol (cskpi_plugin_entry), and use only the function table.
 * It builds a tiny canonical-layout SQLite database, computes, and checks
 * numbers worked out by hand, plus the error paths.
 * usage: dlopen_host /path/to/libcskpi.so.1 /tmp/workdir */
#include <dlfcn.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "cskpi.h"
#include "host_check.h"


static const char *kSchema =
    "CREATE TABLE customers(customer_id TEXT, name TEXT, created_on DATE, segment TEXT);"
    "CREATE TABLE order_lines(order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, category TEXT, amount REAL);"
    /* c1 buys in January and February, c2 only in January, c3 in February. */
    "INSERT INTO customers VALUES ('c1','Alpha','2024-01-01','smb'),('c2','Beta','2024-01-01','smb'),"
    "('c3','Gamma','2024-02-01','enterprise');"
    "INSERT INTO order_lines VALUES ('o1','c1','2024-01-10','p1','tools',100),('o1','c1','2024-01-10','p2','paint',50),"
    "('o2','c2','2024-01-20','p1','tools',80),('o3','c1','2024-02-05','p1','tools',120),"
    "('o4','c3','2024-02-07','p3','garden',200);";


/* The value of kpi for period_start and segment "all", NaN when absent. */
static double kpi_value(const cskpi_api *api, const cskpi_result *r, const char *kpi, const char *period) {
  int32_t c_kpi = -1, c_start = -1, c_seg = -1, c_value = -1;
  for (int32_t c = 0; c < api->result_column_count(r); ++c) {
    const char *n = api->result_column_name(r, c);
    if (!strcmp(n, "kpi")) c_kpi = c;
    if (!strcmp(n, "period_start")) c_start = c;
    if (!strcmp(n, "segment")) c_seg = c;
    if (!strcmp(n, "value")) c_value = c;
  }
  for (int64_t i = 0; i < api->result_row_count(r); ++i)
    if (!strcmp(api->result_text(r, i, c_kpi), kpi) && !strcmp(api->result_text(r, i, c_start), period) &&
        !strcmp(api->result_text(r, i, c_seg), "all"))
      return api->result_double(r, i, c_value);
  return NAN;
}

static int progress_calls = 0;
static int count_progress(void *user, const char *phase, int64_t done, int64_t total) {
  (void)phase; (void)done; (void)total;
  ++*(int *)user;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s LIBRARY WORKDIR\n", argv[0]);
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  /* POSIX's way to turn dlsym's object pointer into a function pointer. */
  cskpi_plugin_entry_fn entry = NULL;
  void *sym = dlsym(lib, "cskpi_plugin_entry");
  memcpy(&entry, &sym, sizeof entry);
  CHECK(entry != NULL);
  if (!entry) return 1;
  CHECK(entry(CSKPI_ABI_VERSION + 1) == NULL); /* a future major is refused */
  const cskpi_api *api = entry(CSKPI_ABI_VERSION);
  CHECK(api != NULL && api->size >= sizeof(cskpi_api) && api->abi_version == CSKPI_ABI_VERSION);
  CHECK(strlen(api->version()) > 0);

  /* Errors before a handle exists land in last_error. */
  cskpi_engine *engine = NULL;
  CHECK(api->engine_open("{\"granularity\": \"fortnight\"}", &engine) == CSKPI_CONFIG);
  CHECK(engine == NULL && strstr(api->last_error(), "granularity") != NULL);
  CHECK(api->engine_open("{\"no_such_key\": 1}", &engine) == CSKPI_CONFIG);
  CHECK(strstr(api->last_error(), "no_such_key") != NULL);

  char db[1024], config[2048];
  snprintf(db, sizeof db, "%s/abi-host.sqlite", argv[2]);
  CHECK(make_db(db, kSchema));
  snprintf(config, sizeof config,
           "{\"source\":{\"backend\":\"sqlite3\",\"connection\":\"db=%s\",\"profile\":\"canonical\"},"
           "\"as_of\":\"2024-02-29\"}", db);
  CHECK(api->engine_open(config, &engine) == CSKPI_OK);
  CHECK(api->engine_set_progress(engine, count_progress, &progress_calls) == CSKPI_OK);

  cskpi_result *r = NULL;
  CHECK(api->compute(engine, "{\"table\":\"kpis\"}", &r) == CSKPI_OK);
  CHECK(r != NULL && strcmp(api->result_name(r), "kpis") == 0);
  CHECK(progress_calls > 0);
  /* January: orders o1 (150) and o2 (80): 2 orders, aov 115, 2 new buyers. */
  CHECK(kpi_value(api, r, "orders", "2024-01-01") == 2);
  CHECK(fabs(kpi_value(api, r, "aov", "2024-01-01") - 115.0) < 1e-9);
  CHECK(kpi_value(api, r, "customers_new", "2024-01-01") == 2);
  /* February: o3 (c1, returning) and o4 (c3, new); 3 active at the end. */
  CHECK(kpi_value(api, r, "orders", "2024-02-01") == 2);
  CHECK(kpi_value(api, r, "repeat_purchase_rate", "2024-02-01") == 0.5);
  CHECK(kpi_value(api, r, "customers_active_end", "2024-02-01") == 3);
  /* No invoices source in this profile: revenue KPIs are null, not 0. */
  CHECK(isnan(kpi_value(api, r, "nrr", "2024-02-01")));
  const char *json = api->result_json(r);
  CHECK(json != NULL && json[0] == '[' && strstr(json, "\"kpi\":\"orders\"") != NULL);
  api->result_free(r);

  /* Engine errors stay on the engine handle. */
  r = NULL;
  CHECK(api->compute(engine, "{\"table\":\"nope\"}", &r) == CSKPI_NOT_FOUND);
  CHECK(r == NULL && strstr(api->engine_error(engine), "nope") != NULL);
  CHECK(api->compute(engine, "{\"table\":\"data_quality\"}", &r) == CSKPI_OK);
  api->result_free(r);

  /* ABI 1.1: the report, present when the table is long enough for it. */
  CHECK(api->size >= offsetof(cskpi_api, report) + sizeof api->report);
  r = NULL;
  CHECK(api->report(engine, "{\"as_of\":\"2024-03-31\",\"lang\":\"pt-BR\"}", &r) == CSKPI_OK);
  CHECK(r != NULL && strcmp(api->result_name(r), "report") == 0 && api->result_row_count(r) == 1);
  CHECK(strncmp(api->result_text(r, 0, 0), "<!DOCTYPE html>", 15) == 0);
  CHECK(strstr(api->result_text(r, 0, 0), "não disponível (sem fonte de chamados)") != NULL);
  api->result_free(r);
  r = NULL;
  CHECK(api->report(engine, "{\"colour\":\"red\"}", &r) == CSKPI_CONFIG);
  CHECK(r == NULL && strstr(api->engine_error(engine), "colour") != NULL);
  api->engine_close(engine);

  /* An unreachable database is a SOURCE error with a message, not a crash. */
  snprintf(config, sizeof config,
           "{\"source\":{\"backend\":\"postgresql\",\"connection\":\"host=127.0.0.1 port=1 dbname=x connect_timeout=2\"}}");
  CHECK(api->engine_open(config, &engine) == CSKPI_OK);
  CHECK(api->compute(engine, NULL, &r) == CSKPI_SOURCE);
  CHECK(strlen(api->engine_error(engine)) > 0);
  api->engine_close(engine);

  dlclose(lib);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("dlopen host: all checks passed\n");
  return failures ? 1 : 0;
}
