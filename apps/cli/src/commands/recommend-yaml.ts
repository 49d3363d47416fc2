import type { CharterNote, CharterRecommendation } from '@baton/core';
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';

function append(existing: string | null | undefined, text: string): string {
  return existing ? `${existing}\n ${text}` : ` ${text}`;
}

function attach(doc: Document, { path, note }: CharterNote): void {
  const node = doc.getIn(path, true) as Node | undefined;
  if (node === undefined) return;
  if (isScalar(node)) {
    node.comment = append(node.comment, note);
    return;
  }
  const parent = path.length === 1 ? doc.contents : (doc.getIn(path.slice(0, -1), true) as Node | undefined);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
    if (pair !== undefined && isScalar(pair.key)) pair.key.commentBefore = append(pair.key.commentBefore, note);
  } else if (isSeq(parent)) {
    node.commentBefore = append(node.commentBefore, note);
  }
}

/** Short lists of plain values (working hours, waiting reasons, phases) read better on one line. */
function flowShortLists(node: unknown): void {
  if (isSeq(node) && node.items.length <= 4 && node.items.every((i) => isScalar(i))) node.flow = true;
  if (isSeq(node)) for (const i of node.items) flowShortLists(i);
  if (isMap(node)) for (const p of node.items) flowShortLists(p.value);
}

/**
 * The recommended charter as YAML, each value that came from a figure followed by a comment naming
 * it, under a header that says what the file is and how to check it.
 */
export function charterYaml(r: CharterRecommendation, header: readonly string[]): string {
  const doc = new Document(r.charter);
  flowShortLists(doc.contents);
  for (const n of r.notes) attach(doc, n);
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
