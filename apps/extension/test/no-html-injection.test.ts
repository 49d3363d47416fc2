import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Page and Jira text is untrusted: the extension builds DOM with createElement and text nodes only.
// This scan fails the build when any source file reaches for an HTML-parsing sink.
const SRC = join(import.meta.dirname, '..', 'src');
const SINKS =
  /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\s*\(|document\.write(ln)?\s*\(|setHTMLUnsafe\s*\(|parseHTMLUnsafe\s*\(|createContextualFragment\s*\(|\beval\s*\(|new Function\s*\(/;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|html)$/.test(name) && !name.endsWith('.test.ts')) yield p;
  }
}

describe('no HTML sinks in the extension source', () => {
  const all = [...files(SRC)];
  it('scans the source', () => expect(all.length).toBeGreaterThan(15));
  it.each(all)('%s', (file) => {
    const hits = readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line: i + 1, text: line.trim() }))
      .filter((l) => SINKS.test(l.text));
    expect(hits).toEqual([]);
  });
  it('the scan catches what it should', () => {
    for (const bad of [
      'el.innerHTML = x',
      'el.insertAdjacentHTML("beforeend", x)',
      'document.write(x)',
      'box.outerHTML= y',
    ])
      expect(SINKS.test(bad)).toBe(true);
    expect(SINKS.test('el.textContent = x')).toBe(false);
  });
});
