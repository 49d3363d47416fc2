import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.ts';

describe('base64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
      }),
    );
  });

  it('matches the standard alphabet and padding', () => {
    expect(encodeBase64(new TextEncoder().encode('Baton!'))).toBe('QmF0b24h');
    expect(encodeBase64(new Uint8Array([255, 1]))).toBe('/wE=');
  });

  it('rejects text that is not base64', () => {
    expect(decodeBase64('abc')).toBeUndefined();
    expect(decodeBase64('ab!d')).toBeUndefined();
  });
});
