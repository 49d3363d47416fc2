/** A plain-text comment as an ADF document (Jira Cloud v3 takes nothing else), with an optional mention first. */
export function adfParagraphs(text: string, mentionAccountId?: string | null): Record<string, unknown> {
  const paras = text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  const content = paras.map((p, i) => ({
    type: 'paragraph',
    content: [
      ...(i === 0 && mentionAccountId
        ? [
            { type: 'mention', attrs: { id: mentionAccountId } },
            { type: 'text', text: ' ' },
          ]
        : []),
      { type: 'text', text: p },
    ],
  }));
  return { type: 'doc', version: 1, content };
}
