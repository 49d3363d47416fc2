import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJiraKeys, searchableSubject } from './jira-keys.ts';

describe('findJiraKeys', () => {
  it('finds keys in order, once each, and skips look-alikes', () => {
    expect(
      findJiraKeys('Re: [SUP-2] and OPS-17, again SUP-2; not UTF-8, ISO-8601, SHA-256, sup-3, X-1, SUP-0, ABC-12-3'),
    ).toEqual(['SUP-2', 'OPS-17']);
    expect(findJiraKeys('see https://acme.atlassian.net/browse/SUP-12?focusedCommentId=1')).toEqual(['SUP-12']);
    expect(findJiraKeys('no keys here')).toEqual([]);
  });

  it('never returns more than the limit, and only well-formed keys', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 1, max: 30 }), (text, limit) => {
        const keys = findJiraKeys(text, limit);
        return (
          keys.length <= limit &&
          keys.every((k) => /^[A-Z][A-Z0-9_]+-[1-9]\d*$/.test(k)) &&
          new Set(keys).size === keys.length
        );
      }),
    );
  });
});

describe('searchableSubject', () => {
  it('drops reply and forward prefixes and leading tags', () => {
    expect(searchableSubject('RE: Fwd: AW: [External] Invoice PDF shows the wrong VAT rate')).toBe(
      'Invoice PDF shows the wrong VAT rate',
    );
    expect(searchableSubject('   ')).toBe('');
  });
});
