/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters (`<!channel>`, `<@U123>`, `<url|label>`):
 * text from tickets and emails is data, so it is escaped before it is shown
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link in mrkdwn; the label is escaped and may not contain `|`. */
export function mrkdwnLink(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** Cuts text to a Block Kit limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
