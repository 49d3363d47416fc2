/** The charter's daily caps on nudges, per issue and per person, counted so that concurrent invocations cannot overshoot. */
export interface NudgeCaps {
  nudgesToday(issueKey: string, day: string): Promise<number>;
  /**
   * Takes one of the issue's `cap` nudge slots for the UTC day, or answers false when all are taken.
   * Each slot is a key claimed with FAIL_IF_EXISTS, so concurrent evaluations cannot both take the
   * last one: the cap cannot be overshot and no count is lost (a read-then-write counter does both).
   */
  reserveNudge(issueKey: string, day: string, cap: number): Promise<boolean>;
  /** Nudges the person (an account id) was sent by the app on the UTC day, across all issues. */
  personNudgesToday(accountId: string, day: string): Promise<number>;
  /**
   * Takes one of the person's `cap` nudge slots for the UTC day (the charter's per-person cap), or
   * answers false when all are taken; claimed as `reserveNudge`'s, so concurrent ticks cannot exceed it.
   */
  reservePersonNudge(accountId: string, day: string, cap: number): Promise<boolean>;
  /** Gives back a person's slot taken for a nudge that was then not sent (the issue's cap was full). */
  releasePersonNudge(accountId: string, day: string): Promise<void>;
}
