import { fail, ok, type Issue, type Result } from '../result.ts';
import { CHARTER_VERSION } from './charter-schema.ts';

/**
 * One migration per version bump: `MIGRATIONS[n]` turns a version-n document into version n+1.
 * They work on plain objects (before validation) and never drop information silently.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const CHARTER_MIGRATIONS: Readonly<Record<number, (doc: Json) => Json>> = {
  /**
   * v1 → v2: `thresholds` was renamed `confidence`; an SLA goal's single `warning` fraction became
   * the list `warnAt`; `autonomy` was a flat map (kind → level, plus `default`) and is now
   * `{ default, kinds }`.
   */
  1: (doc) => {
    const { thresholds, autonomy, slaGoals, ...rest } = doc;
    const out: Json = { ...rest, version: 2 };
    if (thresholds !== undefined) out['confidence'] = thresholds;
    if (Array.isArray(slaGoals)) {
      out['slaGoals'] = slaGoals.map((g: unknown) => {
        if (!isObject(g)) return g;
        const { warning, ...goal } = g;
        return warning === undefined ? goal : { ...goal, warnAt: [warning] };
      });
    } else if (slaGoals !== undefined) out['slaGoals'] = slaGoals;
    if (isObject(autonomy)) {
      const { default: level, ...kinds } = autonomy;
      out['autonomy'] = level === undefined ? { kinds } : { default: level, kinds };
    } else if (autonomy !== undefined) out['autonomy'] = autonomy;
    return out;
  },
};

/** Brings a charter document of any known version to the current one. */
export function migrateCharter(doc: unknown): Result<Record<string, unknown>> {
  const issue = (message: string): Issue => ({ code: 'charter.version', path: ['version'], message });
  if (!isObject(doc)) return fail({ code: 'charter.shape', path: [], message: 'expected a charter object' });
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail(issue(`expected a version number (the current one is ${CHARTER_VERSION})`));
  }
  if (version > CHARTER_VERSION)
    return fail(issue(`version ${version} is newer than this Baton understands (${CHARTER_VERSION})`));
  let current: Json = doc;
  for (let v = version; v < CHARTER_VERSION; v++) {
    const migrate = CHARTER_MIGRATIONS[v];
    if (migrate === undefined) return fail(issue(`no migration from version ${v}`));
    current = migrate(current);
  }
  return ok(current);
}
