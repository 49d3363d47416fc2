import type { Dashboard } from '../contracts/dashboard.ts';

/**
 * Each project's last computed dashboard (a refresh's result); the refresh's run and pages are
 * `RecordStore` records.
 */
export interface DashboardStore {
  /** The project's last dashboard, or undefined when none was computed (or what is stored does not parse). */
  getDashboard(projectKey: string): Promise<Dashboard | undefined>;
  /** Replaces the project's dashboard (its `projectKey` says whose). */
  putDashboard(dashboard: Dashboard): Promise<void>;
}
