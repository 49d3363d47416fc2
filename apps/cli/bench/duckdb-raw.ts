// `node apps/cli/bench/duckdb-raw.ts <log.csv> [case] [activity] [timestamp]`: the peer for the CSV
// reader. DuckDB reads the raw CSV itself (read_csv) and computes the headline figures with Baton's
// definitions (see duckdb-figures.ts); prints them as JSON. Plain TypeScript that Node runs
// without a transpiler, so the peer pays no tsx start-up either.
import { DuckDBInstance } from '@duckdb/node-api';
import { CYCLE_SQL, STATES_SQL, type Figures } from './duckdb-figures.ts';

const DAY = 86_400_000;

/** The figures DuckDB computes from a raw event-log CSV, and the seconds it took (start to end). */
export async function duckdbRawFigures(
  path: string,
  columns: { caseKey: string; activityKey: string; timestampKey: string },
): Promise<{ figures: Figures; seconds: number }> {
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const id = (s: string) => `"${s.replaceAll('"', '""')}"`;
  // Every column as text: DuckDB then parses the timestamps itself, offsets included, and the
  // state is the activity as written. `seq` keeps the file's order for events at the same time.
  await db.run(
    `CREATE TABLE ev AS SELECT ${id(columns.caseKey)} AS "case", ${id(columns.activityKey)} AS state,
       epoch_ms(CAST(${id(columns.timestampKey)} AS TIMESTAMPTZ)) AS ts, row_number() OVER () AS seq
     FROM read_csv(${q(path)}, header = true, all_varchar = true)`,
  );
  const cycleRows = (await db.runAndReadAll(CYCLE_SQL)).getRowObjects();
  const stateRows = (await db.runAndReadAll(STATES_SQL)).getRowObjects();
  const seconds = (performance.now() - t0) / 1000;
  db.closeSync();
  instance.closeSync();
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const days = (v: unknown) => {
    const n = num(v);
    return n === null ? null : n / DAY;
  };
  const c = cycleRows[0] ?? {};
  const states: Figures['states'] = {};
  for (const r of stateRows) {
    states[String(r.state)] = {
      visits: Number(r.visits),
      totalDays: Number(r.total) / DAY,
      medianDays: days(r.p50),
      p90Days: days(r.p90),
    };
  }
  return {
    figures: { cycle: { count: Number(c.n ?? 0), p50: days(c.p50), p90: days(c.p90), mean: days(c.mean) }, states },
    seconds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, caseKey = 'case:concept:name', activityKey = 'concept:name', timestampKey = 'time:timestamp'] =
    process.argv.slice(2);
  if (path === undefined) {
    process.stderr.write('usage: duckdb-raw <log.csv> [case] [activity] [timestamp]\n');
    process.exit(2);
  }
  const r = await duckdbRawFigures(path, { caseKey, activityKey, timestampKey });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
