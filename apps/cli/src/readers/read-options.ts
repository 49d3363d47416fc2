import type { EventLogOptions, ReadOptions } from './types.ts';

/** The XES / pm4py convention: what `baton analyze` assumes when no column flags are given. */
export const DEFAULT_EVENT_LOG_OPTIONS: EventLogOptions = {
  caseKey: 'case:concept:name',
  activityKey: 'concept:name',
  timestampKey: 'time:timestamp',
  ownerKey: 'org:resource',
  dueKey: 'case:deadline',
  lifecycleKey: 'lifecycle:transition',
};

/**
 * Complete read options from the few a user gave.
 * @example defineReadOptions({ eventLog: { ownerKey: 'org:group' } })
 */
export function defineReadOptions(
  partial: { format?: ReadOptions['format']; eventLog?: Partial<EventLogOptions>; jiraOwnerField?: string } = {},
): ReadOptions {
  const eventLog: EventLogOptions = { ...DEFAULT_EVENT_LOG_OPTIONS };
  for (const [k, v] of Object.entries(partial.eventLog ?? {})) {
    if (v !== undefined) (eventLog as unknown as Record<string, string>)[k] = v;
  }
  const options: ReadOptions = { eventLog, jiraOwnerField: partial.jiraOwnerField ?? 'assignee' };
  return partial.format === undefined ? options : { ...options, format: partial.format };
}
