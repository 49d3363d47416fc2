// Public surface of @baton/jira-sim (test-only: never imported by production code).
export type { JiraSim, JiraSimOptions, SimAuthOptions, SimRequest } from './start-jira-sim.ts';
export { startJiraSim } from './start-jira-sim.ts';
export type {
  SimSeed,
  SimIssueSeed,
  SimUser,
  SimStatus,
  SimProject,
  SimTransition,
  SimHistory,
  SimPriority,
} from './seed.ts';
export type { SimField } from './seed.ts';
export { SimSeedSchema } from './seed.ts';
export type { RecordedSeedInput } from './recorded-seed.ts';
export { seedFromRecorded } from './recorded-seed.ts';
export { FieldSelection } from './render.ts';
export type {
  IssueRecord,
  CommentRecord,
  HistoryRecord,
  HistoryItem,
  SimChange,
  ConsistencyOptions,
  SimPageLimits,
  SimNotification,
} from './store.ts';
export { SimStore, SimError } from './store.ts';
export type { FaultSpec } from './faults.ts';
export type { SimRateLimit } from './rate-limit.ts';
export { supportDeskSeed } from './support-desk-seed.ts';
export { formatJiraTime, parseJiraTime } from './jira-time.ts';
export { adfFromText, adfToText, adfProblem } from './adf.ts';
export type { AdfDoc, AdfNode } from './adf.ts';
export { parseJql, matchesJql, JqlError } from './jql.ts';
export type { IndexedPropertyValue } from './jql.ts';
