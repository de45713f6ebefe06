// The DuckDB contender of tests/bench/run.sh: runs sql/bench/core_kpis.sql,
// the same text as the PostgreSQL contender, over DuckDB's own copy of the
// canonical sources (loaded by duckdb_load.mjs) and writes the report as CSV.
//
//   node duckdb_kpis.mjs DB_FILE SQL_FILE OUT_CSV
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [dbFile, sqlFile, out] = process.argv.slice(2);
if (!dbFile || !sqlFile || !out) {
  console.error('usage: node duckdb_kpis.mjs DB_FILE SQL_FILE OUT_CSV');
  process.exit(2);
}
// COPY (query) TO wants the bare query: no comments, no closing semicolon.
const sql = readFileSync(sqlFile, 'utf8')
  .split('\n')
  .map((l) => l.replace(/--.*$/, ''))
  .join('\n')
  .trim()
  .replace(/;$/, '');
const instance = await DuckDBInstance.create(dbFile, { access_mode: 'READ_ONLY' });
const con = await instance.connect();
await con.run(`COPY (${sql}) TO '${out}' (HEADER, DELIMITER ',')`);
con.closeSync();
instance.closeSync();
