/**
 * When each issue's missing-information loop takes its next step (core's `missingInfoDueAt`), kept
 * for the watchdog's sweep, which reads the issue from Jira again then.
 */
export interface MissingInfoStore {
  /** The loop's next step as last scheduled; null when it waits for nothing, or none is stored. */
  getMissingInfoDue(issueKey: string): Promise<number | null>;
  /** Remembers when the loop's next step comes (for a watch record's time to live), or forgets it (null). */
  setMissingInfoDue(issueKey: string, dueAt: number | null): Promise<void>;
}
