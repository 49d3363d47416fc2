import type { JiraIssue } from './jira-issue.ts';
import type { Packet } from '../messaging/protocol.ts';
import { adfText } from './adf-text.ts';

// When the Jira app has not stored a packet on the issue yet, the extension derives a plain one from
// the issue itself, deterministically and with no model, and says so (`source: 'browser'`).

const DECISION = /\b(we (decided|agreed|will)|decision:|approved|agreed to|going with)\b/i;
const URL_RE = /https?:\/\/[^\s<>"')\]]+/g;

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function localPacket(issue: JiraIssue, browseUrl: string): Packet {
  const f = issue.fields;
  const description = adfText(f.description);
  const comments = (f.comment?.comments ?? []).map((c) => ({
    who: c.author?.displayName ?? 'someone',
    text: adfText(c.body),
  }));
  const status = f.status?.name ?? 'unknown status';
  const owner = f.assignee?.displayName ?? null;
  const firstSentence = sentences(description)[0];

  const decisions = comments.flatMap((c) =>
    sentences(c.text)
      .filter((s) => DECISION.test(s))
      .map((s) => `${s} (${c.who})`),
  );
  // Questions in the latest comments are the ones most likely still open.
  const openQuestions = comments.slice(-5).flatMap((c) =>
    sentences(c.text)
      .filter((s) => s.endsWith('?'))
      .map((s) => `${s} (${c.who})`),
  );
  const links = [{ title: `${issue.key} in Jira`, url: browseUrl }];
  for (const text of [description, ...comments.map((c) => c.text)]) {
    for (const m of text.matchAll(URL_RE))
      if (!links.some((l) => l.url === m[0])) links.push({ title: m[0], url: m[0] });
  }
  const summary = [
    `${f.summary} — ${status}${owner === null ? ', unassigned' : `, with ${owner}`}.`,
    firstSentence === undefined ? '' : firstSentence,
  ]
    .filter((s) => s !== '')
    .join(' ');
  return {
    summary,
    decisions: decisions.slice(-5),
    openQuestions: openQuestions.slice(-5),
    links: links.slice(0, 8),
    nextOwner: owner,
    definitionOfReady: [
      { item: 'Owner assigned', present: owner !== null },
      { item: 'Description written', present: description !== '' },
      { item: 'Priority set', present: f.priority != null },
      { item: 'Due date set', present: f.duedate != null && f.duedate !== '' },
    ],
    source: 'browser',
  };
}
