import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CaseEvent, CaseRecord } from '../src/index.ts';
import { parseTimestamp } from '../src/time/index.ts';

/** The real BPIC 2013 incidents log bundled with the CLI (apps/cli/data/SOURCE.md): 7,554 cases. */
export const BPIC2013_INCIDENTS = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'apps',
  'cli',
  'data',
  'bpic2013-incidents.xes.gz',
);

/** A real log in the shared data folder (`../shared/data/eventlogs`, SOURCE.txt there), if this checkout has it. */
export function sharedEventLog(name: string): string | undefined {
  const path = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'eventlogs', name);
  return existsSync(path) ? path : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : ENTITIES[e]!,
  );
const ATTRIBUTE = /<(string|date|int|float|boolean) key="([^"]*)" value="([^"]*)"\s*\/>/g;

function attributesOf(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(ATTRIBUTE)) if (!out.has(m[2]!)) out.set(decode(m[2]!), decode(m[3]!));
  return out;
}

/**
 * The cases of an XES log (gzipped or not), in file order, read the way the CLI's XES reader maps
 * them (a test's own small reader: core has no I/O): one `activity` event per log event, the state
 * "activity/lifecycle" (or the activity alone), the owner `org:group` (else `org:resource`).
 */
export function readXesCases(path: string): CaseRecord[] {
  const raw = readFileSync(path);
  const xml = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const source = path.split('/').pop()!;
  const cases: CaseRecord[] = [];
  for (const trace of xml.split('<trace>').slice(1)) {
    const body = trace.slice(0, trace.indexOf('</trace>'));
    const head = attributesOf(body.slice(0, body.indexOf('<event>') < 0 ? body.length : body.indexOf('<event>')));
    const id = head.get('concept:name') ?? `trace ${cases.length + 1}`;
    const events: CaseEvent[] = [];
    for (const m of body.matchAll(/<event>([\s\S]*?)<\/event>/g)) {
      const a = attributesOf(m[1]!);
      const time = a.get('time:timestamp');
      const ts = time === undefined ? undefined : parseTimestamp(time);
      if (ts === undefined) throw new Error(`${source}: case ${id} has an event without a readable time:timestamp`);
      const activity = a.get('concept:name') ?? '';
      const lifecycle = a.get('lifecycle:transition');
      const state = lifecycle === undefined ? activity : `${activity}/${lifecycle}`;
      events.push({
        caseId: id,
        at: ts.at,
        offsetMinutes: ts.offsetMinutes,
        kind: 'activity',
        to: state,
        state,
        owner: a.get('org:group') ?? a.get('org:resource') ?? null,
        actor: a.get('org:resource') ?? null,
      });
    }
    cases.push({ id, source, attributes: {}, events });
  }
  return cases;
}
