import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_ISSUES } from '../../test/appcelerator-cases.ts';
import { referenceTokenize } from '../../test/router-reference.ts';
import { tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('splits dotted and camelCase identifiers and keeps the whole', () => {
    const t = tokenize('Ti.UI.TableView crashes');
    expect(t).toEqual(expect.arrayContaining(['ti', 'ui', 'tableview', 'table', 'view', 'ti.ui.tableview', 'crashes']));
  });

  it('splits snake_case and keeps the whole', () => {
    expect(tokenize('get_current_position')).toEqual(['get', 'current', 'position', 'get_current_position']);
  });

  it('maps versions to a marker and their major.minor, numbers to #num, URLs to their host', () => {
    expect(tokenize('SDK 6.1.2.GA build 42')).toEqual(['sdk', '#ver', 'ver:6.1', 'build', '#num']);
    expect(tokenize('see https://www.github.com/appcelerator/x')).toEqual(['see', '#url', 'host:github.com']);
  });

  it('returns nothing for text without words', () => {
    expect(tokenize('  -- !! ')).toEqual([]);
  });

  // The scanner replaced regular expressions (packages/core/test/router-reference.ts): same tokens, same order.
  it('gives the regular-expression tokenizer’s tokens on real issues', () => {
    expect(RAW_ISSUES.length).toBeGreaterThan(0);
    for (const raw of RAW_ISSUES) {
      for (const text of [raw.fields.summary, raw.fields.description ?? '']) {
        expect(tokenize(text)).toEqual(referenceTokenize(text));
      }
    }
  });

  it('gives the regular-expression tokenizer’s tokens on edge cases', () => {
    const cases = [
      'HTMLParser getHTTPResponseCode ABc aB a1B2 X',
      'http:// https://) http://:8080/x http://www. HTTP://A.B httpClient http.server https://WWW.Ex.COM:80/p',
      'https://bücher.example/x https://İnfo.tr http://x\u00a0y http://a\u2028b http://a\ufeffb',
      'v3.0 v3 1. 1.x 1.2abc_def 12.34.56.x 007 3rd a.b.c _ __a__b__ $el.$apply a.1 a..b',
      `${'a'.repeat(40)} ${'b'.repeat(41)} ${'c'.repeat(41)}.d e_${'f'.repeat(50)}`,
    ];
    for (const text of cases) expect(tokenize(text)).toEqual(referenceTokenize(text));
  });

  it('gives the regular-expression tokenizer’s tokens on arbitrary text (property, bounded)', () => {
    const pieces = [
      'http',
      'https',
      '://',
      'www.',
      'WWW.',
      'h',
      't',
      'p',
      's',
      ':',
      '/',
      '?',
      '#',
      '.',
      '..',
      '_',
      '$',
      'a',
      'Z',
      'Ti',
      'UI',
      'HTML',
      'Parser',
      'x9',
      '6',
      '1.2',
      '.GA',
      'v',
      ' ',
      '\n',
      '\u00a0',
      '\u2028',
      ')',
      ']',
      '|',
      '>',
      '"',
      "'",
      'é',
      'İ',
      '-',
      '<',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(tokenize(text)).toEqual(referenceTokenize(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(tokenize(text)).toEqual(referenceTokenize(text));
      }),
      { numRuns: 1000 },
    );
  });
});
