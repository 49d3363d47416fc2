import { describe, expect, it } from 'vitest';
import { formatIssue } from '../result.ts';
import { CHARTER_VERSION } from './charter-schema.ts';
import { createCharterStore } from './charter-store.ts';
import { DEFAULT_CHARTER } from './default-charter.ts';
import { CHARTER_LIMITS, parseCharter } from './parse-charter.ts';
import { compileCharter } from './compile-charter.ts';

const valid = {
  version: 2,
  name: 'service desk',
  workflow: {
    states: {
      Open: { phase: 'queue' },
      'In Progress': { phase: 'active' },
      'Waiting for customer': {
        phase: 'waiting',
        waitingReason: 'customer',
        ready: [{ kind: 'field', field: 'customfield_10010' }],
        onReady: 'In Progress',
      },
      Closed: { phase: 'done' },
    },
  },
  calendars: { berlin: { timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']], fri: [['09:00', '13:00']] } } },
  slaGoals: [
    { id: 'response', target: '8h', stop: [{ on: 'status', in: ['In Progress'] }] },
    {
      id: 'resolution',
      calendar: 'berlin',
      target: '2d4h',
      when: { priority: ['High', 'Critical'] },
      pause: [{ on: 'waiting', reasons: ['customer'] }],
    },
  ],
  routing: {
    teams: [{ id: 'desk', lead: 'lea', members: [{ id: 'ann', skills: ['network'] }] }],
    ownership: [{ id: 'all', team: 'desk' }],
  },
  escalation: {
    ladders: [
      {
        id: 'res',
        goal: 'resolution',
        steps: [{ slaConsumed: 0.75, do: 'nudge-owner', message: '{case} is at {remaining}' }],
      },
    ],
  },
  autonomy: { kinds: { assign: 'automate' } },
};

describe('parseCharter', () => {
  it('accepts a valid charter and fills the defaults', () => {
    const r = parseCharter(valid);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.autonomy).toEqual({ default: 'assist', kinds: { assign: 'automate' } });
    expect(r.value.slaGoals[0]!.start).toEqual([{ on: 'created' }]);
    expect(r.value.caps.maxNudgesPerCasePerDay).toBe(1);
    const c = compileCharter(r.value);
    expect(c.goals.map((g) => g.targetMs)).toEqual([8 * 3_600_000, 20 * 3_600_000]);
    expect(c.goals[1]!.calendar.timeZone).toBe('Europe/Berlin');
    expect(c.resolve('waiting for customer')).toEqual({ phase: 'waiting', waitingReason: 'customer' });
    expect(c.autonomy('assign')).toBe('automate');
    expect(c.autonomy('comment')).toBe('assist');
  });

  it('defaults to assist everywhere', () => {
    expect(DEFAULT_CHARTER.autonomy).toEqual({ default: 'assist', kinds: {} });
    expect(DEFAULT_CHARTER.version).toBe(CHARTER_VERSION);
  });

  it('rejects an invalid charter whole, listing every problem by path', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test breaks a known-good document in place
    const bad = structuredClone(valid) as Record<string, any>;
    bad.slaGoals.push({ id: 'x', target: 'three days', calendar: 'mars' });
    bad.slaGoals[0].stop = [{ on: 'status', in: ['Doing'] }];
    bad.routing.ownership.push({ id: 'vip', team: 'platinum' });
    bad.confidence = { act: 1.5 };
    bad.escalation.ladders[0].steps.push({ idle: '1d', do: 'raise-priority', message: 'raise' });
    bad.missingInfo = { close: { after: 'a fortnight', to: 'Archived' } };
    const r = parseCharter(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.issues.map(formatIssue);
    expect(lines).toContain("slaGoals[2].target: expected a duration like '8h' or '3d'");
    expect(lines).toContain("slaGoals[2].calendar: unknown calendar 'mars'");
    expect(lines).toContain("slaGoals[0].stop[0].in[0]: unknown state 'Doing' (not in workflow.states)");
    expect(lines).toContain("routing.ownership[1].team: unknown team 'platinum'");
    expect(lines).toContain('escalation.ladders[0].steps[1].priority: expected the priority to raise to');
    expect(lines.some((l) => l.startsWith('confidence.act:'))).toBe(true);
    expect(lines).toContain("missingInfo.close.after: expected a duration like '8h' or '3d'");
    expect(lines).toContain("missingInfo.close.to: unknown state 'Archived' (not in workflow.states)");
    expect(lines.length).toBeGreaterThanOrEqual(8);
  });

  it('lets a model classify only when the charter says so, and only fields the keyword rules label', () => {
    const r = parseCharter(valid);
    expect(r.ok && r.value.routing.modelClassify).toEqual({ enabled: false, fields: [] });
    const classify = [{ field: 'components', label: 'iOS', keywords: ['Xcode'] }];
    const on = parseCharter({
      ...valid,
      routing: { ...valid.routing, classify, modelClassify: { enabled: true, fields: ['components'] } },
    });
    expect(on.ok && on.value.routing.modelClassify).toEqual({ enabled: true, fields: ['components'] });
    const bad = parseCharter({
      ...valid,
      routing: { ...valid.routing, classify, modelClassify: { enabled: 'yes', fields: ['components', 'team'] } },
    });
    expect(bad.ok).toBe(false);
    const lines = bad.ok ? [] : bad.issues.map(formatIssue);
    expect(lines.some((l) => l.startsWith('routing.modelClassify.enabled:'))).toBe(true);
    expect(lines).toContain(
      "routing.modelClassify.fields[1]: no labels for 'team' in routing.classify (the model picks one of the labels the rules name)",
    );
    const empty = parseCharter({ ...valid, routing: { ...valid.routing, classify, modelClassify: { enabled: true } } });
    expect(empty.ok ? [] : empty.issues.map(formatIssue)).toEqual([
      'routing.modelClassify.fields: expected at least one field for the model to classify (e.g. [components])',
    ]);
  });

  it('rejects documents without a version or from the future', () => {
    const none = parseCharter({ name: 'x' });
    expect(!none.ok && formatIssue(none.issues[0]!)).toMatch(/^version: expected a version number/);
    const future = parseCharter({ version: 99 });
    expect(!future.ok && future.issues[0]!.message).toMatch(/newer/);
    expect(parseCharter('version: 2').ok).toBe(false);
  });

  it('refuses unknown keys at every level, naming the key it was probably meant to be', () => {
    const r = parseCharter({
      ...valid,
      caps: { maxNudgesPerCasePerDy: 0 },
      routing: { ...valid.routing, teams: [{ id: 'desk', memebrs: [] }] },
      workflow: { states: { Open: { phase: 'queue', nrom: '1d' } } },
      calendars: { berlin: { timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']] }, holiday: [] } },
      slaGoals: [{ id: 'response', target: '8h', start: [{ on: 'created', in: ['Open'] }] }],
      escalation: { ladders: [] },
      unexpected: true,
    });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.issues.map(formatIssue);
    expect(lines).toContain(
      "caps: unknown key 'maxNudgesPerCasePerDy' (did you mean 'maxNudgesPerCasePerDay'?); expected 'maxNudgesPerCasePerDay', 'maxNudgesPerPersonPerDay', 'quietHours', 'quietOutsideBusinessHours', 'recentTouch'",
    );
    expect(lines.some((l) => l.startsWith("routing.teams[0]: unknown key 'memebrs' (did you mean 'members'?)"))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith("workflow.states.Open: unknown key 'nrom' (did you mean 'norm'?)"))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith("calendars.berlin: unknown key 'holiday' (did you mean 'holidays'?)"))).toBe(
      true,
    );
    expect(
      lines.some((l) => l.startsWith("slaGoals[0].start[0]: unknown key 'in' (did you mean 'on'?); expected 'on'")),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith("unknown key 'unexpected'; expected 'version'"))).toBe(true);
  });

  it('reads how the handoff reaches a new owner: a comment by default, email when asked, anything else by path', () => {
    const plain = parseCharter({ version: 2 });
    expect(plain.ok && plain.value.handoff).toEqual({ by: 'comment' });
    const email = parseCharter({ version: 2, handoff: { by: 'email' } });
    expect(email.ok && email.value.handoff).toEqual({ by: 'email' });
    const bad = parseCharter({ version: 2, handoff: { by: 'sms' } });
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      'handoff.by: Invalid option: expected one of "comment"|"email"',
    ]);
  });

  it('reports a quoted version together with every other problem', () => {
    const r = parseCharter({ ...valid, version: '2', caps: { maxNudgesPerCasePerDy: 0 }, confidence: { act: 2 } });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.issues.map(formatIssue);
    expect(lines[0]).toBe("version: expected the number 2, got the text '2' (write version: 2 without quotes)");
    expect(lines.some((l) => l.startsWith("caps: unknown key 'maxNudgesPerCasePerDy'"))).toBe(true);
    expect(lines.some((l) => l.startsWith('confidence.act:'))).toBe(true);
    const none = parseCharter({ name: 'x', capz: {} });
    expect(none.ok ? [] : none.issues.map(formatIssue)).toEqual([
      'version: expected a version number (the current one is 2)',
      "unknown key 'capz' (did you mean 'caps'?); expected 'version', 'name', 'scope', 'workflow', 'calendars', 'slaGoals', 'routing', 'missingInfo', 'escalation', 'autonomy', 'confidence', 'risk', 'caps', 'report', 'concierge', 'serviceDesk', 'handoff'",
    ]);
  });

  it('refuses a charter past its size limits before reading it (keys, text, one string, nesting)', () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 450_000; i++) states[`S${i}`] = { phase: 'active' };
    const many = parseCharter({ version: 2, workflow: { states } });
    expect(many.ok ? [] : many.issues.map((i) => i.code)).toEqual(['charter.size']);
    const long = parseCharter({ version: 2, name: 'x'.repeat(CHARTER_LIMITS.string + 1) });
    expect(long.ok ? [] : long.issues.map(formatIssue)).toEqual([
      `name: a text of ${CHARTER_LIMITS.string + 1} characters; at most ${CHARTER_LIMITS.string} are allowed`,
    ]);
    const words = Array.from({ length: 200 }, () => 'y'.repeat(CHARTER_LIMITS.string));
    const text = parseCharter({ version: 2, scope: { labels: words } });
    expect(text.ok ? [] : text.issues.map((i) => i.code)).toEqual(['charter.size']);
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const nested = parseCharter({ version: 2, scope: { labels: deep } });
    expect(nested.ok ? [] : nested.issues.map((i) => i.message)).toEqual([
      `nested more than ${CHARTER_LIMITS.depth} levels deep`,
    ]);
    const atLimit: Record<string, unknown> = {};
    for (let i = 0; i < 4_000; i++) atLimit[`S${i}`] = { phase: 'active' };
    expect(parseCharter({ version: 2, workflow: { states: atLimit } }).ok).toBe(true);
  }, 60_000);

  it('migrates a version 1 charter (thresholds → confidence, warning → warnAt, flat autonomy)', () => {
    const v1 = {
      version: 1,
      thresholds: { act: 0.95, suggest: 0.6 },
      slaGoals: [{ id: 'resolution', target: '3d', warning: 0.8 }],
      autonomy: { default: 'off', assign: 'automate' },
    };
    const r = parseCharter(v1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.version).toBe(2);
    expect(r.value.confidence).toEqual({ act: 0.95, suggest: 0.6 });
    expect(r.value.slaGoals[0]!.warnAt).toEqual([0.8]);
    expect(r.value.autonomy).toEqual({ default: 'off', kinds: { assign: 'automate' } });
  });
});

describe('createCharterStore', () => {
  it('keeps the previous charter in force when an update is rejected', () => {
    const store = createCharterStore();
    expect(store.current()).toBe(DEFAULT_CHARTER);
    const good = store.update(valid);
    expect(good.ok).toBe(true);
    const installed = store.current();
    expect(installed.name).toBe('service desk');
    const bad = store.update({ ...valid, slaGoals: [{ id: 'resolution', target: '8 hours' }] });
    expect(bad.ok).toBe(false);
    expect(store.current()).toBe(installed);
    expect(store.lastRejection().map(formatIssue)).toEqual([
      "slaGoals[0].target: expected a duration like '8h' or '3d'",
    ]);
  });
});
