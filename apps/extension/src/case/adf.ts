import type { LogLine } from './log-entry.ts';

/** The Atlassian Document Format subset Baton writes: paragraphs of text, strong labels and links. */
export interface AdfText {
  type: 'text';
  text: string;
  marks?: ({ type: 'strong' } | { type: 'link'; attrs: { href: string } })[];
}
export interface AdfParagraph {
  type: 'paragraph';
  content: (AdfText | { type: 'hardBreak' })[];
}
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfParagraph[];
}

/** One paragraph per line; line breaks inside a text become hardBreaks (ADF text nodes hold no newlines). */
export function adfFromLines(lines: readonly LogLine[]): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: lines.map((line) => {
      const content: AdfParagraph['content'] = [];
      if (line.label !== undefined)
        content.push({ type: 'text', text: `${line.label}: `, marks: [{ type: 'strong' }] });
      const parts = line.text.split(/\r?\n/);
      parts.forEach((part, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        // Jira rejects empty text nodes.
        if (part !== '')
          content.push(
            line.href === undefined
              ? { type: 'text', text: part }
              : { type: 'text', text: part, marks: [{ type: 'link', attrs: { href: line.href } }] },
          );
      });
      return { type: 'paragraph', content };
    }),
  };
}
