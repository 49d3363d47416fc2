import type { CompiledCharter } from '../../charter/compile-charter.ts';
import { businessTimeBetween } from '../../time/calendar.ts';
import type { ReplayPattern } from '../replay.ts';
import { createRuleClassifier, proposeRoutes, type RouterClassifier } from '../../agent/router/router.ts';

export interface RouterPatternOptions {
  /** The classifier port for the run (default: the charter's keyword rules). */
  readonly classifier?: (charter: CompiledCharter) => RouterClassifier;
}

/**
 * The router as a replay pattern. At every event of an open case it routes the case as it stands:
 * classification of empty fields, an owner when it has none (by rules, the skills history and the
 * load at that moment, both learned from the replay so far), a due date from the SLA, and the
 * missing-information loop; on ticks it keeps that loop going (remind, escalate) for cases sitting
 * in a state with a definition of ready. Each threshold fires once per case (the engine's keys).
 */
export function createRouterPattern(options: RouterPatternOptions = {}): ReplayPattern {
  return {
    id: 'router',
    name: 'router',
    start(charter) {
      const classifier = options.classifier?.(charter) ?? createRuleClassifier(charter);
      const load = new Map<string, number>();
      const skills = new Map<string, Map<string, number>>();
      const labelFields = [...new Set(charter.charter.routing.classify.map((r) => r.field))];
      const bump = (who: string, n: number): void => {
        load.set(who, (load.get(who) ?? 0) + n);
      };
      return {
        onEvent(c, event, before) {
          const after = c.snapshot;
          const wasOpen = before.eventCount > 0 && before.phase !== 'done';
          const isOpen = after.phase !== 'done';
          if (wasOpen && before.owner !== null) bump(before.owner, -1);
          if (isOpen && after.owner !== null) bump(after.owner, 1);
          if (!isOpen) {
            // Resolved: its owner has one more case of its labels behind them (the skills history).
            if (wasOpen && after.owner !== null) {
              const mine = skills.get(after.owner) ?? new Map<string, number>();
              for (const f of labelFields) {
                const v = c.record.attributes[f];
                for (const label of Array.isArray(v) ? v : v === null || v === undefined ? [] : [String(v)])
                  mine.set(label, (mine.get(label) ?? 0) + 1);
              }
              skills.set(after.owner, mine);
            }
            return [];
          }
          return proposeRoutes(c.record, charter, { now: event.at, classifier, load, skills, takenSteps: c.taken });
        },
        onTick(c, ctx) {
          const state = c.snapshot.state;
          if (state === null || (charter.states.get(state.toLowerCase())?.ready.length ?? 0) === 0) return [];
          // Only time moves on a tick: skip the cases whose loop has no step due (most of them, most ticks).
          const key = `ready:${state}@${c.enteredStateAt}`;
          if (c.taken.has(`${key}:timeout`) || c.taken.has(`${key}:closed`)) return [];
          if (c.taken.has(`${key}:request`)) {
            const waited = businessTimeBetween(charter.calendar, c.enteredStateAt, ctx.now);
            const closeDue = charter.closeAfterMs !== null && waited >= charter.closeAfterMs;
            if (c.taken.has(`${key}:escalate`) && !closeDue) return [];
            if (
              !closeDue &&
              (waited < charter.remindAfterMs || (c.taken.has(`${key}:remind`) && waited < charter.escalateAfterMs))
            )
              return [];
          } else if (c.taken.has(`${key}:escalate`)) return [];
          return proposeRoutes(c.record, charter, {
            now: ctx.now,
            classifier,
            load,
            skills,
            takenSteps: c.taken,
            steps: ['ready'],
          });
        },
      };
    },
  };
}

/** The router with the charter's keyword classifier. */
export const routerPattern: ReplayPattern = createRouterPattern();
