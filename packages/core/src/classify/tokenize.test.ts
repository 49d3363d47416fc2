import { describe, expect, it } from 'vitest';
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
});
