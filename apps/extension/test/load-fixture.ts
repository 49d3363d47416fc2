import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function fixtureHtml(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/**
 * happy-dom does not parse declarative shadow DOM (`<template shadowrootmode>`), which Chromium does;
 * this turns each such template into a real shadow root, so one fixture file serves both.
 */
export function attachDeclarativeShadowRoots(
  root: ParentNode,
  mode?: 'open' | 'closed',
  onClosed?: (host: Element, sr: ShadowRoot) => void,
): void {
  for (const t of Array.from(root.querySelectorAll('template[shadowrootmode]')) as HTMLTemplateElement[]) {
    const host = t.parentElement;
    if (host === null) continue;
    const m = mode ?? (t.getAttribute('shadowrootmode') as 'open' | 'closed');
    const sr = host.attachShadow({ mode: m });
    sr.append(t.content);
    t.remove();
    if (m === 'closed') onClosed?.(host, sr);
    attachDeclarativeShadowRoots(sr, mode, onClosed);
  }
}

/** A fixture as a Document, shadow roots attached. */
export function loadFixture(path: string): Document {
  const doc = new DOMParser().parseFromString(fixtureHtml(path), 'text/html');
  attachDeclarativeShadowRoots(doc);
  return doc;
}
