import { describe, expect, it } from 'vitest';
import { isStatusChase } from './status-chase.ts';

describe('isStatusChase', () => {
  it.each([
    'Any update on this?',
    'Is there an ETA for the fix?',
    "What's the status of this ticket?",
    'When will this be fixed? We are blocked on our release.',
    'Just checking in on this one.',
    'ping',
    'Has there been any progress here?',
    'Is anyone still working on this?',
  ])('flags %j', (text) => {
    expect(isStatusChase(text)).toBe(true);
  });

  it.each([
    'After the update the app crashes on launch.',
    'Fixed in 3.1.0, see PR #123.',
    'Status bar color is wrong on Android.',
    '> Any update on this?\nYes, merged yesterday.',
    '',
  ])('does not flag %j', (text) => {
    expect(isStatusChase(text)).toBe(false);
  });
});

describe('isStatusChase: forms seen in real Jira comments', () => {
  it.each([
    '{html}<div><p>Bump!</p></div>{html}',
    '[~penrique] Update?',
    'Is there any way this can get prioritized to be fixed?',
    'I just wanted to follow up here. Did you manage to follow the instructions?',
    'Is there a time frame for publishing it?',
  ])('flags %j', (text) => {
    expect(isStatusChase(text)).toBe(true);
  });

  it.each([
    'Reopening to update labels.',
    'Please attach the output of ti info and the full log.',
    'Any chance of backporting this small fix to 3.1.x as well?',
    'Closing ticket due to time passed and lack of progress for a number of years.',
  ])('does not flag %j', (text) => {
    expect(isStatusChase(text)).toBe(false);
  });
});
