// The functions named in manifest.yml, grouped as there. Nothing else is exported from here.

// trigger: baton-issue-events
export { onIssueEvent } from './handlers/on-issue-event.ts';
// trigger: baton-issue-deleted
export { onIssueDeleted } from './handlers/on-issue-deleted.ts';
// scheduledTrigger: baton-watchdog-tick
export { watchdogTick } from './handlers/watchdog-tick.ts';
// scheduledTrigger: baton-personal-data
export { personalDataReport } from './handlers/personal-data-report.ts';
// scheduledTrigger: baton-router-retrain
export { routerRetrain } from './handlers/router-retrain.ts';
// consumer: baton-work-consumer
export { workConsumer } from './handlers/work-consumer.ts';
// jira:issuePanel, jira:issueContext, jira:adminPage, jira:projectSettingsPage
export { uiResolver } from './handlers/ui-resolver.ts';
