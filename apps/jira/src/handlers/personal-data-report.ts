import { privacy } from '@forge/api';
import { runPersonalDataReport } from '../app/personal-data.ts';
import type { PersonalDataReport } from '../app/personal-data.ts';
import { forgeDeps } from './forge-deps.ts';

/**
 * `scheduledTrigger` (weekly, `timeoutSeconds: 900`): reports the account ids app storage holds through
 * `privacy.reportPersonalData` (`POST /app/report-accounts` as the app, 90 accounts a request) and
 * erases what the app holds about closed accounts.
 */
export async function personalDataReport(): Promise<PersonalDataReport> {
  return runPersonalDataReport(forgeDeps({ budgetMs: 900_000 }), (accounts) => privacy.reportPersonalData(accounts));
}
