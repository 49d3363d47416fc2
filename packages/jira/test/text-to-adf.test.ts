import { describe, expect, it } from 'vitest';
import { adfParagraphs, adfToText } from '../src/index.ts';

describe('adfParagraphs', () => {
  it('writes one paragraph per blank-line-separated block, with the mention first, and reads back as the text', () => {
    const doc = adfParagraphs('SUP-1 is stalled.\n\nPlease take a look.', 'u-ada');
    expect(doc).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: 'u-ada' } },
            { type: 'text', text: ' ' },
            { type: 'text', text: 'SUP-1 is stalled.' },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Please take a look.' }] },
      ],
    });
    expect(adfToText(adfParagraphs('One.\n\nTwo.'))).toContain('Two.');
  });

  it('writes no empty paragraph (Jira refuses empty text nodes): blank blocks are dropped, no mention without an id', () => {
    expect(adfParagraphs('\n\n  \n\nOnly this.\n\n', null).content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'Only this.' }] },
    ]);
    expect(adfParagraphs('').content).toEqual([]);
  });
});
