import { DashboardSchema } from '../contracts/dashboard.ts';
import type { DashboardStore } from '../ports/dashboard-store.ts';
import { largeRecordPerProject } from './kvs-records.ts';

/** Where a project's dashboard has always been stored: a large record (a head and parts), `json:dashboard:<project>:result`. */
export const dashboardKey = (projectKey: string): string => `dashboard:${projectKey}:result`;

/** The dashboards in KVS, one large record per project, replaced by each finished refresh. */
export function createKvsDashboardStore(): DashboardStore {
  const dashboards = largeRecordPerProject(DashboardSchema, dashboardKey);
  return { getDashboard: dashboards.get, putDashboard: dashboards.put };
}
