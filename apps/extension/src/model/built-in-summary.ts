import type { CaseView } from '../messaging/protocol.ts';

/**
 * Chrome's built-in Summarizer (on-device; a `Summarizer` global in pages where the browser ships
 * it), used for the packet's summary when the rep switched the built-in model on. Feature-detected,
 * never assumed: absent, not downloaded, failing or saying nothing, the deterministic summary stays.
 * Nothing leaves the device; the text goes to the browser's own model only.
 */
interface SummarizerLike {
  summarize(text: string, options?: { context?: string }): Promise<string>;
  destroy?(): void;
}
export interface SummarizerApi {
  availability(options?: object): Promise<string>;
  create(options?: object): Promise<SummarizerLike>;
}

/** The global, if this page has one. */
export function builtInSummarizer(scope: object = globalThis): SummarizerApi | undefined {
  const api = (scope as { Summarizer?: SummarizerApi }).Summarizer;
  return api !== undefined && typeof api.availability === 'function' && typeof api.create === 'function'
    ? api
    : undefined;
}

/** Longer than this, a "summary" is not one; the rules' text is kept. */
const MAX_SUMMARY_CHARS = 1_200;

/** The view with the summary reworded by the browser's model, or the view unchanged. */
export async function summariseWithBuiltIn(view: CaseView, api: SummarizerApi | undefined): Promise<CaseView> {
  if (api === undefined) return view;
  const source = [
    view.packet.summary,
    ...view.packet.decisions.map((d) => `Decision: ${d}`),
    ...view.packet.openQuestions.map((q) => `Open question: ${q}`),
  ].join('\n');
  try {
    // Only 'available' (downloaded): a download is the rep's choice, not a side effect of opening a case.
    if ((await api.availability({ type: 'tldr', format: 'plain-text', length: 'short' })) !== 'available') return view;
    const summarizer = await api.create({
      type: 'tldr',
      format: 'plain-text',
      length: 'short',
      sharedContext: 'A support case handed from one person to the next.',
    });
    try {
      const text = (await summarizer.summarize(source, { context: `Jira issue ${view.case.key}` })).trim();
      if (text === '' || text.length > MAX_SUMMARY_CHARS) return view;
      return { ...view, packet: { ...view.packet, summary: text, summaryBy: 'browser-model' } };
    } finally {
      summarizer.destroy?.();
    }
  } catch {
    return view;
  }
}
