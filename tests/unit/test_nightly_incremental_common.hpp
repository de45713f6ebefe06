// The small ERP-like database of the incremental nightly tests
// (test_nightly_incremental.cpp: SQLite, test_nightly_incremental_pg.cpp:
// PostgreSQL), read by the profile tests/data/incremental_erp: partners,
// orders with lines, invoices, each with write_date (UTC), and the day's
// edits written with the database's current UTC time, as an ERP would.
#pragma once

#include <string>

#include "test_nightly_common.hpp"

namespace cskpi::test {

inline const std::string kIncrementalProfile = std::string(CSKPI_TEST_DATA_DIR) + "/incremental_erp";

// The database's UTC clock as the ERP writes write_date.
inline std::string erp_now(bool pg) {
  return pg ? "(now() AT TIME ZONE 'UTC')" : "strftime('%Y-%m-%d %H:%M:%S', 'now')";
}

// 12 partners; order n (1..40) of partner n % 12 + 1 has 1 + n % 3 lines
// and one posted invoice; orders 1..4 are the ones edited below. Everything
// written at 2025-01-01 00:00:00.
inline void fill_erp(soci::session &s, bool pg) {
  const std::string ts = pg ? "TIMESTAMP" : "TEXT", date = pg ? "DATE" : "TEXT";
  const std::string old = "'2025-01-01 00:00:00'";
  s << "CREATE TABLE partner (id INTEGER PRIMARY KEY, name TEXT, segment TEXT, create_date " + date +
           ", write_date " + ts + ")";
  s << "CREATE TABLE sale_order (id INTEGER PRIMARY KEY, partner_id INTEGER, date_order " + date +
           ", state TEXT, write_date " + ts + ")";
  s << "CREATE TABLE sale_order_line (id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, category TEXT, "
       "amount DOUBLE PRECISION, write_date " + ts + ")";
  s << "CREATE TABLE account_invoice (id INTEGER PRIMARY KEY, partner_id INTEGER, invoice_date " + date +
           ", due_date " + date + ", paid_date " + date +
           ", amount DOUBLE PRECISION, kind TEXT, state TEXT, write_date " + ts + ")";
  InsertBuffer b;
  for (int p = 1; p <= 12; ++p)
    b.add("partner", std::to_string(p) + ", 'Partner " + std::to_string(p) + "', " +
                         (p % 2 ? "'smb'" : "'enterprise'") + ", '2023-01-0" + std::to_string(1 + p % 9) + "', " + old);
  int line = 0;
  for (int n = 1; n <= 40; ++n) {
    const Day d = make_day(2023, 1, 5) + n * 13;
    const int partner = n % 12 + 1;
    b.add("sale_order", std::to_string(n) + ", " + std::to_string(partner) + ", " + q(day_text(d)) + ", 'sale', " + old);
    for (int l = 0; l < 1 + n % 3; ++l)
      b.add("sale_order_line", std::to_string(++line) + ", " + std::to_string(n) + ", " + std::to_string(l) + ", " +
                                   (l % 2 ? "'software'" : "'hardware'") + ", " + std::to_string(100 + n * 3 + l) +
                                   ", " + old);
    b.add("account_invoice", std::to_string(n) + ", " + std::to_string(partner) + ", " + q(day_text(d)) + ", " +
                                 q(day_text(d + 30)) + ", " + (n % 4 ? q(day_text(d + 20)) : "NULL") + ", " +
                                 std::to_string(120 + n * 3) + ", 'invoice', 'posted', " + old);
  }
  b.flush(s);
}

// order_lines rows of the changes SELECT after edit_erp: order 1 (2 lines)
// + 2 (3) + 4 (2) + 1000 (2) + 1001 (1).
inline constexpr long long kOrderChangeRows = 10;
// Orders the documents SELECT returns after edit_erp: 40 - order 3 + 1000 + 1001.
inline constexpr long long kOrdersAfterEdit = 41;

// A line edited, an order cancelled, one hard-deleted, one re-assigned to
// another customer, a backdated new order, a draft, a customer's segment and
// an invoice's payment.
inline void edit_erp(soci::session &s, bool pg) {
  const std::string now = erp_now(pg);
  s << "UPDATE sale_order_line SET amount = amount + 7, write_date = " + now + " WHERE order_id = 1 AND product_id = 1";
  s << "UPDATE sale_order SET state = 'cancel', write_date = " + now + " WHERE id = 2";
  s << "DELETE FROM sale_order_line WHERE order_id = 3";
  s << "DELETE FROM sale_order WHERE id = 3";
  s << "UPDATE sale_order SET partner_id = 9, write_date = " + now + " WHERE id = 4";
  s << "INSERT INTO sale_order VALUES (1000, 3, '2023-03-05', 'sale', " + now + ")";  // backdated
  s << "INSERT INTO sale_order_line VALUES (5000, 1000, 0, 'hardware', 55, " + now + "), (5001, 1000, 1, 'services', 5, " +
           now + ")";
  s << "INSERT INTO sale_order VALUES (1001, 3, '2024-06-01', 'draft', " + now + ")";
  s << "INSERT INTO sale_order_line VALUES (5002, 1001, 0, 'hardware', 999, " + now + ")";
  s << "UPDATE partner SET segment = 'enterprise', write_date = " + now + " WHERE id = 5";
  s << "UPDATE account_invoice SET paid_date = '2024-05-01', write_date = " + now + " WHERE id = 4";
}

}  // namespace cskpi::test
