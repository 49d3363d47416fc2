import { describe, expect, it } from 'vitest';
import { adfToText, bodyToText, wikiToText } from '../src/index.ts';

describe('adfToText', () => {
  it('flattens paragraphs, lists, mentions, links and hard breaks', () => {
    const doc = {
      version: 1,
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Steps' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: '5b10a2844c20165700ede21g', text: '@Ana' } },
            { type: 'text', text: ' any update?' },
            { type: 'hardBreak' },
            { type: 'text', text: 'see ', marks: [{ type: 'strong' }] },
            { type: 'inlineCard', attrs: { url: 'https://example.com/x' } },
          ],
        },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] },
          ],
        },
        { type: 'mediaSingle', content: [{ type: 'media', attrs: { id: 'x', type: 'file' } }] },
      ],
    };
    expect(adfToText(doc)).toBe('Steps\n@Ana any update?\nsee https://example.com/x\n- one\n- two');
  });

  it('returns empty text for anything that is not a document', () => {
    expect(adfToText(null)).toBe('');
    expect(adfToText(42)).toBe('');
  });
});

describe('wikiToText', () => {
  it('drops wiki markup and keeps the words', () => {
    const wiki =
      'h2. Problem\n*Bold* and _italic_ text, see [the docs|https://example.com] and [~jdoe]\n* first\n** nested\n{code:java}\nint x = 1;\n{code}\n!screen.png|thumbnail!\n||a||b||\n|1|2|\nline\\\\break \\- dash';
    expect(wikiToText(wiki)).toBe(
      'Problem\nBold and italic text, see the docs and @jdoe\n- first\n  - nested\n\nint x = 1;\n\n\na | b\n1 | 2\nline\nbreak - dash'.replace(
        /\n{3,}/g,
        '\n\n',
      ),
    );
  });

  it('leaves ordinary punctuation alone', () => {
    expect(wikiToText('a-b c*d 2*3=6 snake_case_name')).toBe('a-b c*d 2*3=6 snake_case_name');
  });
});

describe('bodyToText', () => {
  it('picks the reader by the body type', () => {
    expect(bodyToText('*hi*')).toBe('hi');
    expect(bodyToText({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] })).toBe(
      'hi',
    );
    expect(bodyToText(undefined)).toBe('');
  });
});
