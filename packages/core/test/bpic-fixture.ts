import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseEvent, CaseRecord } from '../src/index.ts';
import { parseTimestamp } from '../src/time/index.ts';

/**
 * The two real BPIC 2013 traces in test/fixtures, as the XES reader produces them with
 * `--owner org:group`: one `activity` event per log event, state = "activity/lifecycle".
 */
export function bpicTraces(): CaseRecord[] {
  const lines = readFileSync(join(import.meta.dirname, 'fixtures', 'bpic2013-two-traces.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const cases = new Map<string, CaseEvent[]>();
  for (const line of lines) {
    const [caseId, group, resource, activity, lifecycle, time] = line.split('\t') as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const ts = parseTimestamp(time);
    if (ts === undefined) throw new Error(`bad timestamp ${time}`);
    const state = `${activity}/${lifecycle}`;
    const events = cases.get(caseId) ?? [];
    events.push({
      caseId,
      at: ts.at,
      offsetMinutes: ts.offsetMinutes,
      kind: 'activity',
      to: state,
      state,
      owner: group,
      actor: resource,
    });
    cases.set(caseId, events);
  }
  return [...cases].map(([id, events]) => ({ id, source: 'bpic2013-two-traces.tsv', attributes: {}, events }));
}
