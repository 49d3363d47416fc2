/**
 * Code-aware tokenizer for issue text. Bug reports mix prose with identifiers, versions, paths and
 * stack traces, so a plain word split loses the most telling tokens:
 * - `Ti.UI.TableView` → `ti`, `ui`, `tableview`, `table`, `view` (dotted and camelCase parts, plus the whole);
 * - `get_current_position` → `get`, `current`, `position`, `get_current_position`;
 * - `6.1.2.GA` / `v3.0` → `#ver` and `ver:6.1` (the major.minor is what tells components apart; the
 *   patch level mostly tells time, which would leak the split);
 * - URLs become `#url` plus the host, plain numbers become `#num`.
 */
const TOKEN =
  /https?:\/\/[^\s)\]|>"']+|[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*|v?\d+(?:\.\d+)+[A-Za-z0-9.]*|\d+/g;
const VERSION = /^v?(\d+)\.(\d+)/;
const CAMEL = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

function pushWord(out: string[], word: string): void {
  const parts = word.match(CAMEL) ?? [];
  const whole = word.toLowerCase();
  if (whole.length > 1 && whole.length <= 40) out.push(whole);
  if (parts.length > 1) {
    for (const part of parts) {
      const p = part.toLowerCase();
      if (p.length > 1 && p !== whole) out.push(p);
    }
  }
}

/** Lower-cased tokens of `text`, in order (bigrams are built from this order). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    if (raw.startsWith('http')) {
      out.push('#url');
      const host = /^https?:\/\/([^/:?#]+)/.exec(raw)?.[1];
      if (host !== undefined) out.push(`host:${host.toLowerCase().replace(/^www\./, '')}`);
      continue;
    }
    const version = VERSION.exec(raw);
    if (version !== null) {
      out.push('#ver', `ver:${version[1]}.${version[2]}`);
      continue;
    }
    if (/^\d+$/.test(raw)) {
      out.push('#num');
      continue;
    }
    const dotted = raw.split('.');
    if (dotted.length > 1) {
      for (const piece of dotted) pushWord(out, piece);
      out.push(raw.toLowerCase());
    } else if (raw.includes('_')) {
      const pieces = raw.split('_').filter((p) => p !== '');
      for (const piece of pieces) pushWord(out, piece);
      if (pieces.length > 1) out.push(raw.toLowerCase());
    } else {
      pushWord(out, raw);
    }
  }
  return out;
}
