import type { CaseRecord } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defineReadOptions, readInputs } from '../readers/index.ts';
import { csvRow } from '../output/csv.ts';
import { createByteSink } from '../output/byte-sink.ts';
import { eventRows, writeEventRows } from './event-rows.ts';

const BPIC2013 = join(import.meta.dirname, '..', '..', 'data', 'bpic2013-incidents.xes.gz');

const fields = { eventLog: 'org:group', jira: 'assignee' };

describe('eventRows', () => {
  it('turns event-log events into created, status, owner and activity rows', () => {
    const record: CaseRecord = {
      id: 'C1',
      source: 'log.xes',
      attributes: {},
      events: [
        {
          caseId: 'C1',
          at: Date.parse('2010-03-31T16:59:42+02:00'),
          offsetMinutes: 120,
          kind: 'activity',
          to: 'Accepted/In Progress',
          state: 'Accepted/In Progress',
          owner: 'V30',
          actor: 'Frederic',
        },
        {
          caseId: 'C1',
          at: Date.parse('2010-03-31T17:00:56+02:00'),
          offsetMinutes: 120,
          kind: 'activity',
          to: 'Accepted/In Progress',
          state: 'Accepted/In Progress',
          owner: 'V30',
          actor: 'Frederic',
        },
        {
          caseId: 'C1',
          at: Date.parse('2010-03-31T17:45:48+02:00'),
          offsetMinutes: 120,
          kind: 'activity',
          to: 'Queued',
          state: 'Queued',
          owner: 'V5 3rd',
          actor: 'Frederic',
        },
      ],
    };
    expect(eventRows(record, fields).map((r) => [r.at, r.kind, r.field, r.from, r.to])).toEqual([
      ['2010-03-31T16:59:42.000+02:00', 'created', '', '', 'Accepted/In Progress'],
      ['2010-03-31T16:59:42.000+02:00', 'owner', 'org:group', '', 'V30'],
      ['2010-03-31T17:00:56.000+02:00', 'activity', '', 'Accepted/In Progress', 'Accepted/In Progress'],
      ['2010-03-31T17:45:48.000+02:00', 'status', 'status', 'Accepted/In Progress', 'Queued'],
      ['2010-03-31T17:45:48.000+02:00', 'owner', 'org:group', 'V30', 'V5 3rd'],
    ]);
  });

  it('keeps Jira kinds and the -05:00 offset, and never copies comment text', () => {
    const at = Date.parse('2015-11-21T07:03:02.000-05:00');
    const record: CaseRecord = {
      id: 'TIMOB-1',
      source: 'jira.json',
      attributes: {},
      events: [
        { caseId: 'TIMOB-1', at, offsetMinutes: -300, kind: 'created', state: 'Open', actor: 'ann' },
        {
          caseId: 'TIMOB-1',
          at: at + 1000,
          offsetMinutes: -300,
          kind: 'owner',
          field: 'assignee',
          from: null,
          to: 'bob',
          actor: 'ann',
        },
        { caseId: 'TIMOB-1', at: at + 2000, offsetMinutes: -300, kind: 'comment', text: 'private words', actor: 'bob' },
        {
          caseId: 'TIMOB-1',
          at: at + 3000,
          offsetMinutes: -300,
          kind: 'status',
          field: 'status',
          from: 'Open',
          to: 'Closed',
          actor: 'bob',
        },
      ],
    };
    const rows = eventRows(record, fields);
    expect(rows[0]).toEqual({
      case: 'TIMOB-1',
      at: '2015-11-21T07:03:02.000-05:00',
      kind: 'created',
      field: '',
      from: '',
      to: 'Open',
      actor: 'ann',
    });
    expect(rows.map((r) => `${r.kind}:${r.field}:${r.to}`)).toEqual([
      'created::Open',
      'owner:assignee:bob',
      'comment::',
      'status:status:Closed',
    ]);
    expect(JSON.stringify(rows)).not.toContain('private');
  });

  it('writes the same CSV bytes directly as csvRow over the rows, on every case of a real log', async () => {
    const chunks: Buffer[] = [];
    // A small buffer, so that rows straddle flushes.
    const sink = createByteSink((b) => chunks.push(Buffer.from(b)), 4096);
    const text = () => {
      sink.close();
      return Buffer.concat(chunks.splice(0)).toString('utf8');
    };
    let cases = 0;
    for await (const item of readInputs([BPIC2013], defineReadOptions({ eventLog: { ownerKey: 'org:group' } }))) {
      if (item.type !== 'case') continue;
      cases++;
      const expected = eventRows(item.record, fields)
        .map((r) => csvRow([r.case, r.at, r.kind, r.field, r.from, r.to, r.actor]))
        .join('');
      writeEventRows(item.record, fields, sink);
      expect(text()).toBe(expected);
    }
    expect(cases).toBe(7554);
  });
});
