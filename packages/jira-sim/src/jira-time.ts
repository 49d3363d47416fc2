/** Jira Cloud's wire format for times: `2026-11-23T21:30:00.000+0000` (UTC offset without a colon). */
export function formatJiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Accepts ISO 8601 with `Z`, `+hh:mm` or Jira's `+hhmm`. Throws on garbage (seed errors are programmer errors). */
export function parseJiraTime(text: string): number {
  const normalised = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${text}`);
  return ms;
}
