// Loads the canonical sources, exported as CSV by tests/bench/run.sh (one
// file per source, with a header), into a DuckDB database file: DuckDB's own
// copy of the data, which duckdb_kpis.mjs then queries. The benchmark times
// this load apart from the compute.
//
//   node duckdb_load.mjs CSV_DIR DB_FILE
import { readFileSync, openSync, readSync, closeSync, existsSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

// Column types of the canonical sources (kpi-spec §1).
const TYPES = {
  customer_id: 'VARCHAR', name: 'VARCHAR', created_on: 'DATE', segment: 'VARCHAR',
  order_id: 'VARCHAR', order_date: 'DATE', product_id: 'VARCHAR', category: 'VARCHAR', amount: 'DOUBLE',
  invoice_id: 'VARCHAR', invoice_date: 'DATE', due_date: 'DATE', paid_date: 'DATE', kind: 'VARCHAR',
  ticket_id: 'VARCHAR', opened_at: 'TIMESTAMP', first_response_at: 'TIMESTAMP', resolved_at: 'TIMESTAMP',
  channel: 'VARCHAR', priority: 'VARCHAR', reopen_count: 'INTEGER',
  feedback_id: 'VARCHAR', answered_at: 'TIMESTAMP', score: 'INTEGER',
  subscription_id: 'VARCHAR', start_date: 'DATE', end_date: 'DATE', mrr: 'DOUBLE',
  cost_date: 'DATE',
};
const SOURCES = ['customers', 'order_lines', 'invoices', 'tickets', 'feedback', 'subscriptions', 'retention_costs'];

function header(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.toString('utf8', 0, n).split('\n')[0].trim().split(',');
}

const [dir, dbFile] = process.argv.slice(2);
if (!dir || !dbFile) {
  console.error('usage: node duckdb_load.mjs CSV_DIR DB_FILE');
  process.exit(2);
}
for (const f of [dbFile, dbFile + '.wal']) if (existsSync(f)) rmSync(f);
const instance = await DuckDBInstance.create(dbFile);
const con = await instance.connect();
for (const src of SOURCES) {
  const file = `${dir}/${src}.csv`;
  const cols = header(file).map((c) => {
    if (!TYPES[c]) throw new Error(`${file}: unknown column ${c}`);
    return `'${c}': '${TYPES[c]}'`;
  });
  await con.run(`CREATE TABLE ${src} AS SELECT * FROM read_csv('${file}', header = true, ` +
                `columns = {${cols.join(', ')}})`);
  const r = await con.runAndReadAll(`SELECT count(*) AS n FROM ${src}`);
  console.log(`${src}: ${r.getRowObjectsJson()[0].n} rows`);
}
con.closeSync();
instance.closeSync();
