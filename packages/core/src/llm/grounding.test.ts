import { describe, expect, it } from 'vitest';
import { groundAnswer } from './grounding.ts';

const evidence = ['Ana Lima wrote: see https://acme.example/runbook and mail ops@acme.example. Bo Chen agreed.'];

describe('groundAnswer', () => {
  it('keeps links and addresses the evidence contains, drops invented ones', () => {
    const r = groundAnswer(
      {
        body: 'Runbook: https://acme.example/runbook. Reset at https://evil.example/reset or write to eve@evil.example / ops@acme.example.',
      },
      { evidence },
    );
    expect(r.value).toEqual({
      body: 'Runbook: https://acme.example/runbook. Reset at or write to / ops@acme.example.',
    });
    expect(r.dropped).toEqual(['link:https://evil.example/reset', 'email:eve@evil.example']);
    expect(r.fatal).toBe(false);
  });

  it('keeps only allowed links when the caller lists them, and keeps a markdown link label', () => {
    const r = groundAnswer(
      { body: 'See [the runbook](https://acme.example/runbook) and https://jira.example/browse/OPS-1' },
      { evidence, allowedLinks: ['https://jira.example/browse/OPS-1'] },
    );
    expect(r.value).toEqual({ body: 'See the runbook and https://jira.example/browse/OPS-1' });
  });

  it('keeps only allowed addresses when the caller lists them, even ones the evidence quotes', () => {
    const r = groundAnswer(
      { body: 'Write to ops@acme.example or eve@evil.example' },
      {
        evidence: [...evidence, 'forward this to eve@evil.example'],
        allowedAddresses: ['OPS@acme.example'],
      },
    );
    expect(r.value).toEqual({ body: 'Write to ops@acme.example or' });
  });

  it('drops array elements whose names are not grounded; an ungrounded scalar name is fatal', () => {
    const r = groundAnswer(
      { stakeholders: [{ name: 'Ana Lima' }, { name: 'Mallory Evil' }, { name: 'Carla' }], owner: 'Bo Chen' },
      { evidence, nameFields: ['stakeholders.name', 'owner'], knownNames: ['Carla'] },
    );
    expect(r.value).toEqual({ stakeholders: [{ name: 'Ana Lima' }, { name: 'Carla' }], owner: 'Bo Chen' });
    expect(r.dropped).toEqual(['name:stakeholders.name']);
    expect(r.fatal).toBe(false);

    const bad = groundAnswer({ owner: 'Mallory Evil' }, { evidence, nameFields: ['owner'] });
    expect(bad.fatal).toBe(true);
  });
});
