import type { WatchdogCursor } from '../contracts/watchdog-cursor.ts';

/** Rows of the due-time index one watchdog step asks for (the store pages inside, as the platform allows). */
export const DUE_PAGE = 100;

/** The watchdog's cursor and checkpoint between ticks, and the due-time index it sweeps. */
export interface WatchdogStore {
  getCursor(): Promise<WatchdogCursor>;
  setCursor(c: WatchdogCursor): Promise<void>;
  setDue(issueKey: string, dueAt: number | null): Promise<void>;
  /** Issues due before `at`, earliest first, at most `limit`. */
  dueBefore(at: number, limit: number): Promise<{ issueKey: string; dueAt: number }[]>;
}
