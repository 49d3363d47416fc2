import { describe, expect, it } from 'vitest';
import { createHash64Set, createHash64Table } from '../../src/readers/hash64-table.ts';

describe('createHash64Set', () => {
  it('answers yes for every hash added, across growth, and no for others (a = 0 included)', () => {
    const set = createHash64Set(4);
    const key = (i: number): [number, number] => [Math.imul(i, 0x9e3779b1) | 0, Math.imul(i + 7, 0x85ebca6b) | 1];
    for (let i = 0; i < 50_000; i++) {
      expect(set.has(...key(i))).toBe(false);
      expect(set.add(...key(i))).toBe(true);
      expect(set.add(...key(i))).toBe(false); // twice: held once
    }
    expect(set.size).toBe(50_000);
    for (let i = 0; i < 50_000; i++) expect(set.has(...key(i))).toBe(true);
    let yes = 0;
    for (let i = 50_000; i < 150_000; i++) if (set.has(...key(i))) yes++;
    expect(yes).toBe(0);
    // Only `a` and the low 16 bits of `b` are kept: a hash that differs above them is taken for the same.
    set.add(0, 5);
    expect(set.has(0, 5)).toBe(true);
    expect(set.has(0, 6)).toBe(false);
    expect(set.has(0, 5 + (1 << 16))).toBe(true);
  });
});

describe('createHash64Table', () => {
  it('getOrAdd gives the value of a key present and adds one absent, across growth', () => {
    const table = createHash64Table((n) => new Float64Array(n), 4);
    const key = (i: number): [number, number] => [Math.imul(i, 0x9e3779b1) | 0, Math.imul(i + 7, 0x85ebca6b) | 1];
    for (let i = 0; i < 30_000; i++) {
      expect(table.getOrAdd(...key(i), i * 0.5)).toBe(-1);
      expect(table.getOrAdd(...key(i), 99)).toBe(i * 0.5);
    }
    expect(table.size).toBe(30_000);
    for (let i = 0; i < 30_000; i++) expect(table.get(...key(i))).toBe(i * 0.5);
    expect(table.get(...key(30_000))).toBe(-1);
  });
});
