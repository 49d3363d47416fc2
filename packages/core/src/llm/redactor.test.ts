import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, mapStrings, passesLuhn } from './redactor.ts';

// Made-up values shaped like the real thing; none of them is a live credential.
const SECRETS = {
  openai: 'sk-proj-Abc123Def456Ghi789Jkl012Mno345',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  slack: 'xoxb-1234567890-0987654321-AbCdEfGhIjKl',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  atlassian: 'ATATT3xFfGF0T4nLh0L0n9pQrStUvWxYz0123456789abcdef',
};

describe('createRedactor', () => {
  it.each(Object.entries(SECRETS))('replaces a %s token with a placeholder', (_kind, token) => {
    const r = createRedactor();
    const out = r.redact(`here is the key ${token} please keep it safe`);
    expect(out).not.toContain(token);
    expect(out).toMatch(/\[\[SECRET_1\]\]/);
  });

  it('redacts bearer tokens, passwords and URL credentials but keeps their labels', () => {
    const r = createRedactor();
    const out = r.redact(
      'curl -H "Authorization: Bearer abcdef0123456789xyz" https://bob:hunter2pass@example.com/x; password=Tr0ub4dor&3, pwd: "c0rrect horse"',
    );
    expect(out).toContain('Bearer [[SECRET_1]]');
    expect(out).toContain('https://bob:[[SECRET_2]]@example.com/x');
    expect(out).toContain('password=[[SECRET_3]]');
    expect(out).toContain('pwd: [[SECRET_4]]');
    expect(out).not.toMatch(/hunter2|Tr0ub4dor|c0rrect/);
  });

  it('redacts card numbers only when the Luhn check passes', () => {
    const r = createRedactor();
    const out = r.redact('card 4111 1111 1111 1111, order 4111 1111 1111 1112, ref 2026-11-23');
    expect(out).toContain('card [[CARD_1]]');
    expect(out).toContain('order 4111 1111 1111 1112');
    expect(out).toContain('2026-11-23');
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });

  it('redacts emails and phone numbers, leaves dates, IPs, ids and versions alone', () => {
    const r = createRedactor();
    const text =
      'Mail jane.doe@acme.example or call +44 20 7946 0958 / (555) 123-4567 / 555-123-4567. ' +
      'Seen 2026-11-23 10:30 on 192.168.10.200, ticket PROJ-12345, build 1.24.3, id 10023.';
    const out = r.redact(text);
    expect(out).toContain('Mail [[EMAIL_1]]');
    expect(out).toContain('call [[PHONE_1]] / [[PHONE_2]] / [[PHONE_3]].');
    expect(out).toContain('2026-11-23 10:30 on 192.168.10.200, ticket PROJ-12345, build 1.24.3, id 10023.');
    expect(r.counts()).toEqual({ secret: 0, card: 0, email: 1, phone: 3 });
  });

  it('gives the same value the same placeholder, and restores contact details but not secrets', () => {
    const r = createRedactor();
    const a = r.redact(`from ana@x.example with key ${SECRETS.openai}`);
    const b = r.redact('cc ana@x.example and bo@x.example');
    expect(a).toBe('from [[EMAIL_1]] with key [[SECRET_1]]');
    expect(b).toBe('cc [[EMAIL_1]] and [[EMAIL_2]]');
    expect(r.restore('write to [[EMAIL_2]], key [[SECRET_1]], card [[CARD_7]]')).toBe(
      'write to bo@x.example, key [redacted], card [redacted]',
    );
  });

  it('round-trips any text when every kind is restorable', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.emailAddress(),
      fc.constantFrom(...Object.values(SECRETS), '4111 1111 1111 1111', '+1 415 555 0100'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const text = parts.join(' ');
        const r = createRedactor({ restore: ['secret', 'card', 'email', 'phone'] });
        const redacted = r.redact(text);
        for (const s of Object.values(SECRETS)) if (text.includes(s)) expect(redacted).not.toContain(s);
        expect(r.restore(redacted)).toBe(text);
      }),
    );
  });

  it('mapStrings rewrites nested strings and keeps other values', () => {
    expect(mapStrings({ a: ['x', 1, { b: 'y' }], c: null }, (s) => s.toUpperCase())).toEqual({
      a: ['X', 1, { b: 'Y' }],
      c: null,
    });
  });
});
