// Each rule is tried only when its marker character occurs: most comments are plain sentences,
// and this runs on every comment of an export (tens of thousands).
const RULES: readonly (readonly [
  marker: string,
  pattern: RegExp,
  replacement: string | ((...m: string[]) => string),
])[] = [
  ['\r', /\r\n?/g, '\n'],
  // {code:java}, {noformat}, {quote}, {color:red}, {panel:title=x} and their closing tags
  ['{', /\{(?:code|noformat|quote|color|panel)(?::[^}\n]*)?\}/g, ''],
  ['.', /^(?:h[1-6]|bq)\.[ \t]*/gm, ''],
  // lists: "* a", "** b", "# c" → "- a"
  ['', /^([*#-]+)[ \t]+/gm, (_, marks: string) => `${'  '.repeat(marks.length - 1)}- `],
  // tables: "||h1||h2||" and "|c1|c2|"
  [
    '|',
    /^\|\|?([^\n]*?)\|?\|?[ \t]*$/gm,
    (_, row: string) =>
      row
        .split(/\|\|?/)
        .map((c) => c.trim())
        .join(' | '),
  ],
  // images and attachments: !screenshot.png|thumbnail!
  ['!', /!([^!\s|]{1,200}\.[a-z0-9]{2,5})(\|[^!\n]{0,200})?!/gi, ''],
  // user mentions [~jdoe] / [~accountid:5b10...]
  ['[', /\[~(?:accountid:)?([^\]\n]+)\]/g, '@$1'],
  // links [text|url] → text, [url] → url
  ['[', /\[([^|\]\n]+)\|[^\]\n]+\]/g, '$1'],
  ['[', /\[((?:https?|mailto|file):[^\]\n]+)\]/g, '$1'],
  ['{', /\{\{([^\n]+?)\}\}/g, '$1'],
  // emphasis around words: *bold*, _italic_, +inserted+, ^sup^, ~sub~, ??cite??, -strike-
  ['', /(^|[\s(])([*_+^~]|\?\?)([^\s*_+^~?](?:[^\n]{0,300}?[^\s*_+^~?])?)\2(?=$|[\s).,;:!?])/gm, '$1$3'],
  ['-', /(^|\s)-([^\s-](?:[^\n-]{0,300}?[^\s-])?)-(?=$|[\s.,;:!?])/gm, '$1$2'],
  // forced line breaks and escapes: "\\" and "\-"
  ['\\', /\\\\/g, '\n'],
  ['\\', /\\([-*_+^~{}[\]|!#?])/g, '$1'],
];

const EMPHASIS = /[*_+^~?#-]/;

/**
 * Plain text of Jira wiki markup (REST v2 and Server bodies). Keeps the words a person wrote —
 * for status-chase detection and summaries — and drops the markup: headings, emphasis, macros
 * (`{code}`, `{quote}`, `{color}`, `{panel}`), images, link targets, table pipes and escapes.
 */
export function wikiToText(wiki: string): string {
  let text = wiki;
  for (const [marker, pattern, replacement] of RULES) {
    if (marker === '' ? !EMPHASIS.test(text) : !text.includes(marker)) continue;
    text = text.replace(pattern, replacement as string);
  }
  if (text.includes('\n')) text = text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
  return text.trim();
}
