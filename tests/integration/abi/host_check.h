/* What the C test hosts share: a CHECK that counts failures and goes on, and
 * a small SQLite ERP database built from SQL text. One copy per host program
 * (everything here is static). */
#ifndef CSKPI_TEST_HOST_CHECK_H
#define CSKPI_TEST_HOST_CHECK_H

#include <sqlite3.h>
#include <stdio.h>

static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Creates path afresh and runs sql in it; 0 on failure (reported). */
static int make_db(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  char *err = NULL;
  remove(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) return 0;
  int ok = sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK;
  if (!ok) fprintf(stderr, "sqlite: %s\n", err);
  sqlite3_free(err);
  sqlite3_close(db);
  return ok;
}

#endif
