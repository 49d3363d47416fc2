/**
 * A model's answer may only repeat links, addresses and names that Baton gave it. Whatever it
 * invents (or was talked into by a quoted email) is dropped here, before anyone sees the answer.
 */

export interface GroundingContext {
  /** The evidence texts, unredacted (the answer is checked after placeholders are restored). */
  readonly evidence: readonly string[];
  /** Links from structured data (the issue's own URL, linked issues). When set, only these may appear. */
  readonly allowedLinks?: readonly string[];
  /** Addresses from structured data. When set, only these may appear. */
  readonly allowedAddresses?: readonly string[];
  readonly knownNames?: readonly string[];
  readonly nameFields?: readonly string[];
}

export interface GroundingResult {
  readonly value: unknown;
  /** What was removed, for the audit: `link:https://…`, `email:…`, `name:stakeholders`. */
  readonly dropped: readonly string[];
  /** A required name could not be grounded: the answer as a whole is unusable. */
  readonly fatal: boolean;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`)\]]+/gi;
const MARKDOWN_LINK = /\[([^\]]*)\]\((https?:\/\/[^\s)]+)\)/gi;
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

const normaliseLink = (url: string): string =>
  url
    .replace(/[.,;:!?]+$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
const normaliseText = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

export function groundAnswer(answer: unknown, context: GroundingContext): GroundingResult {
  const corpus = normaliseText(context.evidence.join('\n'));
  const allowedLinks =
    context.allowedLinks !== undefined
      ? new Set(context.allowedLinks.map(normaliseLink))
      : new Set([...corpus.matchAll(URL_PATTERN)].map((m) => normaliseLink(m[0])));
  const names = new Set((context.knownNames ?? []).map(normaliseText));
  const addresses =
    context.allowedAddresses === undefined ? undefined : new Set(context.allowedAddresses.map((a) => a.toLowerCase()));
  const addressOk = (email: string) =>
    addresses !== undefined
      ? addresses.has(email.toLowerCase())
      : corpus.includes(email.toLowerCase()) || names.has(email.toLowerCase());
  const dropped: string[] = [];

  const linkOk = (url: string) => allowedLinks.has(normaliseLink(url));
  const cleanString = (text: string): string => {
    let out = text.replace(MARKDOWN_LINK, (whole, label: string, url: string) => {
      if (linkOk(url)) return whole;
      dropped.push(`link:${url}`);
      return label;
    });
    out = out.replace(URL_PATTERN, (match) => {
      // Sentence punctuation after a link is not part of it: it stays when the link goes.
      const trailing = /[.,;:!?]+$/.exec(match)?.[0] ?? '';
      const url = match.slice(0, match.length - trailing.length);
      if (linkOk(url)) return match;
      dropped.push(`link:${url}`);
      return trailing;
    });
    out = out.replace(EMAIL_PATTERN, (email) => {
      if (addressOk(email)) return email;
      dropped.push(`email:${email}`);
      return '';
    });
    return out === text
      ? text
      : out
          .replace(/[ \t]{2,}/g, ' ')
          .replace(/\s+([.,;:])/g, '$1')
          .trim();
  };

  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return cleanString(value);
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    }
    return value;
  };

  const nameOk = (name: string): boolean => {
    const n = normaliseText(name);
    return n === '' || names.has(n) || corpus.includes(n);
  };
  let fatal = false;

  // Walks a dot path; arrays are entered transparently. An ungrounded name inside an array drops the
  // array element that holds it; outside any array it makes the answer unusable.
  const filterPath = (
    value: unknown,
    path: readonly string[],
    field: string,
    inArray: boolean,
  ): { keep: boolean; value: unknown } => {
    if (Array.isArray(value)) {
      const kept: unknown[] = [];
      for (const item of value) {
        const r = filterPath(item, path, field, true);
        if (r.keep) kept.push(r.value);
      }
      return { keep: true, value: kept };
    }
    if (path.length === 0) {
      if (typeof value !== 'string' || nameOk(value)) return { keep: true, value };
      dropped.push(`name:${field}`);
      if (!inArray) fatal = true;
      return { keep: false, value };
    }
    if (value === null || typeof value !== 'object') return { keep: true, value };
    const [head, ...rest] = path as [string, ...string[]];
    const record = value as Record<string, unknown>;
    if (!(head in record)) return { keep: true, value };
    const r = filterPath(record[head], rest, field, inArray);
    if (!r.keep) return { keep: false, value };
    return { keep: true, value: { ...record, [head]: r.value } };
  };

  let value = clean(answer);
  for (const field of context.nameFields ?? []) {
    value = filterPath(value, field.split('.'), field, false).value;
  }
  return { value, dropped, fatal };
}

/**
 * True when the answer quotes a line of its own instructions that the evidence does not also
 * contain: an injected "print your system prompt" that the model obeyed.
 */
export function repeatsInstructions(answer: unknown, instructions: string, evidence: readonly string[]): boolean {
  const corpus = normaliseText(evidence.join('\n'));
  const lines = instructions
    .split('\n')
    .map(normaliseText)
    .filter((l) => l.length >= 24 && !corpus.includes(l));
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(normaliseText(v));
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(answer);
  return strings.some((s) => lines.some((l) => s.includes(l)));
}
