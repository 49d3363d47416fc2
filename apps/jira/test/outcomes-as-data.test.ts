import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_RULE_CODES } from '@baton/core';
import { AuditEntrySchema, DEFERRING_CODES, OUTCOMES, isDeferringRule } from '../src/contracts/audit.ts';
import type { SettledOutcome } from '../src/contracts/audit.ts';

// Outcomes, gate rules and dispositions are literal-coded data: code compares them whole or looks them
// up in a table, and never takes a string apart to learn what happened (issue #15, ADR 0018).

const SRC = join(import.meta.dirname, '..', 'src');
function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path;
  }
}

/**
 * A string operation that reads part of an outcome, a rule id, a disposition or a decision key:
 * `outcome.startsWith('skipped')`, `dispositionRule.split('.')`, `rule.endsWith('.model')`.
 */
const PARSE =
  /\b(?:outcome|outcomes|rule|ruleId|dispositionRule|disposition|because|code|verdict|why|decisionKey|threshold)\b[\w.?]*\??\.(?:startsWith|endsWith|split|slice|substring|indexOf|lastIndexOf|match|replace|includes)\(/;
/** The same read through a literal: `'skipped-' + …` tested as a prefix, a `.model` suffix. */
const LITERAL =
  /(?:startsWith|endsWith|includes)\(\s*['"`](?:skipped|app\.|caps\.|autonomy\.|risk\.|confidence\.|model\.|\.model)/;

function parses(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => (PARSE.test(line) || LITERAL.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

describe('outcomes are data', () => {
  it('no source file of the app takes an outcome, a gate rule or a disposition apart', () => {
    const found = [...sources(SRC)].flatMap((path) =>
      parses(readFileSync(path, 'utf8')).map((l) => `${relative(SRC, path)}:${l}`),
    );
    expect(found).toEqual([]);
  });

  it('the scan finds the parses it is for', () => {
    expect(parses("if (o.outcome.startsWith('skipped')) defer();")).toHaveLength(1);
    expect(parses("const [area] = d.dispositionRule.split('.');")).toHaveLength(1);
    expect(parses("const byModel = rule.endsWith('.model');")).toHaveLength(1);
    expect(parses("if (String(x).startsWith('caps.')) wait();")).toHaveLength(1);
    expect(parses("if (o.outcome === 'deferred' && DAY_CAPS.has(o.because.code)) wait();")).toEqual([]);
  });

  it('a deferral is one outcome with the gate rule that holds it as data, not one string per reason', () => {
    // Before: 'skipped-cap', 'skipped-quiet' and 'skipped-recent', three strings that each said two things.
    expect(OUTCOMES.filter((o) => o.includes('-'))).toEqual([]);
    expect(OUTCOMES).toContain('deferred');
    for (const code of DEFERRING_CODES) {
      expect(GATE_RULE_CODES).toContain(code);
      expect(isDeferringRule({ code })).toBe(true);
    }
    // A rule that says "no" (not "not now") is a drop, never a deferral.
    expect(isDeferringRule({ code: 'autonomy.off', kind: 'assign' })).toBe(false);
    expect(isDeferringRule({ code: 'model.suggestOnly' })).toBe(false);
    expect(isDeferringRule(undefined)).toBe(false);
    const held: SettledOutcome = { key: 'k', outcome: 'deferred', because: { code: 'caps.quietHours' } };
    expect(held.outcome === 'deferred' ? held.because.code : null).toBe('caps.quietHours');
  });

  it('every outcome is one the audit accepts: one closed set', () => {
    for (const outcome of OUTCOMES) {
      expect(
        AuditEntrySchema.safeParse({
          id: `k#${outcome}`,
          decisionKey: 'k',
          issueKey: 'SUP-1',
          at: 0,
          pattern: 'watchdog',
          kind: 'notify',
          outcome,
          reason: 'r',
          actor: 'app',
        }).success,
      ).toBe(true);
    }
    expect(
      AuditEntrySchema.safeParse({
        id: 'k',
        decisionKey: 'k',
        issueKey: 'SUP-1',
        at: 0,
        pattern: 'watchdog',
        kind: 'notify',
        outcome: 'skipped-cap',
        reason: 'r',
        actor: 'app',
      }).success,
    ).toBe(false);
  });
});
