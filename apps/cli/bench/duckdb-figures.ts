import { DuckDBInstance } from '@duckdb/node-api';

export interface Figures {
  readonly cycle: {
    readonly count: number;
    readonly p50: number | null;
    readonly p90: number | null;
    readonly mean: number | null;
  };
  readonly states: Record<
    string,
    { visits: number; totalDays: number; medianDays: number | null; p90Days: number | null }
  >;
}

const DAY = 86_400_000;

// The same definitions as core's analysis (see summarizeCase): cycle time = last − first event over
// cases with at least two events; a visit starts at an event whose state differs from the previous
// known state and lasts until the next visit starts, or until the case's last event. Quantiles are
// DuckDB's quantile_cont, the same linear interpolation (type 7) as core's `quantileSorted`.
export const CYCLE_SQL = `
  WITH c AS (SELECT "case", count(*) AS n, max(ts) - min(ts) AS ms FROM ev GROUP BY 1)
  SELECT count(*)::DOUBLE AS n,
         quantile_cont(ms, 0.5)::DOUBLE AS p50, quantile_cont(ms, 0.9)::DOUBLE AS p90, avg(ms)::DOUBLE AS mean
  FROM c WHERE n >= 2`;

export const STATES_SQL = `
  WITH known AS (
    SELECT "case", seq, ts, state, lag(state) OVER (PARTITION BY "case" ORDER BY seq) AS prev
    FROM ev WHERE state IS NOT NULL AND state <> ''),
  starts AS (
    SELECT "case", ts, state, lead(ts) OVER (PARTITION BY "case" ORDER BY seq) AS next_at
    FROM known WHERE prev IS NULL OR prev <> state),
  last AS (SELECT "case", max(ts) AS last_at FROM ev GROUP BY 1),
  visits AS (SELECT s.state, coalesce(s.next_at, l.last_at) - s.ts AS ms FROM starts s JOIN last l USING ("case"))
  SELECT state, count(*)::DOUBLE AS visits, sum(ms)::DOUBLE AS total,
         quantile_cont(ms, 0.5)::DOUBLE AS p50, quantile_cont(ms, 0.9)::DOUBLE AS p90
  FROM visits GROUP BY state`;

/** Loads the normalised events CSV into DuckDB and computes the figures; returns them and the seconds taken. */
export async function duckdbFigures(
  csvPath: string,
): Promise<{ figures: Figures; seconds: number; loadSeconds: number }> {
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const path = csvPath.replaceAll("'", "''");
  await db.run(
    `CREATE TABLE ev AS SELECT * FROM read_csv('${path}', header = true, quote = '"', escape = '"',
       columns = {'case': 'VARCHAR', 'seq': 'INTEGER', 'ts': 'BIGINT', 'state': 'VARCHAR'})`,
  );
  const loaded = performance.now();
  const cycleRows = (await db.runAndReadAll(CYCLE_SQL)).getRowObjects();
  const stateRows = (await db.runAndReadAll(STATES_SQL)).getRowObjects();
  const seconds = (performance.now() - t0) / 1000;
  db.closeSync();
  instance.closeSync();

  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const c = cycleRows[0] ?? {};
  const days = (v: unknown) => {
    const n = num(v);
    return n === null ? null : n / DAY;
  };
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
    loadSeconds: (loaded - t0) / 1000,
  };
}
