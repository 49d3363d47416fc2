/**
 * Redaction before anything leaves: personal data and secrets become placeholders (`[[EMAIL_1]]`)
 * in the prompt, and the answer's placeholders are put back afterwards. The same value always gets
 * the same placeholder within one call, so a model can still tell two people apart.
 *
 * Only contact details are restored by default: a model that echoes `[[SECRET_2]]` into a customer
 * draft must not make Baton paste an API key or a card number into it.
 */

export const REDACTION_KINDS = ['secret', 'card', 'email', 'phone'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

interface Rule {
  readonly kind: RedactionKind;
  /** Global, with the `d` flag when `group` is set. */
  readonly pattern: RegExp;
  /** Which capture group is the sensitive value (the rest, like `password=`, stays). */
  readonly group?: number;
  readonly accept?: (value: string) => boolean;
}

/** Luhn checksum: tells card numbers from order numbers and timestamps of the same length. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

function looksLikePhone(value: string): boolean {
  const digits = digitsOf(value).length;
  if (digits < 7 || digits > 15) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return false; // an IPv4 address
  if (/^\d{4}[-./]\d{2}[-./]\d{2}(?!\d)/.test(value)) return false; // a date, perhaps with an hour
  // Without a country code or an area code in brackets, short digit groups are more often ids.
  if (!value.startsWith('+') && !value.includes('(')) return digits >= 9;
  return true;
}

// Order matters: secrets first (they may contain digit runs), then cards, then contact details.
const RULES: readonly Rule[] = [
  { kind: 'secret', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { kind: 'secret', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g }, // JWT
  { kind: 'secret', pattern: /\bsk-[A-Za-z0-9_-]{16,}/g }, // OpenAI / Anthropic style keys
  { kind: 'secret', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g }, // AWS access key ids
  { kind: 'secret', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g },
  { kind: 'secret', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g }, // Slack
  { kind: 'secret', pattern: /\b(?:ATATT|ATCTT|ATBB)[A-Za-z0-9_=-]{20,}/g }, // Atlassian API tokens
  { kind: 'secret', pattern: /\bAIza[0-9A-Za-z_-]{35}/g }, // Google API keys
  { kind: 'secret', pattern: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g }, // Stripe
  { kind: 'secret', pattern: /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{12,})/dg, group: 1 },
  { kind: 'secret', pattern: /\bhttps?:\/\/[^\s/:@]+:([^\s/@]+)@/dg, group: 1 }, // user:password@host
  {
    kind: 'secret',
    pattern: /\b(?:password|passwd|pwd|passcode)(?:\s*[:=]\s*|\s+is\s+)("[^"]*"|'[^']*'|[^\s,;]+)/dgi,
    group: 1,
  },
  {
    kind: 'secret',
    pattern:
      /\b(?:secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|token)\s*[:=]\s*("[^"]*"|'[^']*'|[^\s,;]+)/dgi,
    group: 1,
  },
  {
    kind: 'card',
    pattern: /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g,
    accept: (v) => passesLuhn(digitsOf(v)),
  },
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  {
    kind: 'phone',
    pattern:
      /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?!\w|:\d)|(?<!\w)\+\d{8,15}(?!\w)/g,
    accept: looksLikePhone,
  },
];

const PLACEHOLDER = /\[\[([A-Z]+)_(\d+)\]\]/g;

export interface Redactor {
  /** Replaces sensitive values with placeholders, remembering them for `restore`. */
  redact(text: string): string;
  /** Puts back the values of restorable kinds; other placeholders (and invented ones) become `[redacted]`. */
  restore(text: string): string;
  /** How many distinct values of each kind were redacted. */
  counts(): Readonly<Record<RedactionKind, number>>;
}

export interface RedactorOptions {
  /** Kinds whose values are put back into the answer. Default: email and phone. */
  readonly restore?: readonly RedactionKind[];
}

/** One redactor per model call: placeholders are numbered per call, never shared between calls. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const restorable = new Set<RedactionKind>(options.restore ?? ['email', 'phone']);
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, { kind: RedactionKind; value: string }>();
  const counts: Record<RedactionKind, number> = { secret: 0, card: 0, email: 0, phone: 0 };

  const placeholderFor = (kind: RedactionKind, value: string): string => {
    const key = `${kind}\u0000${value}`;
    const known = byValue.get(key);
    if (known !== undefined) return known;
    counts[kind] += 1;
    const placeholder = `[[${kind.toUpperCase()}_${counts[kind]}]]`;
    byValue.set(key, placeholder);
    byPlaceholder.set(placeholder, { kind, value });
    return placeholder;
  };

  const applyRule = (text: string, rule: Rule): string => {
    let out = '';
    let last = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const range = rule.group === undefined ? [m.index, m.index + m[0].length] : m.indices?.[rule.group];
      if (range === undefined) continue;
      const [start, end] = range as [number, number];
      const value = text.slice(start, end);
      if (value.startsWith('[[') || (rule.accept !== undefined && !rule.accept(value))) continue;
      out += text.slice(last, start) + placeholderFor(rule.kind, value);
      last = end;
    }
    return out + text.slice(last);
  };

  return {
    redact: (text) => RULES.reduce(applyRule, text),
    restore: (text) =>
      text.replace(PLACEHOLDER, (whole) => {
        const entry = byPlaceholder.get(whole);
        return entry !== undefined && restorable.has(entry.kind) ? entry.value : '[redacted]';
      }),
    counts: () => ({ ...counts }),
  };
}

/** Applies `fn` to every string inside a JSON-like value (object keys stay as they are). */
export function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}
