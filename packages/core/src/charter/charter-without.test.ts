import { describe, expect, it } from 'vitest';
import type { Charter } from './charter-schema.ts';
import { CHARTER_VERSION } from './charter-schema.ts';
import { CLOSED_ACCOUNT_TEXT, charterWithout } from './charter-without.ts';
import { parseCharter } from './parse-charter.ts';

const charterOf = (doc: Record<string, unknown>): Charter => {
  const r = parseCharter({ version: CHARTER_VERSION, ...doc });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

const naming = (message = 'ping u-ada about {case}'): Charter =>
  charterOf({
    routing: {
      teams: [{ id: 'support', lead: 'u-ada', members: [{ id: 'u-ada' }, { id: 'u-grace' }] }],
      ownership: [{ id: 'all', team: 'support', owner: 'u-ada' }],
    },
    escalation: { ladders: [{ id: 'stall', steps: [{ idle: '2d', do: 'notify-lead', target: 'u-ada', message }] }] },
    report: { to: ['u-ada', 'u-grace'] },
  });

describe('charterWithout (a closed account leaves the charter)', () => {
  it('drops the person from lists, removes the fields that named them, rewrites text, and says where', () => {
    const { charter, paths } = charterWithout(naming(), 'u-ada');
    expect(JSON.stringify(charter)).not.toContain('u-ada');
    expect(charter.routing.teams[0]?.lead).toBeUndefined();
    expect(charter.routing.teams[0]?.members).toEqual([expect.objectContaining({ id: 'u-grace' })]);
    expect(charter.routing.ownership[0]?.owner).toBeUndefined();
    expect(charter.escalation.ladders[0]?.steps[0]?.target).toBeUndefined();
    expect(charter.escalation.ladders[0]?.steps[0]?.message).toBe(`ping ${CLOSED_ACCOUNT_TEXT} about {case}`);
    expect(charter.report.to).toEqual(['u-grace']);
    expect(paths).toEqual(
      expect.arrayContaining([
        'routing.teams[0].lead',
        'routing.teams[0].members[0]',
        'routing.ownership[0].owner',
        'report.to[0]',
      ]),
    );
  });

  it('answers a charter that does not name the person as it was, with no paths', () => {
    const before = naming();
    const r = charterWithout(before, 'u-nobody');
    expect(r.charter).toBe(before);
    expect(r.paths).toEqual([]);
  });

  it('replaces the id by text instead where removing would leave the charter invalid (a required field)', () => {
    // A ladder step's message is required: removing the field that held only the id would be refused.
    const { charter, paths } = charterWithout(naming('u-ada'), 'u-ada');
    expect(JSON.stringify(charter)).not.toContain('u-ada');
    expect(charter.escalation.ladders[0]?.steps[0]?.message).toBe(CLOSED_ACCOUNT_TEXT);
    expect(charter.report.to).toEqual([CLOSED_ACCOUNT_TEXT, 'u-grace']);
    expect(paths).toContain('escalation.ladders[0].steps[0].message');
  });
});
