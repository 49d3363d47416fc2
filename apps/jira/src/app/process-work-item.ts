import { JiraNotFoundError } from '@baton/jira';
import { WorkItemSchema } from '../contracts/work-item.ts';
import type { AppDeps } from './app-deps.ts';
import { answerFromChat, sayInChat } from './chat-answer.ts';
import { postChatReport } from './chat-report.ts';
import { runDashboardStep } from './dashboard.ts';
import { deliverReportEmails } from './report-email.ts';
import { runRouterTrainStep } from './router-model.ts';
import { runDryRun } from './run-dry-run.ts';
import { runStateNormsStep } from './state-norms.ts';
import { evaluateIssue } from './evaluate-issue.ts';

/**
 * One queue event: a batch of issues the watchdog fanned out, a dry run, or a step of a dashboard
 * refresh. Delivery is at-least-once; all are safe to repeat (effects are keyed, a dry run
 * overwrites its result, a dashboard step already past its page does nothing).
 */
export async function processWorkItem(deps: AppDeps, body: unknown): Promise<{ done: string[] }> {
  const item = WorkItemSchema.parse(body);
  if (item.kind === 'dry-run') {
    await runDryRun(deps, item);
    return { done: [item.runId] };
  }
  if (item.kind === 'chat-answer') {
    await answerFromChat(deps, item.answer);
    return { done: [item.answer.messageId] };
  }
  if (item.kind === 'chat-say') {
    await sayInChat(deps, item);
    return { done: [item.id] };
  }
  if (item.kind === 'chat-report') {
    await postChatReport(deps, item);
    return { done: [`report:${item.channel}:${item.day}`] };
  }
  if (item.kind === 'report-email') {
    await deliverReportEmails(deps, item);
    return { done: [`report-email:${item.projectKey}:${item.day}`] };
  }
  if (item.kind === 'router-train') {
    await runRouterTrainStep(deps, item);
    return { done: [`${item.runId}:${item.page}`] };
  }
  if (item.kind === 'state-norms') {
    await runStateNormsStep(deps, item);
    return { done: [`${item.runId}:${item.page}`] };
  }
  if (item.kind === 'dashboard') {
    await runDashboardStep(deps, item);
    return { done: [`${item.runId}:${item.page}`] };
  }
  const done: string[] = [];
  for (const key of item.keys) {
    try {
      await evaluateIssue(deps, key);
    } catch (e) {
      if (!(e instanceof JiraNotFoundError)) throw e;
    }
    done.push(key);
  }
  return { done };
}
