import { kvs } from '@forge/kvs';
import { describe, expect, it, vi } from 'vitest';
import { createKvsCounterStore } from '../src/platform/model-stores.ts';
import { NOW } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The model guard's token and outcome counters in KVS (through @forge/kvs and the harness's KVS
// emulator): concurrent calls, as two invocations at once would make them, must not lose a count.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const DAY = 'llm:tokens:installation:day:2026-11-23';
const TOTAL = 'llm:tokens:installation:total';

describe('model counters in KVS', () => {
  it('counts exactly when twenty calls add at once; each call sees its own running total', async () => {
    const counters = createKvsCounterStore();
    const adds = Array.from({ length: 20 }, (_, i) => i + 1); // 1 + 2 + ... + 20 = 210
    const returned = await Promise.all(adds.map((by) => counters.increment(DAY, by)));
    expect(await counters.get(DAY)).toBe(210);
    // Every increment landed on its own total: no two calls added to the same one.
    expect(new Set(returned).size).toBe(20);
    expect(Math.max(...returned)).toBe(210);
    // Two stores (two invocations) at once on the same counter, too.
    await Promise.all([createKvsCounterStore().increment(TOTAL, 5), createKvsCounterStore().increment(TOTAL, 7)]);
    expect(await createKvsCounterStore().get(TOTAL)).toBe(12);
  });

  it('starts from a count kept the old way (one plain value) and an unknown counter is 0', async () => {
    await kvs.set(`count:${TOTAL}`, 500);
    const counters = createKvsCounterStore();
    expect(await counters.get(TOTAL)).toBe(500);
    expect(await counters.increment(TOTAL, 10)).toBe(510);
    expect(await counters.get(TOTAL)).toBe(510);
    expect(await counters.get('llm:outcome:installation:ok')).toBe(0);
  });

  it('keeps a bounded chain for totals and lets day counters expire', async () => {
    const counters = createKvsCounterStore();
    for (let i = 0; i < 130; i++) await counters.increment(TOTAL, 1);
    expect(await counters.get(TOTAL)).toBe(130);
    const slots = [...h.kvs.kv.keys()].filter((k) => /^count:\d{10}:/.test(k) && k.endsWith(TOTAL));
    expect(slots.length).toBe(100);
    await counters.increment(DAY, 40);
    vi.setSystemTime(NOW + 3 * 86_400_000);
    expect(await counters.get(DAY)).toBe(0);
    expect(await counters.get(TOTAL)).toBe(130);
  });
});
