import type { MeasuredSavings } from '@baton/core/analysis';
import { describe, expect, it } from 'vitest';
import { measuredSavingsHtml } from './savings-html.ts';

const base: MeasuredSavings = {
  currency: 'EUR',
  casesBefore: 120,
  casesAfter: 80,
  perCase: {
    handoffs: { before: 2.5, after: 1.5 },
    statusChecks: { before: 0.5, after: 0.25 },
    exceptions: { before: 1, after: 1 },
    messages: { before: 4, after: 4 },
  },
  overheadMinutesPerCase: { before: 80, after: 64, saved: 16, ci95: [9.5, 22.5] },
  minutesSaved: 1280,
  minutesSavedCi95: [760, 1800],
  money: 1280,
  moneyCi95: [760, 1800],
  secondOrder: { slaPenalties: null, reopens: null },
  totalMoney: 1280,
};

describe('measuredSavingsHtml', () => {
  it('shows the saving per issue with its interval, the money, the buckets, and says second-order money is unpriced', () => {
    const html = measuredSavingsHtml(base);
    expect(html).toContain('data-savings="saved"');
    expect(html).toContain('saved 16.0 min per issue (95 % interval 9.5 to 22.5)');
    expect(html).toContain('<b>€1,280</b> (95 % interval €760 to €1,800)');
    expect(html).toContain('<td>handoffs</td><td class="num">2.50</td><td class="num">1.50</td>');
    expect(html).toContain('data-second-order="none"');
  });

  it('says a case cost more when it did, and prices SLA penalties and reopens when given', () => {
    const html = measuredSavingsHtml(
      {
        ...base,
        overheadMinutesPerCase: { before: 64, after: 80, saved: -16, ci95: [-22.5, -9.5] },
        minutesSaved: -1280,
        money: -1280,
        secondOrder: {
          slaPenalties: {
            penaltyPerBreach: 500,
            breachRateBefore: 0.2,
            breachRateAfter: 0.1,
            endedAfter: 70,
            breachesAvoided: 7,
            breachesAvoidedCi95: [1.2, 12.8],
            money: 3500,
          },
          reopens: { costPerReopen: 200, perCaseBefore: 0.3, perCaseAfter: 0.2, reopensAvoided: 8, money: 1600 },
        },
        totalMoney: 3820,
      },
      'case',
    );
    expect(html).toContain('data-savings="cost"');
    expect(html).toContain('cost 16.0 min more per case');
    expect(html).toContain('breach rate 20% before, 10% after; 7.0 breaches avoided over 70 cases that ended');
    expect(html).toContain('0.30 reopens per case before, 0.20 after; 8.0 avoided: <b>€1,600</b>');
    expect(html).toContain('With second-order money: <b>€3,820</b>');
  });

  it('measures nothing when one side has no issues', () => {
    const html = measuredSavingsHtml({
      ...base,
      casesAfter: 0,
      overheadMinutesPerCase: { before: 80, after: null, saved: null, ci95: null },
      minutesSaved: null,
      money: null,
    });
    expect(html).toContain('data-savings="none"');
    expect(html).toContain('(120 before, 0 after)');
  });
});
