import { ChatAnswerSchema } from '@baton/core';
import * as z from 'zod';

/** An item on the app's one queue (`baton-work`): what one consumer invocation does. */
export const WorkItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('evaluate'), keys: z.array(z.string()).min(1).max(50), reason: z.string() }),
  z.object({
    kind: z.literal('dry-run'),
    runId: z.string(),
    projectKey: z.string(),
    days: z.number().int().min(1).max(90),
  }),
  /** One step of a dashboard refresh: `page` is the JQL page it starts at (the refresh's checkpoint). */
  z.object({ kind: z.literal('dashboard'), runId: z.string(), projectKey: z.string(), page: z.number().int().min(0) }),
  /** An answer given in chat, verified and acknowledged by the web trigger, carried out here (after Slack's 3 s). */
  z.object({ kind: z.literal('chat-answer'), answer: ChatAnswerSchema }),
  /** A line back to a chat user who wrote to Baton directly (a link code redeemed or refused), sent after Slack's 3 s. */
  z.object({
    kind: z.literal('chat-say'),
    /** Stable per thing said (the DM's event id): a redelivered item says nothing more. */
    id: z.string().min(1).max(255),
    userId: z.string().min(1),
    text: z.string().min(1).max(3000),
  }),
  /** One step of training the project's router model (`router-model.ts`): `page` is the run's checkpoint. */
  z.object({
    kind: z.literal('router-train'),
    runId: z.string(),
    projectKey: z.string(),
    page: z.number().int().min(0),
  }),
  /** One step of learning the project's watchdog norms (`state-norms.ts`): `page` is the run's checkpoint. */
  z.object({
    kind: z.literal('state-norms'),
    runId: z.string(),
    projectKey: z.string(),
    page: z.number().int().min(0),
  }),
  /** The day's report for a chat channel (`queueChatReport`, from the watchdog tick). */
  z.object({ kind: z.literal('chat-report'), channel: z.string().min(1), day: z.iso.date() }),
  /** A project's daily report by Jira notification email (`queueReportEmails`, from the watchdog tick). */
  z.object({ kind: z.literal('report-email'), projectKey: z.string().min(1), day: z.iso.date() }),
]);
export type DashboardWorkItem = Extract<WorkItem, { kind: 'dashboard' }>;
export type RouterTrainWorkItem = Extract<WorkItem, { kind: 'router-train' }>;
export type StateNormsWorkItem = Extract<WorkItem, { kind: 'state-norms' }>;
export type WorkItem = z.infer<typeof WorkItemSchema>;
