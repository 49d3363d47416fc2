import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.ts';

describe('csv', () => {
  it('quotes separators, quotes and newlines (RFC 4180)', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', null, 3.14159265])).toBe(
      '"a,b","say ""hi""","two\nlines",,3.141593\n',
    );
  });

  it('keeps formula-like text inert for spreadsheets, but not plain numbers or a lone dash', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1 for an update')).toBe("'+1 for an update");
    expect(csvCell('@ann')).toBe("'@ann");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('-')).toBe('-');
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell(-2)).toBe('-2');
  });
});
