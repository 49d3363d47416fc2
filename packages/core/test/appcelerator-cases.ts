import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseEvent, CaseRecord } from '../src/index.ts';
import { parseTimestamp } from '../src/time/index.ts';

// Test helper: the real Appcelerator issues of fixtures/appcelerator-issues.json as core cases.
// The export has no changelog, so a case is its creation, its comments and its current status/assignee.

interface RawIssue {
  key: string;
  fields: {
    summary: string;
    description: string | null;
    created: string;
    status: { name: string };
    priority: { name: string } | null;
    issuetype: { name: string };
    assignee: { name: string } | null;
    reporter: { name: string } | null;
    labels: string[];
    comment: { comments: { author: { name: string }; created: string; body: string }[] };
  };
}

export const RAW_ISSUES: RawIssue[] = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'appcelerator-issues.json'), 'utf8'),
) as RawIssue[];

function at(text: string): { at: number; offsetMinutes: number } {
  const ts = parseTimestamp(text);
  if (ts === undefined) throw new Error(`bad timestamp in fixture: ${text}`);
  return ts;
}

export function toCase(raw: RawIssue): CaseRecord {
  const f = raw.fields;
  const events: CaseEvent[] = [{ caseId: raw.key, ...at(f.created), kind: 'created', actor: f.reporter?.name ?? null }];
  for (const c of f.comment.comments) {
    events.push({ caseId: raw.key, ...at(c.created), kind: 'comment', actor: c.author.name, text: c.body });
  }
  events.sort((a, b) => a.at - b.at);
  return {
    id: raw.key,
    source: 'appcelerator-issues.json',
    title: f.summary,
    ...(f.description === null ? {} : { description: f.description }),
    attributes: {
      reporter: f.reporter?.name ?? null,
      priority: f.priority?.name ?? null,
      issuetype: f.issuetype.name,
      labels: f.labels,
    },
    state: f.status.name,
    owner: f.assignee?.name ?? null,
    events,
  };
}

export function fixtureCase(key: string): CaseRecord {
  const raw = RAW_ISSUES.find((r) => r.key === key);
  if (raw === undefined) throw new Error(`no fixture issue ${key}`);
  return toCase(raw);
}
