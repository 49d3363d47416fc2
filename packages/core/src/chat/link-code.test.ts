import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { LINK_CODE_BYTES, findLinkCode, linkCodeFrom } from './link-code.ts';

describe('link codes', () => {
  it('are eight Crockford symbols that findLinkCode reads back from a typed message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: LINK_CODE_BYTES, maxLength: LINK_CODE_BYTES }), (bytes) => {
        const code = linkCodeFrom(bytes);
        expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        expect(findLinkCode(`my code is ${code.toLowerCase()} thanks`)).toBe(code);
        expect(findLinkCode(code.replace('-', ''))).toBe(code);
      }),
      { numRuns: 200 },
    );
  });

  it('differ for different bytes', () => {
    expect(linkCodeFrom(new Uint8Array([0, 0, 0, 0, 1]))).toBe('0000-0001');
    expect(linkCodeFrom(new Uint8Array([255, 255, 255, 255, 255]))).toBe('ZZZZ-ZZZZ');
  });

  it('read O as 0 and I or L as 1, and find nothing in text without a code', () => {
    expect(findLinkCode('ABOI-L234')).toBe('AB01-1234');
    expect(findLinkCode('hello there')).toBeNull();
    expect(findLinkCode('ABCD-EFGU')).toBeNull(); // U is not a Crockford symbol
    expect(findLinkCode('ABCDEFGHJ')).toBeNull(); // nine symbols: not a code
  });

  it('refuse a wrong number of random bytes (a programmer error)', () => {
    expect(() => linkCodeFrom(new Uint8Array(4))).toThrow(RangeError);
  });
});
