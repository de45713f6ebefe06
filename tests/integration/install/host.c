/* A host built against an installed cskpi (found through pkg-config or
 * find_package): opens an engine on the SQLite database of the argument
 * (made by the test script: customers a, b; orders of 10 and 30 on March 1
 * and 2, 2024, and one of 20 by b on March 20) and checks March's numbers
 * against hand-computed values (kpi-spec §3: orders count, AOV = revenue of
 * orders / orders).
 * usage: host DATABASE.sqlite   exit 0 = all checks passed */
#include <cskpi.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static int column(const cskpi_result *r, const char *name) {
  for (int32_t c = 0; c < cskpi_result_column_count(r); ++c)
    if (strcmp(cskpi_result_column_name(r, c), name) == 0) return c;
  return -1;
}

/* The value of kpi in segment for March 2024; NAN when absent or null. */
static double march(const cskpi_result *r, const char *kpi, const char *segment) {
  int k = column(r, "kpi"), s = column(r, "segment"), p = column(r, "period_start"), v = column(r, "value");
  for (int64_t row = 0; row < cskpi_result_row_count(r); ++row)
    if (strcmp(cskpi_result_text(r, row, k), kpi) == 0 && strcmp(cskpi_result_text(r, row, s), segment) == 0 &&
        strcmp(cskpi_result_text(r, row, p), "2024-03-01") == 0)
      return cskpi_result_double(r, row, v);
  return NAN;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host DATABASE.sqlite\n");
    return 2;
  }
  char config[4096];
  snprintf(config, sizeof config,
           "{\"source\": {\"backend\": \"sqlite3\", \"connection\": \"db=%s\"}, \"as_of\": \"2024-03-31\"}", argv[1]);
  cskpi_engine *engine = NULL;
  if (cskpi_engine_open(config, &engine) != CSKPI_OK) {
    fprintf(stderr, "open: %s\n", cskpi_last_error());
    return 1;
  }
  cskpi_result *kpis = NULL;
  if (cskpi_compute(engine, "{\"table\": \"kpis\"}", &kpis) != CSKPI_OK) {
    fprintf(stderr, "compute: %s\n", cskpi_engine_error(engine));
    cskpi_engine_close(engine);
    return 1;
  }
  double orders = march(kpis, "orders", "all"), aov = march(kpis, "aov", "all");
  int ok = orders == 3 && fabs(aov - 20) < 1e-9; /* (10 + 30 + 20) / 3 */
  printf("cskpi %s (ABI %d): orders %g, aov %g: %s\n", cskpi_version(), cskpi_abi_version(), orders, aov,
         ok ? "ok" : "WRONG (expected 3 and 20)");
  cskpi_result_free(kpis);
  cskpi_engine_close(engine);
  return ok ? 0 : 1;
}
