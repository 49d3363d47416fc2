// @baton/core/replay — feeds a history to every pattern through the charter's gate, and sums it up.

export type {
  ReplayCase,
  ReplayObservation,
  PatternContext,
  ReplayHooks,
  ReplayPattern,
  ReplayEngineOptions,
  ReplayStats,
  ReplayEngine,
} from './replay.ts';
export { createReplayEngine } from './replay.ts';
export { ALL_REPLAY_PATTERNS } from './replay-patterns.ts';
export type { RouterPatternOptions } from './patterns/router-pattern.ts';
export { createRouterPattern } from './patterns/router-pattern.ts';
export type { WatchdogPatternOptions } from './patterns/watchdog-pattern.ts';
export { createWatchdogPattern } from './patterns/watchdog-pattern.ts';
export type { ReplayTimelineOptions, ReplayStep } from './replay-timeline.ts';
export { replayTimeline } from './replay-timeline.ts';
export type { ReplayBreach, ReplaySummary, ReplaySummaryBuilder } from './report-replay.ts';
export { ReplaySummarySchema, createReplaySummary } from './report-replay.ts';
