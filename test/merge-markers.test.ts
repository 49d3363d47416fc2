import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A merge resolved in a hurry once put `<<<<<<<` / `>>>>>>>` lines into an ADR on main, and nothing
// noticed: the formatter does not read Markdown and the compilers never see it. Every tracked text file is
// read here for a conflict marker at the start of a line.

const ROOT = join(import.meta.dirname, '..');
const MARKER = /^(?:<{7}|>{7})(?: |$)/m;
/** Text files up to this size are read; larger tracked files are data fixtures, compressed or generated. */
const MAX_BYTES = 2_000_000;
const BINARY = /\.(?:gz|zip|png|jpe?g|gif|ico|woff2?|pdf|wasm|xes)$/i;

function filesWithMarkers(root: string): string[] {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0');
  return tracked.filter((file) => {
    if (file === '' || BINARY.test(file)) return false;
    const path = join(root, file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return false; // deleted in the work tree, not yet committed
    }
    if (size > MAX_BYTES) return false;
    const text = readFileSync(path, 'utf8');
    return !text.includes('\0') && MARKER.test(text);
  });
}

describe('no merge conflict left behind', () => {
  it('no tracked file has a conflict marker at the start of a line', () => {
    expect(filesWithMarkers(ROOT)).toEqual([]);
  });

  it('finds a marker where one is', () => {
    expect(MARKER.test('text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> main\n')).toBe(true);
    expect(MARKER.test('a table\n| <<<<<<< | quoted |\n')).toBe(false);
  });
});
