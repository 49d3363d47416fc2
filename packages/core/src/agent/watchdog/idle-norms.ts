import { BUSINESS_HOUR_MS } from '../../charter/duration.ts';
import { quantileSorted, Sample } from '../../analysis/stats.ts';

/**
 * The watchdog's default stall norm, learned as a history goes by: every idle gap (business time
 * between two consecutive events of a case) counts for the state the case sat in, and a state's
 * norm is the p90 of its gaps so far. Only finished gaps are counted, so a norm read at a moment
 * knows nothing that happened after it.
 */
export interface IdleNorms {
  /** One finished idle gap of `ms` business time in `state`. */
  add(state: string, ms: number): void;
  /** Gaps added since the last `norms()`. */
  readonly pending: number;
  /** The norm per state (lower-cased name) for states with enough gaps; others fall back to the watchdog's default. */
  norms(): Map<string, number>;
}

export interface IdleNormsOptions {
  /** Default 0.9 (the p90). */
  readonly quantile?: number;
  /** Fewer gaps than this and a state has no learned norm yet. Default 20. */
  readonly minSamples?: number;
  /** A learned norm is never shorter than this (states that usually move at once). Default 1 business hour. */
  readonly floorMs?: number;
}

/** Starts an empty learner. @example const n = createIdleNorms(); n.add('Queued', 3_600_000); n.norms() */
export function createIdleNorms(options: IdleNormsOptions = {}): IdleNorms {
  const q = options.quantile ?? 0.9;
  const min = options.minSamples ?? 20;
  const floor = options.floorMs ?? BUSINESS_HOUR_MS;
  const samples = new Map<string, Sample>();
  let pending = 0;
  return {
    add(state, ms) {
      const key = state.toLowerCase();
      let s = samples.get(key);
      if (s === undefined) samples.set(key, (s = new Sample()));
      s.push(ms);
      pending++;
    },
    get pending() {
      return pending;
    },
    norms() {
      pending = 0;
      const out = new Map<string, number>();
      for (const [state, s] of samples) {
        if (s.length < min) continue;
        const p = quantileSorted(Float64Array.from(s.values()).sort(), q)!;
        out.set(state, Math.max(floor, p));
      }
      return out;
    },
  };
}
