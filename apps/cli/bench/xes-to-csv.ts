// `tsx apps/cli/bench/xes-to-csv.ts <log.xes.gz> <out.csv>`: writes an XES log as a pm4py-style CSV
// (one event a row, case id first), so that the CSV reader and DuckDB's read_csv can be benchmarked
// on the same events as the XES reader. Not a test.
import { createWriteStream } from 'node:fs';
import { formatTimestamp } from '@baton/core/time';
import { defineReadOptions } from '../src/readers/read-options.ts';
import { readInputs } from '../src/readers/read-inputs.ts';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  process.stderr.write('usage: xes-to-csv <log.xes[.gz]> <out.csv>\n');
  process.exit(2);
}
const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const out = createWriteStream(output);
out.write('case:concept:name,concept:name,time:timestamp,org:resource\n');
let chunk = '';
for await (const item of readInputs([input], defineReadOptions())) {
  if (item.type !== 'case') continue;
  const r = item.record;
  for (const e of r.events) {
    chunk += `${quote(r.id)},${quote(e.to ?? '')},${formatTimestamp(e.at, e.offsetMinutes)},${quote(e.actor ?? '')}\n`;
  }
  if (chunk.length > 1 << 20) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    chunk = '';
  }
}
out.write(chunk);
await new Promise<void>((r) => out.end(() => r()));
