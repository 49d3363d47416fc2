// Block nodes of the Atlassian Document Format: each ends a line in the plain text.
const BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'panel',
  'tableRow',
  'mediaSingle',
  'mediaGroup',
  'decisionItem',
  'taskItem',
  'expand',
  'nestedExpand',
  'bulletList',
  'orderedList',
  'table',
]);

interface AdfNode {
  type?: unknown;
  text?: unknown;
  attrs?: Record<string, unknown>;
  content?: unknown;
}

function isNode(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null;
}

function attr(node: AdfNode, name: string): string | undefined {
  const v = node.attrs?.[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function walk(node: AdfNode, out: string[], depth: number): void {
  switch (node.type) {
    case 'text':
      if (typeof node.text === 'string') out.push(node.text);
      return;
    case 'hardBreak':
      out.push('\n');
      return;
    case 'mention':
      out.push(attr(node, 'text') ?? `@${attr(node, 'id') ?? 'someone'}`);
      return;
    case 'emoji':
      out.push(attr(node, 'text') ?? attr(node, 'shortName') ?? '');
      return;
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard':
      out.push(attr(node, 'url') ?? '');
      if (node.type !== 'inlineCard') out.push('\n');
      return;
    case 'status':
      out.push(attr(node, 'text') ?? '');
      return;
    case 'date': {
      const ms = Number(attr(node, 'timestamp'));
      out.push(Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '');
      return;
    }
    case 'rule':
      out.push('\n---\n');
      return;
    case 'listItem':
      out.push(`${'  '.repeat(Math.max(0, depth - 1))}- `);
      break;
  }
  const children = Array.isArray(node.content) ? node.content : [];
  const nextDepth = node.type === 'bulletList' || node.type === 'orderedList' ? depth + 1 : depth;
  for (const [i, child] of children.entries()) {
    if (!isNode(child)) continue;
    walk(child, out, nextDepth);
    if ((child.type === 'tableCell' || child.type === 'tableHeader') && i < children.length - 1) out.push(' | ');
  }
  if (BLOCKS.has(node.type as string) || node.type === 'listItem') {
    if (out.at(-1)?.endsWith('\n') !== true) out.push('\n');
  }
}

/**
 * Plain text of an Atlassian Document Format body (Jira Cloud v3 descriptions and comments):
 * paragraphs and list items on their own lines, mentions and links kept as text, media dropped.
 */
export function adfToText(doc: unknown): string {
  if (!isNode(doc)) return '';
  const out: string[] = [];
  walk(doc, out, 0);
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
