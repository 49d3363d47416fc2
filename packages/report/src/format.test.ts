import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { date, fixed, int, money } from './format.ts';

// int, money and date write the common cases out instead of asking Intl (whose first use costs a
// small run ~12 % of its instructions): each must give Intl's text exactly, as it did before.

/** Whole numbers and halves around every grouping boundary, both signs, zeros and the safe limit. */
const NUMBERS = [
  0,
  -0,
  0.4,
  -0.4,
  0.5,
  -0.5,
  1.5,
  -2.5,
  7,
  99.5,
  999,
  999.5,
  1000,
  -1000,
  12_345.49,
  123_456,
  1_234_567.5,
  -9_876_543_210,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 60,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

describe('int', () => {
  it.each(NUMBERS)('writes %d as toLocaleString("en-US") writes it rounded', (n) => {
    expect(int(n)).toBe(Math.round(n).toLocaleString('en-US'));
  });
});

describe('money', () => {
  const intl = (amount: number, currency: string) =>
    new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  for (const currency of ['EUR', 'USD', 'GBP', 'JPY', 'CHF']) {
    it.each(NUMBERS)(`writes %d ${currency} as Intl does`, (amount) => {
      expect(money(amount, currency)).toBe(intl(amount, currency));
    });
  }
  it('writes a code Intl refuses as the code and the whole number', () => {
    expect(money(1234.5, 'EURO')).toBe('EURO 1,235');
    expect(money(null, 'EUR')).toBe('–');
  });
});

describe('date', () => {
  const intl = (iso: string, timeZone: string) =>
    new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const days = [
    ...Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2024, m, m + 1, 23, 59, 59)).toISOString()),
    '2010-03-31T14:59:42.000Z',
    '0999-01-05T00:00:00.000Z',
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '-000005-01-05T00:00:00.000Z',
    'not a date',
  ];
  for (const timeZone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
    it.each(days)(`writes %s in ${timeZone} as toLocaleDateString("en-GB") does`, (iso) => {
      expect(date(iso, timeZone)).toBe(intl(iso, timeZone));
    });
  }
  it('is UTC unless told otherwise', () => {
    expect(date('2024-09-30T23:30:00.000Z')).toBe('30 Sept 2024');
    expect(date(null)).toBe('–');
  });

  it('writes fixed decimals as en-US does', () => {
    const intlFixed = (x: number, digits: number) =>
      x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    for (const digits of [0, 1, 2, 3])
      for (const x of [0, -0, -0.001, 2.005, 0.125, 9.995, 999.995, 1234.5678, -1234.5678, 1e-6, 1e-7, 2 ** 43, NaN])
        expect(fixed(x, digits)).toBe(intlFixed(x, digits));
    const value = fc.oneof(
      fc.double({ noNaN: true }),
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      fc.integer({ min: 0, max: 2 ** 45 }),
      fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1000), // ties at the third decimal
      fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 200),
    );
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 3 }), (x, digits) => {
        expect(fixed(x, digits)).toBe(intlFixed(x, digits));
      }),
      { numRuns: 20_000 },
    );
  });
});
