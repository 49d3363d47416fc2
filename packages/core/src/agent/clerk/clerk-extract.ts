import { isStatusChase } from '../../text/status-chase.ts';

/**
 * Deterministic extraction for the clerk: which sentences of a ticket's text decide, ask or commit,
 * which links and which people it mentions. Rules, not a model: the same text always gives the same
 * facts, and a model may later reword them but never add to them.
 * Quoted text (Jira `{quote}`, `> ` lines, "On … wrote:" email tails) and code blocks are ignored:
 * a quote repeats someone else's words, code is not prose.
 */

/** A sentence that decides something, asks for something or promises something. */
export const STATEMENT_KINDS = ['decision', 'question', 'commitment'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export interface ExtractedStatement {
  readonly kind: StatementKind;
  readonly text: string;
  /** People the sentence (or its comment) addresses with a mention. */
  readonly addressedTo: readonly string[];
}

export const LINK_KINDS = ['url', 'issue', 'attachment'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface ExtractedLink {
  readonly kind: LinkKind;
  /** The URL, the issue key or the attachment's file name. */
  readonly target: string;
  readonly label?: string;
}

const DECIDES: readonly RegExp[] = [
  /\bwe(?:'ve| have)? (?:decided|agreed|chosen|settled on|concluded)\b/i,
  /\b(?:decided|agreed) (?:to|that|on|upon)\b/i,
  /\b(?:the )?decision (?:is|was)\b|^decision:/i,
  /\bwill ship\b|\bwe(?:'ll| will) go with\b/i,
  /\broot cause (?:is|was|has been|turned out)\b/i,
  /\b(?:resolving|closing|marking|resolved|closed)(?: this| the ticket| ticket| the issue| issue| it)? as\b/i,
  /\b(?:deferring|deferred|postponing|postponed|moving) (?:this |it )?(?:out of|to (?:release|version|the next))\b/i,
  /\bas won'?t (?:fix|do)\b/i,
];

const ASKS: readonly RegExp[] = [
  /^(?:please|pls|kindly)\b/i,
  /\b(?:can|could|would|will) (?:you|someone|anyone)\b/i,
  /\bplease (?:provide|attach|send|share|add|confirm|check|clarify|test|try|look|review|update|advise|let)\b/i,
  /\b(?:I|we)(?:'ll| will)? need (?:you|someone) to\b/i,
  /\blet (?:me|us) know\b/i,
];

const COMMITS: readonly RegExp[] = [
  /\bI(?:'ll| will| am going to|'m going to| shall)\b(?! need)/,
  /\bwe(?:'ll| will| are going to|'re going to)\b(?! need)/i,
  /\bETA\b/,
  /\bby (?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bby (?:tomorrow|tonight|end of (?:the )?(?:day|week)|EOD|EOW)\b/i,
  /\bwill (?:update|follow up|get back|send|provide|fix|look into|post)\b/i,
];

/** Drops quotes and code, keeps the author's own prose. */
export function withoutQuotedText(text: string): string {
  const noBlocks = text
    .replace(/\{quote\}[\s\S]*?(?:\{quote\}|$)/gi, '\n')
    .replace(/\{(?:code|noformat)(?::[^}]*)?\}[\s\S]*?(?:\{(?:code|noformat)\}|$)/gi, '\n')
    .replace(/```[\s\S]*?(?:```|$)/g, '\n')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '\n');
  const kept: string[] = [];
  for (const line of noBlocks.split(/\r?\n/)) {
    // An email reply's quoted tail starts here; nothing after it is the author's.
    if (/^\s*On .{4,120} wrote:\s*$/.test(line) || /^-{2,}\s*Original Message\s*-{2,}/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n');
}

/** Jira wiki markup that would otherwise leak into sentences (`h3.`, `*bold*`, `{{mono}}`, `[label|url]`). */
function plain(text: string): string {
  return text
    .replace(/^\s*h[1-6]\.\s*/gm, '')
    .replace(/\{\{([^}]*)\}\}/g, '$1')
    .replace(/\[([^|\]]+)\|[^\]]+\]/g, '$1')
    .replace(/\[\^([^\]]+)\]/g, '$1')
    .replace(/(^|\s)\*([^*\n]+)\*(?=\s|[.,!?]|$)/g, '$1$2')
    .replace(/\{color(?::[^}]*)?\}/g, '');
}

/** Sentences of prose: split on line breaks and on sentence punctuation followed by a capital. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of plain(text).split(/\r?\n/)) {
    const trimmed = line.replace(/^\s*(?:[-*#]+|\d+[.)])\s+/, '').trim();
    if (trimmed === '') continue;
    for (const part of trimmed.split(/(?<=[.!?])\s+(?=["'([@A-Z0-9])/)) {
      const s = part.trim();
      if (s.length >= 3) out.push(s);
    }
  }
  return out;
}

function classify(sentence: string): StatementKind | undefined {
  const asks = sentence.endsWith('?') || ASKS.some((p) => p.test(sentence));
  if (asks) return isStatusChase(sentence) ? undefined : 'question';
  if (DECIDES.some((p) => p.test(sentence))) return 'decision';
  if (COMMITS.some((p) => p.test(sentence))) return 'commitment';
  return undefined;
}

const MENTION_JIRA = /\[~(?:accountid:)?([A-Za-z0-9._:@-]+)\]/g;
// `@name` not preceded by a word character, so e-mail addresses are not mentions.
const MENTION_AT = /(?<![\w.@])@([A-Za-z][\w.-]{0,38}[A-Za-z0-9_])/g;
// Atlassian account ids written bare: `557058:f58131cb-b67d-43c7-b30d-6b58d40bd077`.
const ACCOUNT_ID = /\b\d{6}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** People a text mentions, in order of first mention, each once. Quoted text is ignored. */
export function extractMentions(text: string): string[] {
  const body = withoutQuotedText(text);
  const found: { at: number; who: string }[] = [];
  for (const m of body.matchAll(MENTION_JIRA)) found.push({ at: m.index, who: m[1]! });
  const noJira = body.replace(MENTION_JIRA, (s) => ' '.repeat(s.length));
  for (const m of noJira.matchAll(MENTION_AT)) found.push({ at: m.index, who: m[1]! });
  for (const m of noJira.matchAll(ACCOUNT_ID)) found.push({ at: m.index, who: m[0] });
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.who))];
}

const URL = /\bhttps?:\/\/[^\s\]|)>"'<]+/g;
const WIKI_LINK = /\[([^|\]]+)\|(https?:\/\/[^\]\s]+)\]/g;
const ATTACHMENT = /\[\^([^\]]+)\]|!([^!\s|]+\.(?:png|jpe?g|gif|txt|log|zip|pdf|mov|mp4))(?:\|[^!]*)?!/gi;
const ISSUE_KEY = /\b([A-Z][A-Z0-9_]{1,9})-(\d{1,7})\b/g;
// Upper-case word-number pairs that are standards, encodings or algorithms, not issue keys.
const NOT_A_PROJECT = new Set([
  'UTF',
  'ISO',
  'SHA',
  'RFC',
  'MD',
  'TLS',
  'SSL',
  'HTTP',
  'HTTPS',
  'X',
  'IE',
  'ES',
  'COVID',
  'AES',
  'RSA',
  'GMT',
  'UTC',
]);

/**
 * Links a text carries: URLs (with the label of a Jira `[label|url]` link), issue keys, attachments.
 * In order of appearance, each target once; the case's own key is left out.
 */
export function extractLinks(text: string, ownKey?: string): ExtractedLink[] {
  const body = withoutQuotedText(text);
  const found: { at: number; link: ExtractedLink }[] = [];
  const labelled = new Map<string, string>();
  for (const m of body.matchAll(WIKI_LINK)) labelled.set(m[2]!, m[1]!.trim());
  for (const m of body.matchAll(URL)) {
    const target = m[0].replace(/[.,;:!?]+$/, '');
    const label = labelled.get(target);
    found.push({
      at: m.index,
      link: label === undefined || label === target ? { kind: 'url', target } : { kind: 'url', target, label },
    });
  }
  for (const m of body.matchAll(ATTACHMENT))
    found.push({ at: m.index, link: { kind: 'attachment', target: (m[1] ?? m[2])!.trim() } });
  const noUrls = body.replace(URL, (s) => ' '.repeat(s.length));
  for (const m of noUrls.matchAll(ISSUE_KEY)) {
    if (NOT_A_PROJECT.has(m[1]!) || m[0] === ownKey) continue;
    found.push({ at: m.index, link: { kind: 'issue', target: m[0] } });
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: ExtractedLink[] = [];
  for (const { link } of found) {
    const key = `${link.kind}:${link.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(link);
  }
  return out;
}

/**
 * Sentences that decide, ask or commit. A sentence is one kind at most: a question wins (a
 * sentence that asks "did we agree to ship?" decides nothing), then a decision, then a commitment.
 * Status chases ("any update?") are not questions here: they ask for nothing new and are counted
 * as a risk instead.
 */
export function extractStatements(text: string): ExtractedStatement[] {
  const body = withoutQuotedText(text);
  const commentMentions = extractMentions(body);
  const out: ExtractedStatement[] = [];
  for (const sentence of splitSentences(body)) {
    const kind = classify(sentence);
    if (kind === undefined) continue;
    const own = extractMentions(sentence);
    // A mention on a line of its own ("[~vijaysingh]" then the questions) addresses the whole comment.
    const addressedTo = own.length > 0 ? own : kind === 'question' ? commentMentions : [];
    out.push({ kind, text: sentence.replace(MENTION_JIRA, '@$1').replace(/\s+/g, ' '), addressedTo });
  }
  return out;
}
