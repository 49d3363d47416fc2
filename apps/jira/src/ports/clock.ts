/** Time as the app sees it: the clock, and what is left of this invocation (tests give both). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Milliseconds left in this invocation (Forge: 25 s for triggers, 900 s for the consumer). */
  remainingMs: () => number;
}
