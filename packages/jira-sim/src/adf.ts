/**
 * Atlassian Document Format: just enough validation to reject what Jira rejects (a string body, a
 * missing `version`, unknown node types, text nodes without text) and to turn a document into plain text.
 */
const BLOCK = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'codeBlock',
  'rule',
  'panel',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'mediaSingle',
  'mediaGroup',
  'media',
  'expand',
  'taskList',
  'taskItem',
  'decisionList',
  'decisionItem',
]);
const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'date', 'status']);

export type AdfDoc = { type: 'doc'; version: 1; content: AdfNode[] };
export type AdfNode = {
  type: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
  marks?: unknown[];
};

/** Returns the first problem found, or `undefined` when the document is acceptable. */
export function adfProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body must be an ADF document';
  const doc = value as Record<string, unknown>;
  if (doc.type !== 'doc') return "root node must have type 'doc'";
  if (doc.version !== 1) return 'document version must be 1';
  if (!Array.isArray(doc.content)) return 'document content must be an array';
  return nodesProblem(doc.content);
}

function nodesProblem(nodes: unknown[]): string | undefined {
  for (const n of nodes) {
    if (typeof n !== 'object' || n === null) return 'node must be an object';
    const node = n as Record<string, unknown>;
    if (typeof node.type !== 'string' || !(BLOCK.has(node.type) || INLINE.has(node.type))) {
      return `unknown node type '${String(node.type)}'`;
    }
    if (node.type === 'text' && (typeof node.text !== 'string' || node.text === ''))
      return 'text node needs non-empty text';
    if (node.content !== undefined) {
      if (!Array.isArray(node.content)) return 'content must be an array';
      const inner = nodesProblem(node.content);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

export function adfFromText(text: string): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: text
      .split(/\n{2,}/)
      .map((para) => ({ type: 'paragraph', content: para === '' ? [] : [{ type: 'text', text: para }] })),
  };
}

export function adfToText(doc: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as AdfNode;
    if (n.type === 'text' && typeof n.text === 'string') parts.push(n.text);
    if (n.type === 'mention') parts.push(String(n.attrs?.text ?? '@someone'));
    if (n.type === 'hardBreak') parts.push('\n');
    for (const c of n.content ?? []) walk(c, depth + 1);
    if (depth === 1 && BLOCK.has(n.type)) parts.push('\n\n');
  };
  walk(doc, 0);
  return parts.join('').trim();
}
