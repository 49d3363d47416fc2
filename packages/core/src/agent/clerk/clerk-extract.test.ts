import { describe, expect, it } from 'vitest';
import { extractLinks, extractMentions, extractStatements, withoutQuotedText } from './clerk-extract.ts';

describe('extractStatements', () => {
  it('finds decisions, questions and commitments in real comment text', () => {
    // Sentences from the public Appcelerator Jira (TIMOB-18064, AC-4682, TIMOB-20494).
    const text =
      'Deferring this out of 3.5.0, as clicking on the function names still takes you to the correct line. ' +
      'Can you attach the crash log in here? We will look into that.\n' +
      'I will try the prerelease and update you shortly. Thanks!';
    expect(extractStatements(text).map((s) => [s.kind, s.text])).toEqual([
      [
        'decision',
        'Deferring this out of 3.5.0, as clicking on the function names still takes you to the correct line.',
      ],
      ['question', 'Can you attach the crash log in here?'],
      ['commitment', 'We will look into that.'],
      ['commitment', 'I will try the prerelease and update you shortly.'],
    ]);
  });

  it('recognises the phrasings the brief names', () => {
    const kinds = (t: string) => extractStatements(t).map((s) => s.kind);
    expect(kinds('We decided to drop the legacy importer.')).toEqual(['decision']);
    expect(kinds('Agreed to ship on 4.2.')).toEqual(['decision']);
    expect(kinds('The root cause is a stale cache entry.')).toEqual(['decision']);
    expect(kinds('Please provide the HAR file.')).toEqual(['question']);
    expect(kinds('ETA Friday for the patch.')).toEqual(['commitment']);
    expect(kinds('The build is green.')).toEqual([]);
  });

  it('does not treat a status chase as a question, nor a quote as the author', () => {
    expect(extractStatements('Any update on this?')).toEqual([]);
    expect(extractStatements('{quote}We decided to rewrite it.{quote}\nThanks.')).toEqual([]);
    expect(extractStatements('> Can you send the logs?\nSent them yesterday.')).toEqual([]);
  });

  it('addresses a question to the people its comment mentions', () => {
    const [q] = extractStatements('[~mikezal1]\n1. Can you try with latest SDK 8.0.1.GA?');
    expect(q).toEqual({ kind: 'question', text: 'Can you try with latest SDK 8.0.1.GA?', addressedTo: ['mikezal1'] });
  });

  it('returns nothing for empty or quote-only text', () => {
    expect(extractStatements('')).toEqual([]);
    expect(extractStatements('{quote}only a quote{quote}')).toEqual([]);
  });
});

describe('extractMentions', () => {
  it('reads Jira, @ and account-id mentions, not e-mail addresses', () => {
    const text =
      '[~vduggal], [~accountid:5b10a2844c20165700ede21g] and @lee.morris — mail ops@example.com; 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077';
    expect(extractMentions(text)).toEqual([
      'vduggal',
      '5b10a2844c20165700ede21g',
      'lee.morris',
      '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
    ]);
  });
});

describe('extractLinks', () => {
  it('reads URLs with labels, issue keys and attachments, skipping its own key and standards', () => {
    const text =
      'See [hyperloop-1.1.1|https://www.dropbox.com/s/x/hyperloop.zip?dl=0], TIMOB-20274 and AC-703 (not UTF-8). ' +
      'Log: [^buildTiCore_output.txt]. Self: TIMOB-20494. https://github.com/appcelerator/titanium_mobile/pull/7875.';
    expect(extractLinks(text, 'TIMOB-20494')).toEqual([
      { kind: 'url', target: 'https://www.dropbox.com/s/x/hyperloop.zip?dl=0', label: 'hyperloop-1.1.1' },
      { kind: 'issue', target: 'TIMOB-20274' },
      { kind: 'issue', target: 'AC-703' },
      { kind: 'attachment', target: 'buildTiCore_output.txt' },
      { kind: 'url', target: 'https://github.com/appcelerator/titanium_mobile/pull/7875' },
    ]);
  });

  it('ignores links inside quotes and code', () => {
    expect(extractLinks('{code}see https://a.example/x{code}\n> FOO-1 https://b.example')).toEqual([]);
  });
});

describe('withoutQuotedText', () => {
  it('cuts an e-mail reply at its quoted tail', () => {
    expect(
      withoutQuotedText(
        'Thanks, done.\nOn Mon, 3 Jun 2024 at 10:02, Ann <ann@example.com> wrote:\nCan you fix it?',
      ).trim(),
    ).toBe('Thanks, done.');
  });
});
