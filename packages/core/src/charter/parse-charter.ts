import { fail, fromZodIssues, ok, type Issue, type Result } from '../result.ts';
import { CHARTER_VERSION, CharterSchema, type Charter } from './charter-schema.ts';
import { migrateCharter } from './migrate-charter.ts';

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Cross-references the schema cannot see: calendars, teams, goals and states that are named but not
 * defined. Runs on the raw document too, so that one pass lists every problem.
 */
function crossReferences(doc: Loose): Issue[] {
  const issues: Issue[] = [];
  const ref = (path: (string | number)[], message: string): void => {
    issues.push({ code: 'charter.reference', path, message });
  };
  const calendars = new Set(['default', ...Object.keys(obj(doc['calendars']))]);
  const states = Object.keys(obj(obj(doc['workflow'])['states']));
  const known = new Set(states.map((s) => s.toLowerCase()));
  const checkState = (name: unknown, path: (string | number)[]): void => {
    const s = str(name);
    if (s !== undefined && known.size > 0 && !known.has(s.toLowerCase()))
      ref(path, `unknown state '${s}' (not in workflow.states)`);
  };
  const goals = new Set<string>();
  arr(doc['slaGoals']).forEach((g, i) => {
    const goal = obj(g);
    const id = str(goal['id']);
    if (id !== undefined) {
      if (goals.has(id)) ref(['slaGoals', i, 'id'], `duplicate goal id '${id}'`);
      goals.add(id);
    }
    const cal = str(goal['calendar']);
    if (cal !== undefined && !calendars.has(cal)) ref(['slaGoals', i, 'calendar'], `unknown calendar '${cal}'`);
    for (const part of ['start', 'pause', 'stop'] as const) {
      arr(goal[part]).forEach((c, j) => {
        const cond = obj(c);
        if (cond['on'] === 'status')
          arr(cond['in']).forEach((s, k) => checkState(s, ['slaGoals', i, part, j, 'in', k]));
      });
    }
  });
  for (const [name, s] of Object.entries(obj(obj(doc['workflow'])['states']))) {
    checkState(obj(s)['onReady'], ['workflow', 'states', name, 'onReady']);
  }
  checkState(obj(obj(doc['missingInfo'])['close'])['to'], ['missingInfo', 'close', 'to']);
  // A key a schema would drop in silence (zod's records skip it): said instead of ignored.
  for (const section of ['workflow.states', 'calendars'] as const) {
    const [a, b] = section.split('.') as [string, string | undefined];
    const holder = b === undefined ? obj(doc[a]) : obj(obj(doc[a])[b]);
    if (Object.hasOwn(holder, '__proto__'))
      issues.push({ code: 'charter.key', path: section.split('.'), message: "a name may not be '__proto__'" });
  }
  const routing = obj(doc['routing']);
  const teams = new Set<string>();
  arr(routing['teams']).forEach((t, i) => {
    const id = str(obj(t)['id']);
    if (id === undefined) return;
    if (teams.has(id)) ref(['routing', 'teams', i, 'id'], `duplicate team id '${id}'`);
    teams.add(id);
  });
  arr(routing['ownership']).forEach((r, i) => {
    const team = str(obj(r)['team']);
    if (team !== undefined && !teams.has(team)) ref(['routing', 'ownership', i, 'team'], `unknown team '${team}'`);
  });
  // A model picks from the labels the keyword rules name for a field: no rules, nothing to pick from.
  const labelled = new Set(arr(routing['classify']).map((r) => str(obj(r)['field'])));
  const modelClassify = obj(routing['modelClassify']);
  const modelFields = arr(modelClassify['fields']);
  modelFields.forEach((f, i) => {
    const field = str(f);
    if (field !== undefined && !labelled.has(field)) {
      ref(
        ['routing', 'modelClassify', 'fields', i],
        `no labels for '${field}' in routing.classify (the model picks one of the labels the rules name)`,
      );
    }
  });
  if (modelClassify['enabled'] === true && modelFields.length === 0) {
    ref(
      ['routing', 'modelClassify', 'fields'],
      'expected at least one field for the model to classify (e.g. [components])',
    );
  }
  arr(obj(doc['escalation'])['ladders']).forEach((l, i) => {
    const ladder = obj(l);
    const goal = str(ladder['goal']);
    if (goal !== undefined && !goals.has(goal)) ref(['escalation', 'ladders', i, 'goal'], `unknown SLA goal '${goal}'`);
    arr(ladder['steps']).forEach((s, j) => {
      const step = obj(s);
      if (step['slaConsumed'] !== undefined && goal === undefined) {
        ref(['escalation', 'ladders', i, 'steps', j, 'slaConsumed'], 'expected the ladder to name its SLA goal');
      }
      if (step['do'] === 'raise-priority' && str(step['priority']) === undefined) {
        ref(['escalation', 'ladders', i, 'steps', j, 'priority'], 'expected the priority to raise to');
      }
    });
  });
  return issues;
}

/**
 * Limits on a charter document, checked before anything else reads it: a real charter has a few
 * hundred keys and a few kilobytes of text (the Forge app stores one in a 240 KiB KVS value), so
 * these leave ample room while keeping a hostile document (millions of keys, a 50 MB string, a
 * thousand levels of nesting) from costing minutes or gigabytes.
 */
export const CHARTER_LIMITS = {
  /** Object keys and array elements, all levels together. */
  nodes: 20_000,
  /** Characters of all strings and keys together. */
  text: 1_000_000,
  /** Characters of one string (a message template is the longest thing a charter holds). */
  string: 20_000,
  depth: 32,
} as const;

/** The first limit the document exceeds, as an issue; walks at most `CHARTER_LIMITS.nodes` nodes. */
function sizeIssue(input: unknown): Issue | undefined {
  const over = (path: (string | number)[], message: string): Issue => ({ code: 'charter.size', path, message });
  let nodes = 0;
  let text = 0;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > CHARTER_LIMITS.string)
        return over(path, `a text of ${value.length} characters; at most ${CHARTER_LIMITS.string} are allowed`);
      text += value.length;
      if (text > CHARTER_LIMITS.text)
        return over([], `more than ${CHARTER_LIMITS.text} characters of text; a charter is a policy, not data`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= CHARTER_LIMITS.depth) return over(path, `nested more than ${CHARTER_LIMITS.depth} levels deep`);
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.keys(value).map((k) => [k, (value as Loose)[k]]);
    nodes += entries.length;
    if (nodes > CHARTER_LIMITS.nodes)
      return over([], `more than ${CHARTER_LIMITS.nodes} keys and list items; a charter is a policy, not data`);
    for (const [key, v] of entries) {
      if (typeof key === 'string') text += key.length;
      stack.push({ value: v, path: [...path, key] });
    }
  }
  return undefined;
}

/** The version problem, said so that the fix is obvious (`version: "2"` → write it without quotes). */
function versionIssue(version: unknown): Issue {
  const message =
    typeof version === 'string' && String(Number(version)) === version.trim()
      ? `expected the number ${CHARTER_VERSION}, got the text '${version}' (write version: ${version.trim()} without quotes)`
      : version === undefined
        ? `expected a version number (the current one is ${CHARTER_VERSION})`
        : `expected a version number (the current one is ${CHARTER_VERSION}), got ${JSON.stringify(version)}`;
  return { code: 'charter.version', path: ['version'], message };
}

/**
 * Validates a charter document (JSON, or YAML already parsed by the caller), migrating older
 * versions first. An invalid charter is rejected whole, with every problem listed by path: a
 * version that cannot be read is one problem among the others, which are checked against the
 * current version. Unknown keys are problems too (see `strictObject`).
 * @example parseCharter({ version: 2, slaGoals: [{ id: 'resolution', target: '3d' }] })
 */
export function parseCharter(input: unknown): Result<Charter> {
  const tooBig = sizeIssue(input);
  if (tooBig !== undefined) return fail(tooBig);
  const migrated = migrateCharter(input);
  let doc: Loose;
  const issues: Issue[] = [];
  if (migrated.ok) doc = migrated.value;
  else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const version = (input as Loose)['version'];
    issues.push(typeof version === 'number' ? migrated.issues[0]! : versionIssue(version));
    doc = { ...(input as Loose), version: CHARTER_VERSION };
  } else return migrated;
  const parsed = CharterSchema.safeParse(doc);
  if (!parsed.success) issues.push(...fromZodIssues(parsed.error.issues));
  issues.push(...crossReferences(doc));
  if (issues.length > 0 || !parsed.success) return fail(...issues);
  return ok(parsed.data);
}
