/** Plain text of an ADF document (or of a plain string, as Jira Server and v2 return). */
export function adfText(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as { type?: unknown; text?: unknown; content?: unknown; attrs?: { text?: unknown; url?: unknown } };
    if (n.type === 'text' && typeof n.text === 'string') parts.push(n.text);
    else if (n.type === 'hardBreak') parts.push('\n');
    else if (n.type === 'mention' && typeof n.attrs?.text === 'string') parts.push(n.attrs.text);
    else if (n.type === 'inlineCard' && typeof n.attrs?.url === 'string') parts.push(n.attrs.url);
    if (Array.isArray(n.content)) for (const c of n.content) walk(c);
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem') parts.push('\n');
  };
  walk(doc);
  return parts
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
