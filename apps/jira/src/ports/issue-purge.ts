/** Forgets an issue that Jira deleted (`avi:jira:deleted:issue`). */
export interface IssuePurge {
  /**
   * Deletes everything app storage holds about one issue: its suggestions, the effect ledger of the
   * decisions its audit rows name, its audit rows and hash chain, its due row, its missing-information
   * loop's schedule and its records under `jsonKeys`. Page by page; stops when `stillHasTime` says no, answering `complete: false` (run it
   * again: every step is a delete of what is left).
   */
  purgeIssue(
    issueKey: string,
    opts: { jsonKeys: readonly string[]; stillHasTime: () => boolean },
  ): Promise<{ complete: boolean; deleted: number }>;
}
